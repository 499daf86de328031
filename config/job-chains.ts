import { z } from 'zod';
import { CronSyntaxError, isTimeZone, parseCron } from '../lib/cron';

/**
 * Recurring, chained and retried jobs (decision 19, docs/decisions.md): the job fields
 * `schedule`, `after` and `retry`. They stay committed definitions: a schedule renders a
 * content-addressed JobRun template and a launcher CronJob, `after` and `retry` a follow-up
 * launcher; `manifests/constructs/job-launcher*.ts` render them, `config/job-chain-rules.ts`
 * checks them across jobs.
 */

/** What a scheduled run does when the job's previous run is still going (the CronJob words). */
export const CONCURRENCY_POLICIES = ['Forbid', 'Allow', 'Replace'] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];

/** The most scheduled runs kept as JobRun objects (EMR keeps every run's history anyway). */
export const MAX_KEEP = 50;
/** Attempts in all, the first included. */
export const MAX_ATTEMPTS = 10;
/** The longest wait between two attempts. */
export const MAX_BACKOFF_SECONDS = 6 * 3600;

const cron = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      parseCron(value);
    } catch (error) {
      if (!(error instanceof CronSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const scheduleSchema = z.strictObject({
  cron: cron.describe(
    'When the job runs: a Kubernetes CronJob schedule, five fields `minute hour day-of-month month day-of-week` (e.g. `0 2 * * *`), or @daily, @hourly, @weekly, @monthly, @yearly.',
  ),
  timeZone: z
    .string()
    .refine(isTimeZone, {
      message: 'is not an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
    })
    .default('UTC')
    .describe('IANA time zone the schedule is read in (the CronJob `timeZone`). Default `UTC`.'),
  concurrencyPolicy: z
    .enum(CONCURRENCY_POLICIES)
    .default('Forbid')
    .describe(
      "When a run is due and the job's previous run is still going: `Forbid` skips the new run (default), `Allow` runs both, `Replace` cancels the running one.",
    ),
  keep: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(MAX_KEEP, { message: `must be at most ${MAX_KEEP}` })
    .default(5)
    .describe(`How many of the latest scheduled runs stay as JobRun objects (1-${MAX_KEEP}, default 5).`),
});

const DURATION = /^([1-9]\d*)(s|m|h)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** `90s`, `5m`, `1h` → seconds. */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

export const retrySchema = z.strictObject({
  attempts: z
    .number()
    .int({ message: 'must be a whole number' })
    .refine((n) => n >= 2, {
      message: 'must be at least 2 (the first attempt and one retry); leave retry out for none',
    })
    .max(MAX_ATTEMPTS, { message: `must be at most ${MAX_ATTEMPTS}` })
    .describe(`Attempts in all, the first included (2-${MAX_ATTEMPTS}).`),
  backoff: z
    .string()
    .regex(DURATION, { message: 'must be a duration such as 90s, 5m or 1h' })
    .refine((text) => !DURATION.test(text) || durationSeconds(text) <= MAX_BACKOFF_SECONDS, {
      message: `must be at most ${MAX_BACKOFF_SECONDS / 3600}h`,
    })
    .default('5m')
    .describe(
      'Wait after a failed attempt before the next one, doubled after each further failure (default 5m, at most 6h).',
    ),
  idempotent: z
    .boolean()
    .default(false)
    .describe(
      'The job may run twice over the same data with the same result (it overwrites its output, or writes it in one Delta transaction). Without it, `npm run diff` warns that a retry after a partly written attempt may duplicate data.',
    ),
});

export const afterSchema = z
  .array(z.string().min(1))
  .describe(
    'Jobs of the same team (by name) that must complete first: a one-shot job starts once their current runs completed; a job after scheduled jobs runs in each of their ticks, after them. A job with `after` has no schedule of its own.',
  );

export type JobSchedule = z.output<typeof scheduleSchema>;
export type JobRetry = z.output<typeof retrySchema>;

/** The fields of a job the chain logic reads. */
export interface ChainJob {
  readonly name: string;
  readonly schedule?: JobSchedule;
  readonly after?: readonly string[];
}

/** Whether the team's job launcher starts runs of a job: it has a schedule, `after` or `retry`. */
export function launcherStarts(job: ChainJob & { readonly retry?: JobRetry }): boolean {
  return job.schedule !== undefined || (job.after ?? []).length > 0 || job.retry !== undefined;
}

/**
 * The schedule a job runs on: its own, or (for a job with `after`) the one its dependencies run
 * on, followed transitively; undefined for a one-shot job. Call on checked jobs
 * (`config/job-chain-rules.ts` refuses cycles and mixed schedules); a cycle here yields undefined.
 */
export function chainSchedule(
  jobs: readonly ChainJob[],
  name: string,
  seen: ReadonlySet<string> = new Set(),
): JobSchedule | undefined {
  const job = jobs.find((j) => j.name === name);
  if (job === undefined || seen.has(name)) return undefined;
  if (job.schedule !== undefined) return job.schedule;
  const next = new Set([...seen, name]);
  for (const dependency of job.after ?? []) {
    const schedule = chainSchedule(jobs, dependency, next);
    if (schedule !== undefined) return schedule;
  }
  return undefined;
}

/** The CronJob that launches a scheduled job: `launch-<job>`. */
export function launchCronJobName(job: string): string {
  return `launch-${job}`;
}

/**
 * A CronJob's name is at most 52 characters (its Jobs add `-<minutes>`), so a job with a schedule
 * of its own is at most this long.
 */
export const SCHEDULED_JOB_NAME_MAX_LENGTH = 52 - launchCronJobName('').length;

/** Same cron, time zone and concurrency policy. */
export function sameSchedule(a: JobSchedule, b: JobSchedule): boolean {
  return (
    a.cron.trim() === b.cron.trim() &&
    a.timeZone === b.timeZone &&
    a.concurrencyPolicy === b.concurrencyPolicy
  );
}
