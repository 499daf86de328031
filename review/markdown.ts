import { warningApps, type ApplyStep, type Change, type DiffReport, type Warning } from './model';
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

/** How much of a large change the PR comment shows (the rest: `npm run diff` locally). */
export interface MarkdownLimits {
  /** GitHub rejects comments over 65,536 characters. */
  readonly maxChars: number;
  /** Warnings listed before the fold; more are listed folded, up to `warningsListed`. */
  readonly warningsShown: number;
  readonly warningsListed: number;
  /** Rows of the summary table (env × app × kind); the rest add up in one row. */
  readonly tableRows: number;
  /** Objects shown per env/app group, and lines per object. */
  readonly objectsPerGroup: number;
  readonly linesPerObject: number;
}

export const MARKDOWN_LIMITS: MarkdownLimits = {
  maxChars: 60_000,
  warningsShown: 15,
  warningsListed: 150,
  tableRows: 30,
  objectsPerGroup: 25,
  linesPerObject: 30,
};

/** Running text: characters that would start emphasis, code, links, HTML or entities are escaped. */
export function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

/** A table cell: inert markdown, pipes escaped, newlines as `<br>`. */
export function cell(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[\\`*_[\]<>|~&]/g, '\\$&'))
    .join('<br>');
}

/** Text inside an HTML element (`<summary>`). */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** A code span that its content cannot close. */
export function code(text: string): string {
  const one = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** A fenced block that its content cannot close. */
function fenced(language: string, lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...lines, fence];
}

const plural = (count: number, word: string, words = `${word}s`): string =>
  `${count} ${count === 1 ? word : words}`;

/** The mark of a warning line, by severity. */
const MARK: Readonly<Record<Warning['severity'], string>> = { destructive: '⚠️', rerun: '🔁', notice: 'ℹ️' };

const warningLine = (w: Warning): string =>
  `- ${MARK[w.severity]} ${code(w.env)} **${inline(warningSubject(w))}**: ${inline(w.reason)}`;

/** The apply checklist: a task per stack, numbered in order, under a heading per phase. */
function applySection(steps: readonly ApplyStep[]): string[] {
  if (steps.length === 0) return [];
  const lines = [
    '**Terraform to apply**: a merge deploys Kubernetes only (Argo CD); these stacks changed and are applied by hand, in this order.',
  ];
  let phase: ApplyStep['when'] | undefined;
  steps.forEach((step, index) => {
    if (step.when !== phase) lines.push('', `${PHASE_HEADING[step.when]}:`, '');
    phase = step.when;
    lines.push(
      `${index + 1}. [ ] ${code(step.env)} **${inline(step.stack)}** (${planCounts(step)}): ${code(`terraform -chdir=${stackDirectory(step)} apply`)}, ${inline(step.why)}`,
    );
  });
  return lines;
}

/**
 * A PR comment: a summary line first, the warnings (the first few in full, the rest folded),
 * the summary table, one folded section per environment/app with the changes as a diff, and
 * last the Terraform applies the change needs (never left out for size). Readable for hundreds of objects: the table and every section are capped with counts of what
 * was left out, and the whole comment stays under GitHub's size limit.
 */
export function markdownReport(
  report: DiffReport,
  base: string,
  head: string,
  limits: MarkdownLimits = MARKDOWN_LIMITS,
): string {
  if (report.changes.length === 0)
    return `### dist/ diff\n\nNo changes between ${code(base)} and ${code(head)}.`;
  const lines = [
    '### dist/ diff',
    '',
    `${code(base)} → ${code(head)}: **${plural(report.changes.length, 'object')}** (${countsText(report.changes)}), **${warningCounts(report.warnings)}**${report.apply.length > 0 ? `, **${plural(report.apply.length, 'Terraform apply', 'Terraform applies')}** (below)` : ''}.`,
    '',
  ];
  if (report.warnings.length > 0) {
    lines.push(`**Warnings (${report.warnings.length})**`, '');
    lines.push(...report.warnings.slice(0, limits.warningsShown).map(warningLine));
    const rest = report.warnings.slice(limits.warningsShown);
    if (rest.length > 0) {
      const listed = rest.slice(0, limits.warningsListed - limits.warningsShown);
      lines.push('', `<details><summary>${plural(rest.length, 'more warning')}</summary>`, '');
      lines.push(...listed.map(warningLine));
      if (rest.length > listed.length)
        lines.push(`- … and ${rest.length - listed.length} more: run \`npm run diff\` for the full list`);
      lines.push('', '</details>');
    }
    lines.push('');
  }
  lines.push(...summaryTable(report, limits), '');
  const groups = new Map<string, Change[]>();
  for (const change of report.changes) {
    const key = `${change.env} / ${change.app}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const apply = applySection(report.apply);
  let length = lines.join('\n').length + apply.join('\n').length;
  let omitted = 0;
  for (const [heading, changes] of groups) {
    const budget = limits.maxChars - 400 - length;
    const section = omitted > 0 ? undefined : groupSection(heading, changes, report.warnings, limits, budget);
    if (section === undefined) {
      omitted++;
      continue;
    }
    lines.push(...section);
    length += section.join('\n').length + 1;
  }
  if (omitted > 0)
    lines.push(
      `_${plural(omitted, 'more section')} left out to keep this comment under GitHub's size limit: run \`npm run diff -- --base ${inline(base)}\` for everything._`,
      '',
    );
  lines.push(...apply);
  return lines.join('\n').trimEnd();
}

function summaryTable(report: DiffReport, limits: MarkdownLimits): string[] {
  const rows = summaryRows(report);
  const shown = rows.slice(0, limits.tableRows);
  const lines = [
    `| env | app | kind | ${COUNT_COLUMNS.join(' | ')} |`,
    `| --- | --- | --- | ${COUNT_COLUMNS.map(() => '---:').join(' | ')} |`,
    ...shown.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  const rest = rows.slice(limits.tableRows);
  if (rest.length > 0) {
    const sum = (column: number) => rest.reduce((total, row) => total + Number(row[column] ?? 0), 0);
    const sums = COUNT_COLUMNS.map((_, i) => sum(3 + i)).join(' | ');
    lines.push(`| … | ${plural(rest.length, 'more row')} | | ${sums} |`);
  }
  return lines;
}

/** One folded env/app section within `budget` characters, or undefined when too little is left. */
function groupSection(
  heading: string,
  changes: readonly Change[],
  warnings: readonly Warning[],
  limits: MarkdownLimits,
  budget: number,
): string[] | undefined {
  if (budget < 600) return undefined;
  const [env, app = ''] = heading.split(' / ');
  const warned = warnings.filter((w) => w.env === env && warningApps(w).includes(app)).length;
  const summary = `${heading}: ${countsText(changes)}${warned > 0 ? `, ${plural(warned, 'warning')}` : ''}`;
  const body: string[] = [];
  let size = summary.length + 200;
  let shown = 0;
  for (const change of changes.slice(0, limits.objectsPerGroup)) {
    const all = changeLines(change, '');
    const lines = all.slice(0, limits.linesPerObject);
    if (all.length > lines.length) lines.push(`    … ${all.length - lines.length} more lines`);
    const cost = lines.join('\n').length + 1;
    if (size + cost > budget) break;
    body.push(...lines);
    size += cost;
    shown++;
  }
  if (changes.length > shown) body.push(`… ${plural(changes.length - shown, 'more object')} in ${heading}`);
  return [`<details><summary>${html(summary)}</summary>`, '', ...fenced('diff', body), '', '</details>', ''];
}
