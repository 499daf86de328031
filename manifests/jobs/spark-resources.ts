import type { EffectiveJob } from '../../model/effective-job';
import {
  SPARK_CONTAINER,
  type SparkPodTemplate,
  type TemplateContainer,
} from '../constructs/spark-pod-template';
import { SPARK_LOGGING_REQUEST } from './emr-containers';

/**
 * What a Spark pod asks Kubernetes for, computed as Spark on Kubernetes does (Spark 3.5, EMR 7):
 * CPU = `spark.kubernetes.<role>.request.cores` or `spark.<role>.cores`; memory = heap +
 * overhead (+ `spark.executor.pyspark.memory` for executors), where the overhead is
 * `spark.<role>.memoryOverhead` if set, else max(384 MiB, ⌊factor × heap⌋) with factor
 * `spark.<role>.memoryOverheadFactor` / `spark.kubernetes.memoryOverheadFactor` if set, else 0.4
 * for PySpark (Spark's NON_JVM_MEMORY_OVERHEAD_FACTOR, propagated to executors) and 0.1 for JVM
 * jobs.
 */

export const MEMORY_OVERHEAD_MIN_MIB = 384;
export const JVM_MEMORY_OVERHEAD_FACTOR = 0.1;
export const NON_JVM_MEMORY_OVERHEAD_FACTOR = 0.4;

/** A Spark memory string (`4g`, `512m`, `2048k`) in MiB. */
export function sparkMemoryMiB(value: string): number {
  const match = /^(\d+)([kmgt])$/i.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a Spark memory size such as 4g or 512m`);
  const units: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };
  return Number(match[1]) * (units[(match[2] ?? 'm').toLowerCase()] ?? 1);
}

/** A Kubernetes CPU quantity (`1`, `0.5`, `500m`) in cores. */
function cpuCores(value: string): number {
  return value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

/** One Spark pod's request. */
export interface SparkPodRequest {
  readonly cpu: number;
  readonly heapMiB: number;
  readonly overheadMiB: number;
  /** Heap + overhead (+ PySpark worker memory): the pod's memory request and limit. */
  readonly memoryMiB: number;
}

/** The request of a job's driver or of each of its executors. */
export function sparkPodRequest(job: EffectiveJob, role: 'driver' | 'executor'): SparkPodRequest {
  const conf = job.sparkConf;
  const size = job[role];
  const requestCores = conf[`spark.kubernetes.${role}.request.cores`];
  const cpu = requestCores !== undefined ? cpuCores(requestCores) : size.cores;
  const heapMiB = sparkMemoryMiB(size.memory);
  const factor = Number(
    conf[`spark.${role}.memoryOverheadFactor`] ??
      conf['spark.kubernetes.memoryOverheadFactor'] ??
      (job.python ? NON_JVM_MEMORY_OVERHEAD_FACTOR : JVM_MEMORY_OVERHEAD_FACTOR),
  );
  const overheadMiB =
    size.memoryOverhead !== undefined
      ? sparkMemoryMiB(size.memoryOverhead)
      : Math.max(MEMORY_OVERHEAD_MIN_MIB, Math.floor(factor * heapMiB));
  const pysparkMiB =
    role === 'executor' && conf['spark.executor.pyspark.memory'] !== undefined
      ? sparkMemoryMiB(conf['spark.executor.pyspark.memory'])
      : 0;
  return { cpu, heapMiB, overheadMiB, memoryMiB: heapMiB + overheadMiB + pysparkMiB };
}

/** The request of a whole pod, as Kubernetes' scheduler, quota and YuniKorn count it. */
export interface PodRequest {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** A container's request of one resource from a pod template (0 when it names none). */
function templateRequest(container: TemplateContainer, resource: 'cpu' | 'memory'): number {
  const value = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  if (value === undefined) return 0;
  return resource === 'cpu' ? Math.round(cpuCores(value) * 1000) : memoryMiB(value);
}

/** A Kubernetes memory quantity (`64Mi`, `1Gi`) in MiB. */
function memoryMiB(value: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a binary memory quantity such as 64Mi or 1Gi`);
  const units: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
  return Number(match[1]) * (units[match[2] ?? 'Mi'] ?? 1);
}

/**
 * What one real driver or executor pod of a job requests: Spark's container (cores, memory with
 * overhead), the logging container EMR adds (`emr-containers-defaults`, written explicitly by the
 * job), and the template's other containers; its init containers by Kubernetes' effective-request
 * rule (the larger of the sum of the containers and the largest init container, per resource).
 * This is what a YuniKorn placeholder must reserve for the real pod to take its place.
 */
export function jobPodRequest(
  job: EffectiveJob,
  role: 'driver' | 'executor',
  template: SparkPodTemplate,
): PodRequest {
  const spark = sparkPodRequest(job, role);
  const sidecars = template.spec.containers.filter((c) => c.name !== SPARK_CONTAINER[role]);
  const init = template.spec.initContainers ?? [];
  const effective = (resource: 'cpu' | 'memory', main: number, logging: number): number =>
    Math.max(
      main + logging + sidecars.reduce((sum, c) => sum + templateRequest(c, resource), 0),
      ...init.map((c) => templateRequest(c, resource)),
    );
  return {
    cpuMillis: effective('cpu', Math.round(spark.cpu * 1000), SPARK_LOGGING_REQUEST.cpuMillis),
    memoryMiB: effective('memory', spark.memoryMiB, SPARK_LOGGING_REQUEST.memoryMiB),
  };
}
