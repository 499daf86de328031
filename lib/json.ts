/** A parsed YAML/JSON mapping. */
export type Json = Record<string, unknown>;

/** Whether `value` is a mapping (not null, not a list). */
export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` if it is a mapping, else an empty one (for reading optional nested fields). */
export const asObject = (value: unknown): Json => (isObject(value) ? value : {});

/** `value` if it is a list, else an empty one. */
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `value` if it is a string, else undefined. */
export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
