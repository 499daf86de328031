import { z } from 'zod';
import { afterSchema, retrySchema, scheduleSchema } from './job-chains';
import type { Environment, NodePool, Team } from './schema';
import { versions } from './versions';
import { DNS_LABEL } from '../lib/dns';

/**
 * Job definitions (decision 5, docs/decisions.md): what a data engineer writes to run a Spark job. A job sits
 * in its team's `jobs` list; the team's `jobDefaults` fill whatever the job leaves out, and the
 * built-in {@link JOB_BUILT_IN_DEFAULTS} fill the rest. `effectiveJob` returns the merged result
 * the manifests render; `job-rules.ts` reports every problem before rendering starts.
 */

/** Where Spark keeps shuffle and spill data; each has driver and executor pod templates. */
export const STORAGE_VARIANTS = ['nvme', 'ebs', 'fsx-static', 'fsx-dynamic'] as const;
export type StorageVariant = (typeof STORAGE_VARIANTS)[number];

/** The storage variants a pool supports in an environment, in a stable order. */
export function storageVariants(env: Environment, pool: NodePool): StorageVariant[] {
  const { storage } = env;
  return [
    ...(storage.nvme.enabled && pool.instanceStorePolicy === 'RAID0' ? (['nvme'] as const) : []),
    ...(storage.ebs.enabled ? (['ebs'] as const) : []),
    ...(storage.fsx.static.enabled ? (['fsx-static'] as const) : []),
    ...(storage.fsx.dynamic.enabled ? (['fsx-dynamic'] as const) : []),
  ];
}

/** The folder that holds a team's job files (scripts and data shipped with jobs). */
export function teamJobsFolder(team: Team): string {
  return `jobs/${team.name}/`;
}

/** A JobRun is named `<job>-<8 hex>`; Kubernetes and EMR allow 63 characters. */
export const JOB_NAME_MAX_LENGTH = 63 - 9;

/** Entry points inside the EMR image start with this scheme (e.g. Spark's own examples). */
export const IMAGE_SCHEME = 'local://';

/** `{{name}}` in arguments and Spark conf values; see {@link PLACEHOLDERS}. */
export const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * Placeholders a job may use in `arguments` and `sparkConf` values, replaced at render time, so
 * a job names S3 locations without spelling the bucket. `{{artifact:<file>}}` is the
 * content-addressed S3 URI of the job's script or one of its `files` (by file name);
 * `{{input:<name>}}` is the S3 prefix of one of the team's `inputData` (seeded before the job runs).
 */
export const PLACEHOLDERS = {
  bucket: "the team's own bucket",
  team: 'the team name',
  job: 'the job name (without the hash)',
  teamS3: "s3://<team bucket>, the team's own bucket as a URI",
} as const;
export const ARTIFACT_PLACEHOLDER = 'artifact:';
export const INPUT_PLACEHOLDER = 'input:';

const positiveInt = z
  .number()
  .int({ message: 'must be a whole number' })
  .positive({ message: 'must be > 0' });
const nonNegativeInt = z.number().int({ message: 'must be a whole number' }).min(0);
const sparkMemory = z
  .string()
  .regex(/^[1-9]\d*[kmgt]$/, { message: 'must be a Spark memory size such as 4g or 512m' });

/*
 * Every field carries its documentation as a zod description: it is the hover text editors show
 * for job files (through jobs/job.schema.json, generated from these schemas).
 */

/** Cores and memory of the driver or of each executor. */
export const sparkPodSettingsSchema = z.strictObject({
  cores: positiveInt.optional().describe("`spark.<role>.cores`; also the pod's CPU request."),
  memory: sparkMemory.optional().describe('JVM heap, `spark.<role>.memory` (e.g. `4g`).'),
  memoryOverhead: sparkMemory
    .optional()
    .describe(
      'Non-heap memory; default max(384m, factor × memory) with factor 0.4 for PySpark, 0.1 for JVM jobs.',
    ),
});

export const executorSettingsSchema = z.strictObject({
  ...sparkPodSettingsSchema.shape,
  instances: positiveInt
    .optional()
    .describe('A fixed executor count (`spark.executor.instances`); exclusive with `dynamicAllocation`.'),
});

/** Spark dynamic allocation with shuffle tracking (EMR on EKS has no external shuffle service). */
export const dynamicAllocationSchema = z.strictObject({
  minExecutors: nonNegativeInt.describe('Fewest executors (at least 1 for a gang-scheduled job).'),
  maxExecutors: positiveInt.describe('Most executors.'),
  initialExecutors: nonNegativeInt
    .optional()
    .describe('Executors at start, between minExecutors and maxExecutors.'),
});

