import type { EnvironmentSummary } from './render';

/** Renders rows as a plain, aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The table `npm run synth` ends with. */
export function synthSummary(
  summaries: readonly EnvironmentSummary[],
  files: number,
  totalMs: number,
  validation?: { readonly documents: number; readonly ms: number },
): string {
  const checked =
    validation === undefined
      ? ''
      : `${validation.documents} documents validated, 0 findings (${validation.ms.toFixed(0)} ms); `;
  const rows = summaries.map((s) => [
    s.env,
    String(s.stacks),
    String(s.resources),
    Object.entries(s.k8sObjects)
      .map(([app, n]) => `${app}=${n}`)
      .join(' ') || '-',
    s.ms.toFixed(0),
  ]);
  return `${table(['env', 'stacks', 'resources', 'k8s objects per app', 'ms'], rows)}\n${checked}${files} files written in ${totalMs.toFixed(0)} ms`;
}
