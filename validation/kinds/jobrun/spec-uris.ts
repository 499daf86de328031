/** An S3 URI named in a JobRun spec: the URI as written, its bucket and its key (possibly empty). */
export type SpecS3Uri = readonly [uri: string, bucket: string, key: string];

/** What {@link specS3Uris} found, per spec object (several checks read the same spec). */
const found = new WeakMap<object, readonly SpecS3Uri[]>();

/**
 * Every `s3://` or `s3a://` URI a JobRun spec names anywhere (entry point, arguments, the
 * properties inside `configurationOverrides`), in order of appearance, read from the spec's JSON
 * text once per spec object. Callers must not modify the result.
 */
export function specS3Uris(spec: unknown): readonly SpecS3Uri[] {
  const cacheable = typeof spec === 'object' && spec !== null;
  const cached = cacheable ? found.get(spec) : undefined;
  if (cached !== undefined) return cached;
  const text = JSON.stringify(spec) ?? '';
  const uris = [...text.matchAll(/s3a?:\/\/([a-z0-9.-]+)\/([^\s"',\\]*)/g)].map(
    ([uri, bucket = '', key = '']): SpecS3Uri => [uri, bucket, key],
  );
  if (cacheable) found.set(spec, uris);
  return uris;
}