/** YuniKorn gang scheduling: placeholders reserve the whole job before any pod starts. */
export const gangSchedulingSchema = z.strictObject({
  enabled: z.boolean().describe('Reserve the driver and every executor before any of them starts.'),
  style: z
    .enum(['Soft', 'Hard'])
    .optional()
    .describe('`Soft` falls back to normal scheduling after the timeout; `Hard` fails the job.'),
  placeholderTimeoutSeconds: positiveInt
    .optional()
    .describe("How long placeholders may wait for capacity (YuniKorn's default is 900)."),
});

export const jobMonitoringSchema = z.strictObject({
  logStreamNamePrefix: z
    .string()
    .regex(/^[^:*]{1,256}$/, { message: "must be 1-256 characters without ':' or '*'" })
    .optional()
    .describe("CloudWatch log stream prefix in the team's log group; default: the job name."),
  s3Logs: z
    .boolean()
    .optional()
    .describe('Also ship driver and executor logs to `s3://<bucket>/<team>/logs/` (default true).'),
});

/** Everything a team may default for its jobs (and a job may override). */
export const jobSettingsSchema = z.strictObject({
  nodePool: z
    .string()
    .optional()
    .describe(
      "Node pool (by name) the driver and executors run on; one of the team's `nodePools`. Default: the team's jobDefaults.",
    ),
  storage: z
    .enum(STORAGE_VARIANTS)
    .optional()
    .describe(
      "Scratch storage for shuffle and spill; must be enabled for the pool in this environment. Default: the team's jobDefaults.",
    ),
  driver: sparkPodSettingsSchema.optional().describe('Cores and memory of the Spark driver.'),
  executor: executorSettingsSchema.optional().describe('Cores, memory and count of the Spark executors.'),
  dynamicAllocation: dynamicAllocationSchema
    .optional()
    .describe('Scale executors between a minimum and a maximum instead of `executor.instances`.'),
  sparkConf: z
    .record(
      z.string().regex(/^spark\.[\w.*/-]+$/, {
        message: 'must be a Spark property such as spark.sql.shuffle.partitions',
      }),
      z.string(),
    )
    .optional()
    .describe(
      "Extra `spark-defaults` properties (values may use placeholders). Refused: keys the typed fields own, and the platform's (volumes, namespace, service accounts, scheduling, pod templates, images outside the allow-list); see jobs/README.md.",
    ),
  releaseLabel: z
    .string()
    .regex(/^emr-\d+\.\d+\.\d+(-[a-z0-9]+)*$/, {
      message: 'must be an EMR release label such as emr-7.12.0-latest',
    })
    .optional()
    .describe(`EMR on EKS release; default \`${versions.emrReleaseLabel}\`.`),
  monitoring: jobMonitoringSchema.optional().describe("Where the job's logs go."),
  gangScheduling: gangSchedulingSchema
    .optional()
    .describe('YuniKorn gang scheduling (needs the YuniKorn add-on).'),
});

/** One job: a Spark application that runs once per JobRun name. */
export const jobSchema = z.strictObject({
  name: z
    .string()
    .regex(DNS_LABEL, {
      message:
        "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
    })
    .describe(
      'DNS-1123 label, unique in the team, at most 54 characters (the JobRun adds `-<8 hex>`). In a job file: the file name without `.yaml`.',
    ),
  description: z.string().default('').describe('What the job does, for people.'),
  script: z
    .string()
    .min(1)
    .describe(
      '`jobs/<team>/<file>` (uploaded with the job; a path from the repository root) or `local:///<path>` inside the EMR image.',
    ),
  arguments: z
    .array(z.string())
    .default([])
    .describe(
      'Arguments after the script. Placeholders: {{bucket}}, {{team}}, {{job}}, {{teamS3}} (s3://<bucket>/<team>), {{artifact:<file>}}.',
    ),
  files: z
    .array(z.string())
    .default([])
    .describe(
      'More files from `jobs/<team>/` uploaded with the job (data, modules), for `{{artifact:<file>}}`.',
    ),
  rerun: nonNegativeInt
    .default(0)
    .describe(
      'Bump to run the job again with an unchanged definition (a new JobRun name); `npm run rerun -- <team>/<job>` does it.',
    ),
  schedule: scheduleSchema
    .optional()
    .describe('Run the job on a schedule instead of once per definition (see jobs/README.md, Schedules).'),
  after: afterSchema.optional(),
  retry: retrySchema
    .optional()
    .describe(
      'Run a failed attempt again, up to `attempts` in all, waiting `backoff` (doubling) between them.',
    ),
  ...jobSettingsSchema.shape,
});

