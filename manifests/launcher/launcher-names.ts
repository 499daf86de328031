/** Names of the job launcher's objects in a team namespace (decision 19, docs/decisions.md). */

/** The launcher's ServiceAccount, Role and RoleBinding. */
export const LAUNCHER_SERVICE_ACCOUNT = 'job-launcher';
/** The ConfigMap with the launcher script and its config: `job-launcher-<8 hex>`. */
export const LAUNCHER_CONFIG_MAP_PREFIX = 'job-launcher';
/** The CronJob that starts dependent jobs and retries, every minute. */
export const FOLLOW_UP_CRON_JOB = 'job-follow-up';
/** The content-addressed JobRun template of a job: `jobrun-<job>-<8 hex>`. */
export function jobRunTemplateName(job: string, hash: string): string {
  return `jobrun-${job}-${hash}`;
}
/** The key of a template ConfigMap. */
export const JOB_RUN_TEMPLATE_KEY = 'jobrun.json';
/** The keys of the launcher ConfigMap. */
export const LAUNCHER_SCRIPT_KEY = 'launcher.js';
export const LAUNCHER_CONFIG_KEY = 'launcher.json';
/** Where the launcher's files are mounted in its pod. */
export const LAUNCHER_DIR = '/launcher';
/** The non-root user of the Node.js image (`node`). */
export const LAUNCHER_UID = 1000;
/** The labels the launcher puts on the JobRuns it creates (and reads back). */
export const CHAIN_LABELS = {
  hash: 'emr-eks-gitops/hash',
  run: 'emr-eks-gitops/run',
  tick: 'emr-eks-gitops/tick',
  attempt: 'emr-eks-gitops/attempt',
  launchedBy: 'emr-eks-gitops/launched-by',
} as const;
/** The tick of a one-shot run. */
export const ONE_SHOT_TICK = 'once';
