import type { Toleration } from '../imports/k8s';
import type { EffectiveJob } from '../../model/effective-job';
import { sortKeys } from '../../lib/serialize';
import type { SparkPodTemplate } from '../constructs/spark-pod-template';
import { cpuQuantity, memoryQuantity } from './emr-containers';
import { jobPodRequest, sparkPodRequest } from './spark-resources';

/**
 * YuniKorn gang scheduling for a Spark job: two task groups whose placeholders reserve the
 * driver and every executor before any of them starts. Each group's `minResource` is the whole
 * real pod (Spark's container with memory overhead, EMR's logging container, the template's init
 * containers): a placeholder smaller than its real pod is not swapped for it but released, and
 * the gang guarantee silently disappears. Its nodeSelector and tolerations are those of the pod
 * template the real pods use, so the placeholders land on (and make Karpenter launch) the same
 * NodePool. `minMember` is the executor count the job runs (the seed reserved 20 for 2).
 */

export const DRIVER_TASK_GROUP = 'spark-driver';
export const EXECUTOR_TASK_GROUP = 'spark-executor';
const ANNOTATION = 'yunikorn.apache.org/';

/** One entry of the `yunikorn.apache.org/task-groups` annotation (k8shim TaskGroup). */
export interface TaskGroup {
  readonly name: string;
  readonly minMember: number;
  readonly minResource: { readonly cpu: string; readonly memory: string };
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
}

/** How many executors the placeholders reserve: the fixed count, or dynamic allocation's minimum. */
export function gangExecutors(job: EffectiveJob): number {
  return job.executors.kind === 'fixed' ? job.executors.instances : job.executors.min;
}

function group(
  name: string,
  minMember: number,
  job: EffectiveJob,
  role: 'driver' | 'executor',
  template: SparkPodTemplate,
): TaskGroup {
  const request = jobPodRequest(job, role, template);
  const { nodeSelector, tolerations } = template.spec;
  return {
    name,
    minMember,
    minResource: { cpu: cpuQuantity(request.cpuMillis), memory: memoryQuantity(request.memoryMiB) },
    ...(nodeSelector && Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations && tolerations.length > 0 ? { tolerations } : {}),
  };
}

/** The driver and executor task groups of a job. */
export function taskGroups(
  job: EffectiveJob,
  driverTemplate: SparkPodTemplate,
  executorTemplate: SparkPodTemplate,
): TaskGroup[] {
  return [
    group(DRIVER_TASK_GROUP, 1, job, 'driver', driverTemplate),
    group(EXECUTOR_TASK_GROUP, gangExecutors(job), job, 'executor', executorTemplate),
  ];
}

/**
 * The Spark properties that gang-schedule a job with YuniKorn: the scheduler name, the team's
 * queue (`root.<namespace>`, what the chart's `tag: namespace` placement rule yields), each role's
 * task group name, the task groups on the driver (the first pod of the application), the policy
 * parameters, and the memory overheads written out so the pods request exactly what the
 * placeholders reserved.
 */
export function gangSchedulingProperties(
  job: EffectiveJob,
  namespace: string,
  driverTemplate: SparkPodTemplate,
  executorTemplate: SparkPodTemplate,
): Record<string, string> {
  const gang = job.gangScheduling;
  if (!gang) return {};
  const driver = `spark.kubernetes.driver.annotation.${ANNOTATION}`;
  const executor = `spark.kubernetes.executor.annotation.${ANNOTATION}`;
  const groups = taskGroups(job, driverTemplate, executorTemplate);
  return {
    'spark.kubernetes.scheduler.name': 'yunikorn',
    [`${driver}queue`]: `root.${namespace}`,
    [`${executor}queue`]: `root.${namespace}`,
    [`${driver}task-group-name`]: DRIVER_TASK_GROUP,
    [`${executor}task-group-name`]: EXECUTOR_TASK_GROUP,
    [`${driver}task-groups`]: JSON.stringify(sortKeys(groups)),
    [`${driver}schedulingPolicyParameters`]: `placeholderTimeoutInSeconds=${gang.placeholderTimeoutSeconds} gangSchedulingStyle=${gang.style}`,
    'spark.driver.memoryOverhead': `${sparkPodRequest(job, 'driver').overheadMiB}m`,
    'spark.executor.memoryOverhead': `${sparkPodRequest(job, 'executor').overheadMiB}m`,
  };
}
