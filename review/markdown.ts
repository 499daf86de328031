import type { Change, DiffReport, Warning } from './diff';
import { changeLines, summaryRows, totals } from './format';

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

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function countsText(changes: readonly Change[]): string {
  const count = totals(changes);
  return `${count.added} added, ${count.changed} changed, ${count.removed} removed`;
}

const warningLine = (w: Warning): string =>
  `- ⚠️ ${code(w.env)} **${inline(w.subject)}**: ${inline(w.reason)}`;

/**
 * A PR comment: a summary line first, the warnings (the first few in full, the rest folded),
 * the summary table, then one folded section per environment/app with the changes as a diff.
 * Readable for hundreds of objects: the table and every section are capped with counts of what
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
    `${code(base)} → ${code(head)}: **${plural(report.changes.length, 'object')}** (${countsText(report.changes)}), **${plural(report.warnings.length, 'warning')}**.`,
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
  let length = lines.join('\n').length;
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
    );
  return lines.join('\n').trimEnd();
}

function summaryTable(report: DiffReport, limits: MarkdownLimits): string[] {
  const rows = summaryRows(report);
  const shown = rows.slice(0, limits.tableRows);
  const lines = [
    '| env | app | kind | added | changed | removed |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...shown.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  const rest = rows.slice(limits.tableRows);
  if (rest.length > 0) {
    const sum = (column: number) => rest.reduce((total, row) => total + Number(row[column] ?? 0), 0);
    lines.push(`| … | ${plural(rest.length, 'more row')} | | ${sum(3)} | ${sum(4)} | ${sum(5)} |`);
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
  const [env, app] = heading.split(' / ');
  const warned = warnings.filter((w) => w.env === env && w.app === app).length;
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
