import { isObject } from '../validation/json';

/** One changed leaf between two versions of an object. */
export interface FieldChange {
  /** `.spec.template.spec.requirements[1].values` style. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

const scalarList = (value: unknown): value is (string | number | boolean)[] =>
  Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');

/**
 * The leaves that differ between `before` and `after` (absent = undefined). Lists of scalars
 * compare whole, so `values: [a, b] → [a, b, c]` reads as one change; lists of objects compare
 * item by item.
 */
export function valueDiff(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      valueDiff(
        before[key],
        after[key],
        `${path}${/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `['${key}']`}`,
      ),
    );
  }
  if (Array.isArray(before) && Array.isArray(after) && !scalarList(before) && !scalarList(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => valueDiff(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '.', before, after }];
}

/** A value for one line of a report: JSON, long strings cut in the middle. */
export function shorten(value: unknown, max = 80): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  if (text.length <= max) return text;
  const keep = Math.floor((max - 5) / 2);
  return `${text.slice(0, keep)} … ${text.slice(-keep)}`;
}
