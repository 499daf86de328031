import { table } from '../lib/table';
import type { EnvironmentSummary } from './render';

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
