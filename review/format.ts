import { subjectOf, type ApplyStep, type Change, type DiffReport, type Warning } from './model';
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
  if (field.summary !== undefined) return [`${indent}${field.summary}`];
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

const SIGN: Readonly<Record<Change['action'], string>> = {
  added: '+',
  removed: '-',
  changed: '~',
  replaced: '±',
};

/** `+ Kind name`, `- address`, `~ …`, `± Kind old → new` and the field lines under it. */
export function changeLines(change: Change, indent: string): string[] {
  const sign = SIGN[change.action];
  return [
    `${indent}${sign} ${subjectOf(change)}`,
    ...change.fields.flatMap((f) => fieldLines(f, `${indent}    `)),
  ];
}

export type Counts = Record<Change['action'], number>;

const noCounts = (): Counts => ({ added: 0, changed: 0, replaced: 0, removed: 0 });

/** The columns of the summary table, after env, app and kind. */
export const COUNT_COLUMNS = ['added', 'changed', 'replaced', 'removed'] as const;

/** Added/changed/replaced/removed per `env`, `app`, `kind`, in report order. */
export function summaryRows(report: DiffReport): string[][] {
  const rows = new Map<string, Counts>();
  for (const change of report.changes) {
    const key = `${change.env}\t${change.app}\t${change.kind}`;
    const row = rows.get(key) ?? noCounts();
    row[change.action]++;
    rows.set(key, row);
  }
  return [...rows].map(([key, row]) => [...key.split('\t'), ...COUNT_COLUMNS.map((c) => String(row[c]))]);
}

/** Totals over all changes. */
export function totals(changes: readonly Change[]): Counts {
  const counts = noCounts();
  for (const change of changes) counts[change.action]++;
  return counts;
}

/** `3 added, 1 changed, 2 replaced, 0 removed`. */
export function countsText(changes: readonly Change[]): string {
  const count = totals(changes);
  return COUNT_COLUMNS.map((column) => `${count[column]} ${column}`).join(', ');
}

/** What a severity means for the merge, as the reports name it. */
export const SEVERITY_LABEL: Readonly<Record<Warning['severity'], string>> = {
  destructive: 'destructive',
  rerun: 'runs again',
  notice: 'notice',
};

/** `2 warnings` and, when not all are destructive, how they divide: `(1 destructive, 1 runs again)`. */
export function warningCounts(warnings: readonly Warning[]): string {
  const total = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  const by = (Object.keys(SEVERITY_LABEL) as Warning['severity'][])
    .map((severity) => [severity, warnings.filter((w) => w.severity === severity).length] as const)
    .filter(([, count]) => count > 0);
  if (by.length === 0 || (by.length === 1 && by[0]?.[0] === 'destructive')) return total;
  return `${total} (${by.map(([severity, count]) => `${count} ${SEVERITY_LABEL[severity]}`).join(', ')})`;
}

/** A warning's subject, with the teams it repeated for. */
export const warningSubject = (warning: Warning): string =>
  warning.teams === undefined ? warning.subject : `${warning.subject} (${warning.teams.join(', ')})`;

/** `3 to add, 1 to change, 0 to destroy` for one apply step. */
export const planCounts = (step: ApplyStep): string =>
  `${step.creates} to add, ${step.updates} to change, ${step.destroys} to destroy`;

/** Where an apply runs: the stack's folder in dist/. */
export const stackDirectory = (step: ApplyStep): string => `dist/${step.env}/terraform/${step.stack}`;

/** The heading of the apply steps of one phase. */
export const PHASE_HEADING: Readonly<Record<ApplyStep['when'], string>> = {
  before: 'Before merging',
  after: 'After merging, once Argo CD has synced and pruned',
};
