import { dump } from 'js-yaml';

/** A plain JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Deep copy with object keys in code-point order and `undefined` members dropped: the one
 * ordering every rendered file uses, independent of locale and insertion order.
 */
export function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value as Json;
}

/** Pretty JSON with sorted keys and a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** YAML with sorted keys, no line folding, no anchors, and a trailing newline. */
export function toYaml(value: unknown): string {
  return dump(sortKeys(value), { lineWidth: -1, noRefs: true, quotingType: '"' });
}
