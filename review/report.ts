import { table } from '../lib/table';
import type { ApplyStep, DiffReport, Warning } from './model';
import {
  changeLines,
  COUNT_COLUMNS,
  countsText,
  PHASE_HEADING,
  planCounts,
  stackDirectory,
  summaryRows,
  warningCounts,
  warningSubject,
} from './format';

/** The mark of a warning line in the terminal, by severity. */
const MARK: Readonly<Record<Warning['severity'], string>> = { destructive: '!', rerun: '↻', notice: 'i' };

/**
 * The terminal report: every change with its fields per environment/app, the warnings, the
 * summary table and a totals line, then the Terraform applies the change needs (the end of the
 * output is what a terminal shows).
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
    lines.push(`${warningCounts(report.warnings)}:`);
    for (const w of report.warnings)
      lines.push(`  ${MARK[w.severity]} ${w.env}: ${warningSubject(w)}: ${w.reason}`);
    lines.push('');
  }
  lines.push(
    table(['env', 'app', 'kind', ...COUNT_COLUMNS], summaryRows(report)),
    `${report.changes.length} object(s): ${countsText(report.changes)}; ${warningCounts(report.warnings)}.`,
  );
  if (report.apply.length > 0) lines.push('', ...applyLines(report.apply));
  return lines.join('\n');
}

/** The apply checklist: numbered steps under a heading per phase. */
function applyLines(steps: readonly ApplyStep[]): string[] {
  const lines = ['Terraform to apply (a merge deploys Kubernetes only):'];
  let phase: ApplyStep['when'] | undefined;
  steps.forEach((step, index) => {
    if (step.when !== phase) lines.push(`  ${PHASE_HEADING[step.when]}:`);
    phase = step.when;
    lines.push(
      `    ${index + 1}. ${step.env} ${step.stack} (${planCounts(step)}): terraform -chdir=${stackDirectory(step)} apply`,
      `       ${step.why}`,
    );
  });
  return lines;
}
