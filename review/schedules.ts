import { CronSyntaxError, formatRun, nextRuns, parseCron, runsPerWeek } from '../lib/cron';
import { asObject, asString, isObject, type Json } from '../lib/json';
import { jobRunEstimate } from './compute-estimate';
import { indexKey, type Change, type Index, type Severity } from './model';

/**
 * Review of schedules and retries (decision 19, docs/decisions.md):
 *
 * - a launcher CronJob that is new or whose schedule or time zone changed: its next three run
 *   times (`notice`);
 * - one that will run more often than before (counted over a year): `rerun`;
 * - a new launcher config that retries a job passing an S3 location of its team's data (not its
 *   artifacts, inputs or logs) without `retry.idempotent: true`: a retry after a partly written
 *   attempt may write the same data twice (`notice`).
 */

type Warn = (change: Change, reason: string, severity?: Severity) => void;

const LAUNCHER_APP = 'job-launcher';

interface Schedule {
  readonly cron: string;
  readonly timeZone: string;
}

function scheduleOf(value: unknown): Schedule | undefined {
  const object = asObject(value);
  const labels = asObject(asObject(object.metadata).labels);
  // Launchers of a job only: the follow-up launcher runs every minute by design.
  if (
    asString(labels['app.kubernetes.io/name']) !== LAUNCHER_APP ||
    labels['emr-eks-gitops/job'] === undefined
  ) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const cron = asString(spec.schedule);
  return cron === undefined ? undefined : { cron, timeZone: asString(spec.timeZone) ?? 'UTC' };
}

function perWeek(schedule: Schedule): number | undefined {
  try {
    return runsPerWeek(parseCron(schedule.cron), schedule.timeZone);
  } catch (error) {
    if (error instanceof CronSyntaxError || error instanceof RangeError) return undefined;
    throw error;
  }
}

const rate = (n: number): string =>
  n >= 1 ? `${Number(n.toFixed(1))} a week` : `${Number((n * 52).toFixed(1))} a year`;

/** Warnings of a changed, added or replaced launcher CronJob. */
export function cronJobWarnings(change: Change, before: Index, after: Index, warn: Warn, now: number): void {
  if (change.action === 'removed') return;
  const next = scheduleOf(after.get(indexKey(change))?.value);
  if (next === undefined) return;
  const old = scheduleOf(before.get(indexKey({ ...change, name: change.previous ?? change.name }))?.value);
  if (old !== undefined && old.cron === next.cron && old.timeZone === next.timeZone) return;
  let runs: number[];
  try {
    runs = nextRuns(parseCron(next.cron), next.timeZone, now, 3);
  } catch {
    return; // the validator refuses a schedule that does not parse
  }
  warn(
    change,
    `${old === undefined ? 'new schedule' : `schedule "${old.cron}" (${old.timeZone}) →`} "${next.cron}" (${next.timeZone}); next runs: ${runs.map((at) => formatRun(at, next.timeZone)).join('; ') || 'none'}`,
    'notice',
  );
  if (old === undefined) return;
  const was = perWeek(old);
  const will = perWeek(next);
  if (was !== undefined && will !== undefined && will > was + 1e-9) {
    warn(change, `runs more often than before: about ${rate(was)} → ${rate(will)}`, 'rerun');
  }
}

/** S3 locations among a template's arguments that hold the team's data (not artifacts, inputs, logs). */
function dataLocations(template: unknown): string[] {
  const driver = asObject(asObject(asObject(template).spec).jobDriver).sparkSubmitJobDriver;
  const args = asObject(driver).entryPointArguments;
  return (Array.isArray(args) ? args : [])
    .filter((a): a is string => typeof a === 'string' && a.startsWith('s3://'))
    .filter((a) => !/^s3:\/\/[^/]+\/(artifacts|inputs|logs|spark-event-logs)\//.test(a));
}

/** Warnings of a new launcher config: retries over data written in place. */
export function launcherConfigWarnings(change: Change, after: Index, warn: Warn): void {
  if (change.action === 'removed' || change.action === 'changed') return;
  const entry = after.get(indexKey(change));
  const data = asObject(asObject(entry?.value).data);
  let config: unknown;
  try {
    config = JSON.parse(asString(data['launcher.json']) ?? 'null');
  } catch {
    return;
  }
  if (!isObject(config) || !isObject(config.jobs)) return;
  const namespace = change.name.split('/')[0] ?? '';
  for (const [job, value] of Object.entries(config.jobs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const retry = asObject(asObject(value).retry);
    if (typeof retry.attempts !== 'number' || retry.idempotent === true) continue;
    const hash = asString(asObject(value).hash) ?? '';
    const template = after.get(
      indexKey({
        env: change.env,
        app: change.app,
        kind: 'ConfigMap',
        name: `${namespace}/jobrun-${job}-${hash}`,
      }),
    );
    const locations = dataLocations(templateJobRun(template?.value));
    if (locations.length === 0) continue;
    warn(
      change,
      `job ${job} retries (${String(retry.attempts)} attempts) and passes team data locations (${locations.join(', ')}): if an attempt that failed half-way wrote part of its output, the next attempt writes it again; make the write idempotent (overwrite, or one Delta transaction) and say so with retry.idempotent: true`,
      'notice',
    );
  }
}

/** The JobRun a template ConfigMap holds, or undefined (the validator refuses one that does not parse). */
function templateJobRun(configMap: unknown): Json | undefined {
  try {
    const jobRun: unknown = JSON.parse(asString(asObject(asObject(configMap).data)['jobrun.json']) ?? 'null');
    return isObject(jobRun) ? jobRun : undefined;
  } catch {
    return undefined;
  }
}

/** `<namespace>/jobrun-<job>-<8 hex>`: the JobRun template of a scheduled or chained job. */
const TEMPLATE = /^([^/]+)\/jobrun-(.+)-[0-9a-f]{8}$/;

/**
 * The compute notice of a new JobRun template (a job that runs from the launcher: on a
 * schedule, or after another job), like a committed JobRun's; for a scheduled job the per-day
 * figures use its launcher CronJob's runs (a year of them, averaged over its days).
 */
export function templateEstimate(change: Change, after: Index, warn: Warn): void {
  if (change.action !== 'added' && change.action !== 'replaced') return;
  const match = TEMPLATE.exec(change.name);
  if (match === null) return;
  const [, namespace, job] = match;
  const jobRun = templateJobRun(after.get(indexKey(change))?.value);
  if (jobRun === undefined) return;
  const launcher = scheduleOf(
    after.get(
      indexKey({ env: change.env, app: change.app, kind: 'CronJob', name: `${namespace}/launch-${job}` }),
    )?.value,
  );
  const weekly = launcher === undefined ? undefined : perWeek(launcher);
  const estimate = jobRunEstimate(jobRun, change.env, after, () =>
    weekly === undefined ? undefined : weekly / 7,
  );
  if (estimate !== undefined) warn(change, `job ${job ?? ''}: ${estimate}`, 'notice');
}
