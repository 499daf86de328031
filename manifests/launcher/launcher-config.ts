import type { EffectiveJob } from '../../model/effective-job';
import { chainSchedule, durationSeconds, launcherStarts } from '../../config/job-chains';
import { contentHash } from '../../lib/hash';

/** What the launcher knows of one job it starts or retries. */
export interface LauncherJob {
  /** The content address of the definition (the JobRun name's 8 hex). */
  readonly hash: string;
  /** Runs once per definition (no schedule of its own or inherited). */
  readonly oneShot: boolean;
  /** One-shot: the run key, `<job>-<run key>` is the first attempt's name. */
  readonly runKey?: string;
  /** One-shot with `after`: each dependency's run key this run follows. */
  readonly upstream?: Readonly<Record<string, string>>;
  readonly after: readonly string[];
  readonly schedule?: { readonly concurrencyPolicy: string; readonly keep: number };
  readonly retry?: {
    readonly attempts: number;
    readonly backoffSeconds: number;
    readonly idempotent: boolean;
  };
}

/** The launcher's config file (`launcher.json`). */
export interface LauncherConfig {
  readonly team: string;
  readonly namespace: string;
  readonly jobs: Readonly<Record<string, LauncherJob>>;
}

/** How a job is started. */
export type JobLaunch =
  /** A JobRun in git, synced by Argo CD (the first attempt; `retry` adds more). */
  | 'committed'
  /** By `launch-<job>` on its schedule. */
  | 'scheduled'
  /** By `job-follow-up` once its dependencies completed. */
  | 'follows';

/** How each job of a team is started. */
export function jobLaunch(job: EffectiveJob): JobLaunch {
  if (job.after.length > 0) return 'follows';
  return job.schedule !== undefined ? 'scheduled' : 'committed';
}

/** The jobs whose runs the launcher creates or follows (schedule, after or retry). */
export function launchedJobs(jobs: readonly EffectiveJob[]): EffectiveJob[] {
  return jobs.filter(launcherStarts);
}

/** Jobs another job runs after: their committed JobRuns carry the chain labels. */
export function dependencies(jobs: readonly EffectiveJob[]): Set<string> {
  return new Set(jobs.flatMap((job) => job.after));
}

/**
 * The run key of each one-shot job: its hash when it follows nothing (so its first attempt is
 * the committed `<job>-<hash>`), else the hash of its own hash and its dependencies' run keys, so
 * a new run of a dependency is followed by a new run of the job.
 */
export function oneShotRunKeys(
  jobs: readonly EffectiveJob[],
  hashes: ReadonlyMap<string, string>,
): Map<string, string> {
  const keys = new Map<string, string>();
  const key = (name: string, seen: ReadonlySet<string>): string => {
    const known = keys.get(name);
    if (known !== undefined) return known;
    const job = jobs.find((j) => j.name === name);
    const hash = hashes.get(name) ?? '';
    const upstream = seen.has(name) ? [] : (job?.after ?? []).map((d) => key(d, new Set([...seen, name])));
    const value = upstream.length === 0 ? hash : contentHash({ hash, after: upstream });
    keys.set(name, value);
    return value;
  };
  for (const job of jobs) if (chainSchedule(jobs, job.name) === undefined) key(job.name, new Set());
  return keys;
}

/** The launcher config of a team. */
export function launcherConfig(
  team: string,
  namespace: string,
  jobs: readonly EffectiveJob[],
  hashes: ReadonlyMap<string, string>,
): LauncherConfig {
  const keys = oneShotRunKeys(jobs, hashes);
  const entries = launchedJobs(jobs).map((job): [string, LauncherJob] => {
    const schedule = chainSchedule(jobs, job.name);
    const oneShot = schedule === undefined;
    return [
      job.name,
      {
        hash: hashes.get(job.name) ?? '',
        oneShot,
        ...(oneShot ? { runKey: keys.get(job.name) ?? '' } : {}),
        ...(oneShot && job.after.length > 0
          ? { upstream: Object.fromEntries(job.after.map((d) => [d, keys.get(d) ?? ''])) }
          : {}),
        after: job.after,
        ...(schedule !== undefined
          ? { schedule: { concurrencyPolicy: schedule.concurrencyPolicy, keep: schedule.keep } }
          : {}),
        ...(job.retry !== undefined
          ? {
              retry: {
                attempts: job.retry.attempts,
                backoffSeconds: durationSeconds(job.retry.backoff),
                idempotent: job.retry.idempotent,
              },
            }
          : {}),
      },
    ];
  });
  return { team, namespace, jobs: Object.fromEntries(entries) };
}
