import { isObject } from '../lib/json';
import { documentFormat, parseDocument } from './embedded';
import { matchItems } from './list-match';
import { lineDiff, type DiffLine } from './text-diff';

/** One changed leaf between two versions of an object. */
export interface FieldChange {
  /**
   * `.spec.template.spec.requirements[key=kubernetes.io/arch].values` style: mapping keys,
   * list items by identity (`[name=…]`) or index (`[2]`); a ` (order)` suffix when only the
   * order of identified items changed. Embedded documents continue the path of their field
   * (`.values[0].prometheus.prometheusSpec.retention`).
   */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** For two texts that are not data (or the same data written differently): the line diff. */
  readonly lines?: readonly DiffLine[];
  /** A line that stands for this change in reports instead of its path and values (a summary of many leaves). */
  readonly summary?: string;
}

/** What a comparison needs to know about the object it compares. */
export interface DiffOptions {
  /** Kubernetes kind or Terraform type: decides which string fields hold YAML documents. */
  readonly kind?: string;
}

/** A value short enough to print on one line whole (JSON characters). */
export const COMPACT = 80;
/** Deeper than this, values compare as one JSON text (hostile nesting cannot blow the stack). */
const MAX_DEPTH = 64;

/**
 * The leaves that differ between `before` and `after` (absent = undefined).
 *
 * - Mappings compare key by key; lists of mappings item by item, matched by identity (see
 *   `matchItems`), so an item inserted at the top is one added item.
 * - Short lists of scalars compare whole (`values: [a, b] → [a, b, c]`); long ones element by
 *   element (added and removed values), or whole when only their order changed.
 * - Strings that hold documents (see `documentFormat`) are parsed and compared as data; other
 *   multi-line strings get a line diff. A string never shows as two truncated copies.
 * - An added or removed mapping or list prints whole when short, else leaf by leaf.
 */
export function valueDiff(
  before: unknown,
  after: unknown,
  options: DiffOptions = {},
  path = '',
): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(before, after, options.kind ?? '', path, 0, changes);
  return changes;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === 'object';
const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';
const keySegment = (key: string): string => (/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `['${key}']`);

function compare(
  before: unknown,
  after: unknown,
  kind: string,
  path: string,
  depth: number,
  out: FieldChange[],
): void {
  if (before === after) return;
  const leaf = (): void => {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path: path || '.', before, after });
  };
  if (depth > MAX_DEPTH) return leaf();
  if (typeof before === 'string' || typeof after === 'string') {
    if (compareStrings(before, after, kind, path, depth, out)) return;
    return leaf();
  }
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort())
      compare(before[key], after[key], kind, `${path}${keySegment(key)}`, depth + 1, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after))
    return compareLists(before, after, kind, path, depth, out);
  // One side absent: a short value prints whole, a long one leaf by leaf.
  const present = before === undefined ? after : after === undefined ? before : undefined;
  if (isContainer(present) && JSON.stringify(present).length > COMPACT) {
    const empty = Array.isArray(present) ? [] : {};
    return compare(before ?? empty, after ?? empty, kind, path, depth, out);
  }
  leaf();
}

/** Strings (or a string and an absent value): as documents, as lines, or not handled (false). */
function compareStrings(
  before: unknown,
  after: unknown,
  kind: string,
  path: string,
  depth: number,
  out: FieldChange[],
): boolean {
  const text = (value: unknown): value is string => typeof value === 'string';
  if (!(text(before) || before === undefined) || !(text(after) || after === undefined)) return false;
  const sample = text(after) ? after : (before as string);
  const format = documentFormat(kind, path, sample);
  if (format !== undefined) {
    const parsedBefore = text(before) ? parseDocument(before, format) : undefined;
    const parsedAfter = text(after) ? parseDocument(after, format) : undefined;
    const parsed = (raw: unknown, value: unknown) => raw === undefined || value !== undefined;
    if (parsed(before, parsedBefore) && parsed(after, parsedAfter)) {
      const inner: FieldChange[] = [];
      compare(parsedBefore, parsedAfter, kind, path, depth + 1, inner);
      if (inner.length > 0) out.push(...inner);
      else if (text(before) && text(after))
        out.push({ path: path || '.', before, after, lines: lineDiff(before, after) });
      return true;
    }
  }
  const multiline = (value: unknown): boolean => text(value) && value.includes('\n');
  if (!multiline(before) && !multiline(after)) return false;
  const lines =
    text(before) && text(after)
      ? lineDiff(before, after)
      : sample.split('\n').map((line) => ({ op: text(after) ? ('+' as const) : ('-' as const), text: line }));
  out.push({ path: path || '.', before, after, lines });
  return true;
}

function compareLists(
  before: readonly unknown[],
  after: readonly unknown[],
  kind: string,
  path: string,
  depth: number,
  out: FieldChange[],
): void {
  if (before.every(isScalar) && after.every(isScalar)) {
    const documents = [...before, ...after].some(
      (value) => typeof value === 'string' && (value.includes('\n') || /^\s*[[{]/.test(value)),
    );
    if (documents) {
      // Lists of documents or texts (Helm `values`): compared by position, each as a document.
      for (let i = 0; i < Math.max(before.length, after.length); i++)
        compare(before[i], after[i], kind, `${path}[${i}]`, depth + 1, out);
      return;
    }
    return compareScalarLists(before, after, path, out);
  }
  const match = matchItems(before, after);
  for (const pair of match.pairs)
    compare(pair.before, pair.after, kind, `${path}${pair.segment}`, depth + 1, out);
  if (match.reordered)
    out.push({ path: `${path} (order)`, before: match.reordered.before, after: match.reordered.after });
}

/** Short lists whole; long ones as the values removed and added (or whole if only reordered). */
function compareScalarLists(
  before: readonly unknown[],
  after: readonly unknown[],
  path: string,
  out: FieldChange[],
): void {
  const beforeText = JSON.stringify(before);
  const afterText = JSON.stringify(after);
  if (beforeText === afterText) return;
  if (beforeText.length <= COMPACT && afterText.length <= COMPACT) {
    out.push({ path, before, after });
    return;
  }
  const remaining = new Map<string, number>();
  for (const value of after)
    remaining.set(JSON.stringify(value), (remaining.get(JSON.stringify(value)) ?? 0) + 1);
  const removed: FieldChange[] = [];
  before.forEach((value, index) => {
    const key = JSON.stringify(value);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else removed.push({ path: `${path}[${index}]`, before: value, after: undefined });
  });
  const added: FieldChange[] = [];
  const kept = new Map<string, number>();
  for (const value of before) kept.set(JSON.stringify(value), (kept.get(JSON.stringify(value)) ?? 0) + 1);
  after.forEach((value, index) => {
    const key = JSON.stringify(value);
    const left = kept.get(key) ?? 0;
    if (left > 0) kept.set(key, left - 1);
    else added.push({ path: `${path}[${index}]`, before: undefined, after: value });
  });
  if (removed.length + added.length === 0) out.push({ path, before, after });
  else out.push(...removed, ...added);
}
