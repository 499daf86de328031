import { table } from '../pipeline/summary';
import type { Change, DiffReport } from './diff';
import { shorten } from './value-diff';

type Counts = Record<Change['action'], number>;

function counts(changes: readonly Change[]): Map<string, Counts> {
  const rows = new Map<string, Counts>();
  for (const change of changes) {
    const key = `${change.env}\t${change.app}\t${change.kind}`;
    const row = rows.get(key) ?? { added: 0, changed: 0, removed: 0 };
    row[change.action]++;
    rows.set(key, row);
  }
  return rows;
}

function summaryRows(report: DiffReport): string[][] {
  return [...counts(report.changes)].map(([key, row]) => [
    ...key.split('\t'),
    String(row.added),
    String(row.changed),
    String(row.removed),
  ]);
}

function changeLines(change: Change, indent: string): string[] {
  const sign = change.action === 'added' ? '+' : change.action === 'removed' ? '-' : '~';
  return [
    `${indent}${sign} ${change.kind} ${change.name}`,
    ...change.fields.map(
      (f) => `${indent}    ${f.path.slice(1) || '.'}: ${shorten(f.before)} → ${shorten(f.after)}`,
    ),
  ];
}

/** The terminal report: summary table, warnings, then every change with its fields. */
export function textReport(report: DiffReport, base: string, head: string): string {
  if (report.changes.length === 0) return `No changes between ${base} and ${head}.`;
  const lines = [
    `Changes from ${base} to ${head}:`,
    '',
    table(['env', 'app', 'kind', 'added', 'changed', 'removed'], summaryRows(report)),
    '',
  ];
  if (report.warnings.length > 0) {
    lines.push(`${report.warnings.length} warning(s):`);
    for (const w of report.warnings) lines.push(`  ! ${w.env}: ${w.subject}: ${w.reason}`);
    lines.push('');
  }
  let group = '';
  for (const change of report.changes) {
    const heading = `${change.env} / ${change.app}`;
    if (heading !== group) {
      lines.push(heading);
      group = heading;
    }
    lines.push(...changeLines(change, '  '));
  }
  return lines.join('\n');
}

/** A PR comment: summary table first, warnings, then details folded per environment/app. */
export function markdownReport(report: DiffReport, base: string, head: string): string {
  if (report.changes.length === 0) return `### dist/ diff\n\nNo changes between \`${base}\` and \`${head}\`.`;
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '### dist/ diff',
    '',
    `\`${base}\` → \`${head}\`: ${report.changes.length} object(s) changed, ${report.warnings.length} warning(s).`,
    '',
    '| env | app | kind | added | changed | removed |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...summaryRows(report).map((row) => `| ${row.map(escape).join(' | ')} |`),
    '',
  ];
  if (report.warnings.length > 0) {
    lines.push('**Warnings**', '');
    for (const w of report.warnings) lines.push(`- ⚠️ \`${w.env}\` **${escape(w.subject)}**: ${w.reason}`);
    lines.push('');
  }
  const groups = new Map<string, Change[]>();
  for (const change of report.changes) {
    const key = `${change.env} / ${change.app}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  for (const [heading, changes] of groups) {
    lines.push(`<details><summary>${heading} (${changes.length})</summary>`, '', '```diff');
    for (const change of changes) lines.push(...changeLines(change, ''));
    lines.push('```', '', '</details>', '');
  }
  return lines.join('\n').trimEnd();
}
