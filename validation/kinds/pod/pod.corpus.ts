/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import {
  type KindCorpus,
  classification,
  EBS_EXECUTOR,
  edit,
  gang,
  heapFillingTheLargestNode,
  job,
  JOB_RUNS,
  LIMITS,
  NVME_DRIVER,
  QUOTA,
  submitter,
  TEMPLATES,
  WHOLE_DRIVER,
  WHOLE_EXECUTOR,
  withClaimMountedBy,
  withJob,
} from '../../../test/validation/corpus';
import {
  DRIVER_PVC_FILE,
  editTemplate,
  fileEnding,
  mutate,
  SAMPLE_JOBRUN_FILE,
} from '../../../test/validation/helpers';

/**
 * The pod corpus: every pod that runs (EMR's pods of a JobRun, workloads' pods), admitted
 * (`admission.ts`), placed (`placement.ts`) and gang-scheduled (`task-groups.ts`).
 */
export const podCorpus: KindCorpus = {
  kind: 'Pod',
  mustCatch: [
    job('cross.fit', 'executor larger than any allowed instance', (j) => {
      j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters += ' --conf spark.executor.memory=100g';
    }),
    {
      name: 'driver template that lets the driver land on Spot without saying so',
      rule: 'pod.driver-spot',
      file: TEMPLATES,
      set: () => {
        const set = withJob();
        return mutate(set, fileEnding(set, TEMPLATES), (o) =>
          editTemplate(o, NVME_DRIVER, (pod) => {
            delete pod.spec.nodeSelector['karpenter.sh/capacity-type'];
          }),
        );
      },
    },
    {
      name: 'a ReadWriteOnce claim mounted by every executor',
      rule: 'pod.rwo-claim-shared',
      file: DRIVER_PVC_FILE,
      set: () => withClaimMountedBy(EBS_EXECUTOR),
    },
    {
      name: 'a logging container asking for more memory than a LimitRange default limit',
      rule: 'admission.limit-below-request',
      file: SAMPLE_JOBRUN_FILE,
      set: () => {
        const set = withJob(classification('emr-containers-defaults', { 'logging.request.memory': '1Gi' }));
        return mutate(set, fileEnding(set, LIMITS), (o) => {
          o.spec.limits[0].default = { memory: '512Mi' };
        });
      },
    },
    edit(
      QUOTA,
      'admission.quota-unset',
      'a quota on limits.cpu, which no LimitRange default sets',
      (o) => {
        o.spec.hard['limits.cpu'] = '1000';
      },
      JOB_RUNS,
    ),
    {
      name: 'a job needing more CPU than the whole team quota',
      rule: 'admission.quota-exceeded',
      file: SAMPLE_JOBRUN_FILE,
      set: () => {
        const set = withJob();
        return mutate(set, fileEnding(set, QUOTA), (o) => {
          o.spec.hard['requests.cpu'] = '3';
        });
      },
    },
    edit(
      LIMITS,
      'admission.limit-range',
      'a LimitRange maximum below the Spark containers',
      (o) => {
        o.spec.limits[0].max = { memory: '1Gi' };
      },
      JOB_RUNS,
    ),
    job(
      'cross.fit',
      'an executor that fits the largest node alone, but not with its logging container',
      (j) => {
        j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters += ` --conf spark.executor.memory=${heapFillingTheLargestNode()} --conf spark.executor.memoryOverhead=384m`;
      },
    ),
    job(
      'pod.ca-evictable',
      'a job submitter Cluster Autoscaler may evict',
      submitter((p) => {
        delete p['jobsubmitter.annotation.cluster-autoscaler.kubernetes.io/safe-to-evict'];
      }),
    ),
    job(
      'pod.submitter-spot',
      'a job submitter placed on the Spot-capable compute pool',
      submitter((p) => {
        p['jobsubmitter.node.selector.NodeGroupType'] = 'SparkComputeOptimized';
        p['jobsubmitter.node.toleration.spark-compute-optimized'] = 'true';
        p['jobsubmitter.node.toleration.spark-compute-optimized.effect'] = 'NoSchedule';
      }),
    ),
    job(
      'pod.unschedulable',
      'a job submitter selecting no node group',
      submitter((p) => {
        p['jobsubmitter.node.selector.NodeGroupType'] = 'no-such-group';
      }),
    ),
    edit(
      TEMPLATES,
      'pod.karpenter-disruptable',
      'a driver template without karpenter.sh/do-not-disrupt',
      (o) => {
        editTemplate(o, NVME_DRIVER, (pod) => {
          delete pod.metadata.annotations;
        });
      },
    ),
    job(
      'yunikorn.task-groups-unknown-key',
      'task group with minMembers',
      gang(2, WHOLE_EXECUTOR, WHOLE_DRIVER, 'minMembers'),
    ),
    job(
      'yunikorn.task-groups-overhead',
      'task group memory without the overhead',
      gang(2, { cpu: '2100m', memory: '8Gi' }),
    ),
    job(
      'pod.task-group-undersized',
      "task groups reserving Spark's request but not the logging container (the old 1 CPU / 5734Mi)",
      gang(2, { cpu: '2', memory: '11468Mi' }, { cpu: '1', memory: '5734Mi' }),
    ),
  ],
};
