import { CORE_NODE_SELECTOR } from '../../config/core-node-group';
import type { ApplicationConfiguration } from './configuration-overrides';

/**
 * What EMR on EKS adds to the pods of a job, decided here instead of by EMR's defaults (EMR on EKS
 * Development Guide: "Using Amazon EMR container defaults classification" and "Using job
 * submitter classification"):
 *
 * - EMR adds a logging container to the driver and to every executor when
 *   `monitoringConfiguration` ships logs. EMR's default is 512Mi of memory and no CPU request,
 *   which leaves the CPU to the namespace's LimitRange; both are written out here
 *   (`emr-containers-defaults`: `logging.request.cores`, `logging.request.memory`), so the pods,
 *   the YuniKorn placeholders and the quota all count the same numbers.
 * - The job submitter (job-runner) pod that runs spark-submit has its own logging container
 *   (EMR's defaults 100m / 200Mi, written out under `emr-job-submitter`). The pod is owned by a
 *   Kubernetes Job, so Cluster Autoscaler would evict it when it scales the core node group
 *   down, and the whole job would fail: it is placed on the core (On-Demand) node group and
 *   annotated `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`, which keeps its node.
 */

/** A container's CPU (millicores) and memory (MiB) request. */
export interface ContainerRequest {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** The logging container on the driver and on each executor. */
export const SPARK_LOGGING_REQUEST: ContainerRequest = { cpuMillis: 100, memoryMiB: 512 };
/** The logging container on the job submitter pod (EMR's defaults). */
export const SUBMITTER_LOGGING_REQUEST: ContainerRequest = { cpuMillis: 100, memoryMiB: 200 };

/** Cluster Autoscaler does not scale down a node that runs a pod annotated with "false". */
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** `100m`, `2`: a CPU quantity from millicores. */
export function cpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** `512Mi`: a memory quantity from MiB. */
export function memoryQuantity(mib: number): string {
  return `${Math.ceil(mib)}Mi`;
}

/** `emr-containers-defaults`: the driver and executor logging container's requests. */
export function emrContainersDefaults(): ApplicationConfiguration {
  return {
    classification: 'emr-containers-defaults',
    properties: {
      'logging.request.cores': cpuQuantity(SPARK_LOGGING_REQUEST.cpuMillis),
      'logging.request.memory': memoryQuantity(SPARK_LOGGING_REQUEST.memoryMiB),
    },
  };
}

/**
 * `emr-job-submitter`: the submitter's logging requests, its placement on the core node group,
 * and the annotation that keeps Cluster Autoscaler from evicting it.
 */
export function jobSubmitterConfiguration(): ApplicationConfiguration {
  const selector = Object.fromEntries(
    Object.entries(CORE_NODE_SELECTOR).map(([key, value]) => [`jobsubmitter.node.selector.${key}`, value]),
  );
  return {
    classification: 'emr-job-submitter',
    properties: {
      'jobsubmitter.logging.request.cores': cpuQuantity(SUBMITTER_LOGGING_REQUEST.cpuMillis),
      'jobsubmitter.logging.request.memory': memoryQuantity(SUBMITTER_LOGGING_REQUEST.memoryMiB),
      [`jobsubmitter.annotation.${SAFE_TO_EVICT_ANNOTATION}`]: 'false',
      ...selector,
    },
  };
}
