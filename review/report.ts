import { table } from '../pipeline/summary';
import type { DiffReport } from './diff';
import { changeLines, summaryRows, totals } from './format';

/**
 * The terminal report: every change with its fields per environment/app, the warnings, then
 * the summary table and a totals line (the end of the output is what a terminal shows).
 */
export function textReport(report: DiffReport, base: string, head: string): string {
  if (report.changes.length === 0) return `No changes between ${base} and ${head}.`;
  const lines = [`Changes from ${base} to ${head}:`, ''];
  let group = '';
  for (const change of report.changes) {
    const heading = `${change.env} / ${change.app}`;
    if (heading !== group) {
      if (group !== '') lines.push('');
      lines.push(heading);
      group = heading;
    }
    lines.push(...changeLines(change, '  '));
  }
  lines.push('');
  if (report.warnings.length > 0) {
    lines.push(`${report.warnings.length} warning(s):`);
    for (const w of report.warnings) lines.push(`  ! ${w.env}: ${w.subject}: ${w.reason}`);
    lines.push('');
  }
  const count = totals(report.changes);
  lines.push(
    table(['env', 'app', 'kind', 'added', 'changed', 'removed'], summaryRows(report)),
    `${report.changes.length} object(s): ${count.added} added, ${count.changed} changed, ${count.removed} removed; ${report.warnings.length} warning(s).`,
  );
  return lines.join('\n');
}
