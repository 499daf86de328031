import {
  IMAGE_SCHEME,
  JOB_BUILT_IN_DEFAULTS,
  jobFile,
  mergeJobSettings,
  type Job,
  type JobFile,
  type StorageVariant,
} from '../config/jobs';
import type { JobRetry, JobSchedule } from '../config/job-chains';
import type { Environment, NodePool, Team } from '../config/schema';
import { versions } from '../config/versions';

/**
 * A job as the renderers see it: the job file's settings with the team's `jobDefaults` merged
 * under them, the built-in defaults under those, and every reference (node pool, storage, files)
 * resolved against the environment.
 */

/** How Spark finds the application. */
export type JobEntryPoint =
  { readonly kind: 'artifact'; readonly source: JobFile } | { readonly kind: 'image'; readonly uri: string };

/** Sizes of one Spark pod role. */
export interface SparkPodSize {
  readonly cores: number;
  readonly memory: string;
  readonly memoryOverhead?: string;
}

/** How many executors a job runs. */
export type ExecutorCount =
  | { readonly kind: 'fixed'; readonly instances: number }
  | { readonly kind: 'dynamic'; readonly min: number; readonly max: number; readonly initial?: number };

/** A job with every default applied and every reference resolved. */
export interface EffectiveJob {
  readonly team: Team;
  readonly name: string;
  readonly description: string;
  readonly entryPoint: JobEntryPoint;
  /** Arguments with placeholders still in them (the manifests side knows the artifact hashes). */
  readonly arguments: readonly string[];
  readonly files: readonly JobFile[];
  readonly rerun: number;
  readonly nodePool: NodePool;
  readonly storage: StorageVariant;
  readonly driver: SparkPodSize;
  readonly executor: SparkPodSize;
  readonly executors: ExecutorCount;
  readonly sparkConf: Readonly<Record<string, string>>;
  readonly releaseLabel: string;
  readonly monitoring: { readonly logStreamNamePrefix: string; readonly s3Logs: boolean };
  readonly gangScheduling?: { readonly style: 'Soft' | 'Hard'; readonly placeholderTimeoutSeconds: number };
  /** PySpark (a `.py` entry point): Spark's default memory overhead factor is 0.4, not 0.1. */
  readonly python: boolean;
  /** When the job runs on its own schedule (absent: once per definition, or in its dependencies' ticks). */
  readonly schedule?: JobSchedule;
  /** Jobs of the same team that complete before it starts (empty: none). */
  readonly after: readonly string[];
  readonly retry?: JobRetry;
}

/**
 * The job as the manifests render it. Call only on a loaded platform: `loadPlatform` has
 * reported every problem this function would stumble on, so it throws a plain Error if one
 * slipped through.
 */
export function effectiveJob(env: Environment, team: Team, job: Job): EffectiveJob {
  const settings = mergeJobSettings(env, team, job);
  const fail = (what: string): never => {
    throw new Error(`job ${team.name}/${job.name}: ${what} (loadPlatform should have reported it)`);
  };
  const nodePool = env.nodePools.find((p) => p.name === settings.nodePool) ?? fail('no node pool');
  const storage = settings.storage ?? fail('no storage variant');
  const entryPoint: JobEntryPoint = job.script.startsWith(IMAGE_SCHEME)
    ? { kind: 'image', uri: job.script }
    : {
        kind: 'artifact',
        source: jobFile(team, job.script) ?? fail(`script ${job.script} is not a job file`),
      };
  const files = job.files.map((path) => jobFile(team, path) ?? fail(`${path} is not a job file`));
  const size = (
    role: 'driver' | 'executor',
    given: { cores?: number; memory?: string; memoryOverhead?: string } | undefined,
  ): SparkPodSize => ({
    cores: given?.cores ?? JOB_BUILT_IN_DEFAULTS[role].cores,
    memory: given?.memory ?? JOB_BUILT_IN_DEFAULTS[role].memory,
    ...(given?.memoryOverhead !== undefined ? { memoryOverhead: given.memoryOverhead } : {}),
  });
  const dynamic = settings.dynamicAllocation;
  const executors: ExecutorCount = dynamic
    ? {
        kind: 'dynamic',
        min: dynamic.minExecutors,
        max: dynamic.maxExecutors,
        ...(dynamic.initialExecutors !== undefined ? { initial: dynamic.initialExecutors } : {}),
      }
    : { kind: 'fixed', instances: settings.executor?.instances ?? JOB_BUILT_IN_DEFAULTS.executor.instances };
  const gang = settings.gangScheduling;
  const script = entryPoint.kind === 'image' ? entryPoint.uri : entryPoint.source.file;
  return {
    team,
    name: job.name,
    description: job.description,
    entryPoint,
    arguments: job.arguments,
    files,
    rerun: job.rerun,
    nodePool,
    storage,
    driver: size('driver', settings.driver),
    executor: size('executor', settings.executor),
    executors,
    sparkConf: settings.sparkConf ?? {},
    releaseLabel: settings.releaseLabel ?? versions.emrReleaseLabel,
    monitoring: {
      logStreamNamePrefix: settings.monitoring?.logStreamNamePrefix ?? job.name,
      s3Logs: settings.monitoring?.s3Logs ?? JOB_BUILT_IN_DEFAULTS.s3Logs,
    },
    ...(gang?.enabled === true
      ? {
          gangScheduling: {
            style: gang.style ?? JOB_BUILT_IN_DEFAULTS.gangScheduling.style,
            placeholderTimeoutSeconds:
              gang.placeholderTimeoutSeconds ??
              JOB_BUILT_IN_DEFAULTS.gangScheduling.placeholderTimeoutSeconds,
          },
        }
      : {}),
    python: script.endsWith('.py'),
    ...(job.schedule !== undefined ? { schedule: job.schedule } : {}),
    after: job.after ?? [],
    ...(job.retry !== undefined ? { retry: job.retry } : {}),
  };
}
