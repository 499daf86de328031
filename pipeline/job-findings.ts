import { locate } from '../lib/structured-input';
import type { JobFileSet, LoadedJobFile } from '../config/job-files';
import { JOB_LABEL, TEAM_LABEL } from '../manifests/constructs/emr-job-run';
import type { Finding } from '../validation/findings';

/** The job file field a finding on a JobRun is about, from what the finding says. */
function fieldOf(finding: Finding): string[] {
  if (/\bexecutor\b/.test(finding.message)) return ['executor'];
  if (/\bdriver\b/.test(finding.message)) return ['driver'];
  if (/sparkConf|spark\.[a-z]/.test(finding.message)) return ['sparkConf'];
  return [];
}

/**
 * Points findings on objects rendered from a job file at that file: `jobs/<team>/<job>.yaml:L:C`
 * (the line of the field the finding is about), what the data engineer wrote, with the rendered
 * file kept in the message. Findings on anything else are returned as they are.
 *
 * `objects` are the rendered objects by `dist/`-relative path; `prefix` is what the findings'
 * files start with (`dist`).
 */
export function placeJobFindings(
  findings: readonly Finding[],
  objects: ReadonlyMap<string, unknown>,
  jobFiles: JobFileSet,
  prefix: string,
): Finding[] {
  if (jobFiles.files.length === 0) return [...findings];
  const byJob = new Map<string, LoadedJobFile>(jobFiles.files.map((f) => [`${f.team}/${f.job.name}`, f]));
  return findings.map((finding) => {
    const path = finding.file.replace(/#\d+$/, '');
    const object = objects.get(path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : path) as
      { kind?: string; metadata?: { labels?: Record<string, string> } } | undefined;
    const labels = object?.metadata?.labels ?? {};
    const file =
      object?.kind === 'JobRun' ? byJob.get(`${labels[TEAM_LABEL]}/${labels[JOB_LABEL]}`) : undefined;
    if (file === undefined) return finding;
    const field = fieldOf(finding);
    return {
      file: `${file.path}:${locate(file.input, field)}`,
      path: field.length > 0 ? field.join('.') : '$',
      rule: finding.rule,
      message: `${finding.message} (rendered as ${finding.file})`,
    };
  });
}
