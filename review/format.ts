import type { Change, DiffReport } from './diff';
import { subjectOf } from './diff';
import type { FieldChange } from './value-diff';

/** Longest pair of values printed whole on a field line (JSON characters, both sides). */
const MAX_PAIR = 200;
/** Longest side printed whole once a pair is cut around its difference. */
const MAX_VALUE = 120;
/** Unchanged characters kept on each side of the difference when a long value is cut. */
const CONTEXT = 24;

const json = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/**
 * `old → new` for one field line. Short values print whole; long ones are cut around the first
 * and last differing characters, so two long values never print as the same truncated text.
 */
export function valuePair(before: unknown, after: unknown): string {
  const a = json(before);
  const b = json(after);
  if (a.length + b.length <= MAX_PAIR) return `${a} → ${b}`;
  if (before === undefined || after === undefined) return `${cut(a)} → ${cut(b)}`;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const window = (text: string): string => {
    const from = Math.max(0, start - CONTEXT);
    const to = Math.min(text.length, text.length - end + CONTEXT);
    return `${from > 0 ? '…' : ''}${cut(text.slice(from, to))}${to < text.length ? '…' : ''}`;
  };
  return `${window(a)} → ${window(b)}`;
}

/** A long text cut in the middle. */
function cut(text: string): string {
  if (text.length <= MAX_VALUE) return text;
  const keep = Math.floor((MAX_VALUE - 3) / 2);
  return `${text.slice(0, keep)} … ${text.slice(-keep)}`;
}

/** The lines of one changed field: `path: old → new`, or a header and the line diff of a text. */
export function fieldLines(field: FieldChange, indent: string): string[] {
  const path = field.path.slice(1) || '.';
  if (field.lines === undefined) return [`${indent}${path}: ${valuePair(field.before, field.after)}`];
  const added = field.lines.filter((line) => line.op === '+').length;
  const removed = field.lines.filter((line) => line.op === '-').length;
  const what =
    field.before === undefined ? 'text added' : field.after === undefined ? 'text removed' : 'text changed';
  return [
    `${indent}${path}: ${what} (+${added} -${removed} lines)`,
    ...field.lines.map((line) => `${indent}  ${line.op} ${line.text}`.trimEnd()),
  ];
}

/** `+ Kind name`, `- address`, `~ …` and the field lines under it. */
export function changeLines(change: Change, indent: string): string[] {
  const sign = change.action === 'added' ? '+' : change.action === 'removed' ? '-' : '~';
  return [
    `${indent}${sign} ${subjectOf(change)}`,
    ...change.fields.flatMap((f) => fieldLines(f, `${indent}    `)),
  ];
}

export type Counts = Record<Change['action'], number>;

/** Added/changed/removed per `env`, `app`, `kind`, in report order. */
export function summaryRows(report: DiffReport): string[][] {
  const rows = new Map<string, Counts>();
  for (const change of report.changes) {
    const key = `${change.env}\t${change.app}\t${change.kind}`;
    const row = rows.get(key) ?? { added: 0, changed: 0, removed: 0 };
    row[change.action]++;
    rows.set(key, row);
  }
  return [...rows].map(([key, row]) => [
    ...key.split('\t'),
    String(row.added),
    String(row.changed),
    String(row.removed),
  ]);
}

/** Totals over all changes. */
export function totals(changes: readonly Change[]): Counts {
  const counts: Counts = { added: 0, changed: 0, removed: 0 };
  for (const change of changes) counts[change.action]++;
  return counts;
}
