import { dump } from 'js-yaml';

/** A plain JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Deep copy with object keys in code-point order and `undefined` members dropped: the one
 * ordering every rendered file uses, independent of locale and insertion order.
 */
export function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value as Json;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, Json> = {};
  // Object.keys + the default sort (UTF-16 code units, as `<` compares) and plain assignment: the
  // hot path of every rendered file, without the arrays Object.entries/fromEntries allocate.
  for (const key of Object.keys(source).sort()) {
    const child = source[key];
    if (child === undefined) continue;
    if (key === '__proto__')
      Object.defineProperty(sorted, key, {
        value: sortKeys(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else sorted[key] = sortKeys(child);
  }
  return sorted;
}

/** Pretty JSON with sorted keys and a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * YAML with sorted keys, no line folding, no anchors, and a trailing newline: the text of
 * `dump(sortKeys(value))`, without the deep copy (the serializer sorts as it writes, in the
 * order a copy made by {@link sortKeys} enumerates its keys).
 */
export function toYaml(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true, quotingType: '"', sortKeys: enumerationOrder });
}

/**
 * The order in which an object built by inserting keys in sorted order enumerates them: array
 * index keys (`"0"`, `"7"`, `"10"`) first, by number, then the rest in code-unit order.
 */
function enumerationOrder(a: string, b: string): number {
  const ai = arrayIndex(a);
  const bi = arrayIndex(b);
  if (ai !== undefined || bi !== undefined) {
    if (ai === undefined) return 1;
    if (bi === undefined) return -1;
    return ai - bi;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The number of a key that JavaScript treats as an array index (`0` … `2**32 - 2`). */
function arrayIndex(key: string): number | undefined {
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || !/^(?:0|[1-9][0-9]*)$/.test(key)) return undefined;
  const index = Number(key);
  return index <= 2 ** 32 - 2 ? index : undefined;
}