const ENVIRONMENT_NAME = z
  .string()
  .max(32, { message: 'must be at most 32 characters' })
  .regex(DNS_LABEL, { message: 'must be an environment name (a DNS-1123 label)' });

/**
 * A job file, `jobs/<team>/<job>.yaml`: one job, in the team of its folder, plus the environments
 * it runs in. The same job fields as a job in TypeScript config; `config/job-files.ts` loads it.
 */
export const jobFileSchema = jobSchema
  .extend({
    environments: z
      .array(ENVIRONMENT_NAME)
      .min(1, { message: 'must list at least one environment (or leave the field out for all)' })
      .optional()
      .describe("Environments the job runs in. Default: every environment that has the folder's team."),
  })
  .meta({
    title: 'emr-eks-gitops job',
    description:
      "One Spark job, rendered as an ACK JobRun in its team's namespace. The file is jobs/<team>/<job>.yaml; see jobs/README.md.",
  });

export type JobSettings = z.output<typeof jobSettingsSchema>;
export type JobSettingsInput = z.input<typeof jobSettingsSchema>;
export type Job = z.output<typeof jobSchema>;
export type JobInput = z.input<typeof jobSchema>;

/** What applies when neither the job nor its team's `jobDefaults` say (the seed's sizes). */
export const JOB_BUILT_IN_DEFAULTS = {
  driver: { cores: 1, memory: '4g' },
  executor: { cores: 1, memory: '4g', instances: 2 },
  gangScheduling: { style: 'Soft', placeholderTimeoutSeconds: 900 },
  s3Logs: true,
} as const;

/**
 * A job's settings after the team defaults are merged under it (maps and sizes merge per key).
 * Where neither sets them, the job runs on the team's first node pool with the first scratch
 * storage that pool offers in the environment ({@link storageVariants}: NVMe where it has it).
 */
export function mergeJobSettings(env: Environment, team: Team, job: Job): JobSettings {
  const settings = mergeTeamDefaults(team, job);
  const nodePool = settings.nodePool ?? team.nodePools[0];
  const pool = env.nodePools.find((p) => p.name === nodePool);
  const storage = settings.storage ?? (pool === undefined ? undefined : storageVariants(env, pool)[0]);
  return { ...settings, nodePool, storage };
}

function mergeTeamDefaults(team: Team, job: Job): JobSettings {
  const defaults: JobSettings = team.jobDefaults ?? {};
  // The more specific level that chooses a sizing mode wins it entirely.
  const jobChoosesSizing = job.dynamicAllocation !== undefined || job.executor?.instances !== undefined;
  const inherited = jobChoosesSizing ? { ...defaults, dynamicAllocation: undefined } : defaults;
  const inheritedExecutor =
    jobChoosesSizing && inherited.executor
      ? { ...inherited.executor, instances: undefined }
      : inherited.executor;
  return {
    nodePool: job.nodePool ?? inherited.nodePool,
    storage: job.storage ?? inherited.storage,
    driver: merged(inherited.driver, job.driver),
    executor: merged(inheritedExecutor, job.executor),
    dynamicAllocation: job.dynamicAllocation ?? inherited.dynamicAllocation,
    sparkConf: merged(inherited.sparkConf, job.sparkConf),
    releaseLabel: job.releaseLabel ?? inherited.releaseLabel,
    monitoring: merged(inherited.monitoring, job.monitoring),
    gangScheduling: merged(inherited.gangScheduling, job.gangScheduling),
  };
}

function merged<T extends object>(under: T | undefined, over: T | undefined): T | undefined {
  if (under === undefined) return over;
  if (over === undefined) return under;
  const defined = Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined));
  return { ...under, ...defined };
}

/** A file from `jobs/<team>/` that travels with a job. */
export interface JobFile {
  /** Repository-relative path, e.g. `jobs/emr-data-team-a/taxi-trip.py`. */
  readonly path: string;
  /** File name: the ConfigMap key and the last segment of its S3 key. */
  readonly file: string;
}

/** `jobs/<team>/<file>` → the file, or undefined for anything else. */
export function jobFile(team: Team, path: string): JobFile | undefined {
  const folder = teamJobsFolder(team);
  if (!path.startsWith(folder)) return undefined;
  const file = path.slice(folder.length);
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file) ? { path, file } : undefined;
}
