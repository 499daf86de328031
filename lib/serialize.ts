import { putMember } from './merge';
import { yamlDocument } from './yaml-writer';

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
    if (child !== undefined) putMember(sorted, key, sortKeys(child));
  }
  return sorted;
}

/** Pretty JSON with sorted keys and a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * YAML with sorted keys, no line folding, no anchors, and a trailing newline: for JSON values
 * the text of `dump(sortKeys(value))` (js-yaml, `lineWidth: -1`, `noRefs`, double quotes),
 * written without the deep copy by {@link yamlDocument}, which sends any other value to js-yaml
 * whole (lib/yaml-writer.ts).
 */
export function toYaml(value: unknown): string {
  return yamlDocument(value);
}
