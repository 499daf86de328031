import { parseQuantity } from './kubernetes-formats';

/**
 * What Spark on Kubernetes asks of Kubernetes for a driver or an executor, from its settings:
 * the sizing both the validator (fit, placement, quotas) and the review (the compute a job
 * reserves) read.
 */

/** A JobRun's Spark settings as spark-submit sees them (key → value). */
export type SparkConf = ReadonlyMap<string, string>;

/** Spark's JVM memory strings (`4g`, `512m`, `4096`) in MiB. */
export function sparkMemoryMiB(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmgtp]?)b?$/i.exec(value.trim());
  if (match === null) throw new Error(`"${value}" is not a Spark memory size (e.g. 4g, 512m)`);
  const number = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const factor: Record<string, number> = {
    '': 1 / (1024 * 1024),
    k: 1 / 1024,
    m: 1,
    g: 1024,
    t: 1024 * 1024,
    p: 1024 ** 3,
  };
  // A bare number is MiB for spark.*.memory, as Spark reads it.
  return unit === '' ? number : number * (factor[unit] ?? 1);
}

/** One Spark pod's request, as Kubernetes sees it. */
export interface SparkPodRequest {
  readonly cpu: number;
  /** Heap + memory overhead (+ PySpark memory), MiB. */
  readonly memoryMiB: number;
  readonly overheadMiB: number;
}

const MIN_OVERHEAD_MIB = 384;

/**
 * The resources Spark on Kubernetes requests for the driver or executor pods: cores (or the
 * request override), memory plus overhead — `spark.<role>.memoryOverhead` if set, else the
 * overhead factor (0.1 for JVM jobs, 0.4 for Python/R on Kubernetes) with a 384 MiB floor.
 */
export function sparkPodRequest(
  conf: SparkConf,
  role: 'driver' | 'executor',
  entryPoint: string,
): SparkPodRequest {
  const cpuRequest = conf.get(`spark.kubernetes.${role}.request.cores`);
  const cpu =
    cpuRequest !== undefined ? parseQuantity(cpuRequest) : Number(conf.get(`spark.${role}.cores`) ?? '1');
  const heap = sparkMemoryMiB(conf.get(`spark.${role}.memory`) ?? '1g');
  const explicit = conf.get(`spark.${role}.memoryOverhead`);
  const nonJvm = /\.(py|r)$/i.test(entryPoint);
  const factor = Number(
    conf.get(`spark.${role}.memoryOverheadFactor`) ??
      conf.get('spark.kubernetes.memoryOverheadFactor') ??
      (nonJvm ? 0.4 : 0.1),
  );
  const overhead =
    explicit !== undefined ? sparkMemoryMiB(explicit) : Math.max(MIN_OVERHEAD_MIB, Math.floor(heap * factor));
  const pyspark =
    role === 'executor' && conf.has('spark.executor.pyspark.memory')
      ? sparkMemoryMiB(conf.get('spark.executor.pyspark.memory') ?? '0')
      : 0;
  return { cpu, memoryMiB: heap + overhead + pyspark, overheadMiB: overhead };
}

/**
 * What EMR on EKS requests for its logging containers when the job's `emr-containers-defaults`
 * and `emr-job-submitter` classifications do not say (EMR on EKS Development Guide).
 */
export const EMR_LOGGING_DEFAULTS = {
  sparkMemory: '512Mi',
  submitterCpu: '100m',
  submitterMemory: '200Mi',
} as const;
