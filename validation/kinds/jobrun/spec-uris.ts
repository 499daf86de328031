/** An S3 URI named in a JobRun spec: the URI as written, its bucket and its key (possibly empty). */
export type SpecS3Uri = readonly [uri: string, bucket: string, key: string];

/** What {@link specS3Uris} found, per spec object (several checks read the same spec). */
const found = new WeakMap<object, readonly SpecS3Uri[]>();

/**
 * `s3://` and `s3a://` URIs: a bucket, then a key that ends at white space, a quote, a comma, a
 * backslash or a control character (what ends one in the spec's JSON text, where those are
 * escaped).
 */
// eslint-disable-next-line no-control-regex -- a control character ends a key, as its escape does in JSON text
const S3_URI = /s3a?:\/\/([a-z0-9.-]+)\/([^\s"',\\\x00-\x1f]*)/g;

/**
 * Every `s3://` or `s3a://` URI a JobRun spec names anywhere (entry point, arguments, the
 * properties inside `configurationOverrides`, keys included), in the order its JSON text holds
 * them, once per spec object. The strings are read where they are, not from a JSON text of the
 * spec: the URIs found are slices of the strings they came from, and a slice of a text made for
 * the purpose would keep that whole text alive as long as the spec is. Callers must not modify
 * the result.
 */
export function specS3Uris(spec: unknown): readonly SpecS3Uri[] {
  const cacheable = typeof spec === 'object' && spec !== null;
  const cached = cacheable ? found.get(spec) : undefined;
  if (cached !== undefined) return cached;
  const uris: SpecS3Uri[] = [];
  collect(spec, uris);
  if (cacheable) found.set(spec, uris);
  return uris;
}

/** Adds the URIs in `value` (its strings, and the keys of its objects) in JSON text order. */
function collect(value: unknown, uris: SpecS3Uri[]): void {
  if (typeof value === 'string') {
    for (const [uri, bucket = '', key = ''] of value.matchAll(S3_URI)) uris.push([uri, bucket, key]);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, uris);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // JSON.stringify leaves out members it cannot write, keys included.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      collect(key, uris);
      collect(item, uris);
    }
  }
}
