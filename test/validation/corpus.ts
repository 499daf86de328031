/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { load } from 'js-yaml';
import {
  defaultSet,
  DRIVER_PVC_FILE,
  editTemplate,
  fileEnding,
  legacyDriverClaim,
  mutate,
  SAMPLE_JOBRUN_FILE,
  sampleJobRun,
  type Tree,
} from './helpers';
import { allocatable, INSTANCE_CATALOG } from '../../validation/instance-catalog';
import type { ValidationSet } from '../../validation/validate';

type Json = Tree;

export const A = 'emr-data-team-a';
export const TEMPLATES = `${A}/ConfigMap.spark-pod-templates.yaml`;
export const NVME_DRIVER = 'spark-compute-optimized-nvme-driver.yaml';
export const QUEUES = 'ConfigMap.yunikorn-configs.yaml';

/** The default set with the sample JobRun, changed by `change`. */
export function withJob(change?: (job: Json) => void): ValidationSet {
  const job = sampleJobRun();
  change?.(job);
  return defaultSet([{ file: SAMPLE_JOBRUN_FILE, object: job }]);
}

/** Edits a JobRun's configurationOverrides (a JSON string). */
export function overrides(job: Json, change: (o: Json) => void): void {
  const parsed = JSON.parse(job.spec.configurationOverrides as string) as Json;
  change(parsed);
  job.spec.configurationOverrides = JSON.stringify(parsed);
}

/** Edits the queues.yaml of the yunikorn-configs ConfigMap. */
export function queues(configMap: Json, change: (config: Json) => void): void {
  const config = load(configMap.data['queues.yaml'] as string) as Json;
  change(config);
  configMap.data['queues.yaml'] = JSON.stringify(config);
}

/** Team a's queue in a parsed queues.yaml. */
export const teamQueue = (config: Json): Json => config.partitions[0].queues[0].queues[0];

/** One broken object the validator must catch: `rule`, on `file`. */
export interface Case {
  readonly name: string;
  readonly rule: string;
  /** A file suffix and a mutation of that object, or a whole set. */
  readonly set: () => ValidationSet;
  /** The file the finding must name (a suffix, or a pattern); defaults to the mutated file. */
  readonly file?: string | RegExp;
}

/**
 * The corpus of one kind (kept beside it, `validation/kinds/<kind>/<kind>.corpus.ts`): the broken
 * objects its rules must catch, and the near misses (valid variants) that must pass with no
 * finding at all. `test/validation/corpus.test.ts` runs every kind's corpus.
 */
export interface KindCorpus {
  /** What the cases judge: a kind (`JobRun`) or a rule family (`core kinds`). */
  readonly kind: string;
  readonly mustCatch: readonly Case[];
  readonly nearMiss?: readonly NearMiss[];
}

/** A valid variant close to a must-catch case: it must pass with no finding. */
export interface NearMiss {
  readonly name: string;
  readonly set: () => ValidationSet;
}

/** A case that breaks the object of the default set whose file ends with `suffix`. */
export function edit(
  suffix: string,
  rule: string,
  name: string,
  change: (o: Json) => void,
  file?: string | RegExp,
): Case {
  return {
    name,
    rule,
    file: file ?? suffix,
    set: () => {
      const set = defaultSet();
      return mutate(set, fileEnding(set, suffix), change);
    },
  };
}

/** A valid change to the object of the default set whose file ends with `suffix`. */
export function nearMiss(suffix: string, name: string, change: (o: Json) => void): NearMiss {
  return {
    name,
    set: () => {
      const set = defaultSet();
      return mutate(set, fileEnding(set, suffix), change);
    },
  };
}

/** A case that breaks the sample JobRun (added to the default set). */
export function job(rule: string, name: string, change: (j: Json) => void, file = SAMPLE_JOBRUN_FILE): Case {
  return { name, rule, file, set: () => withJob(change) };
}

/** A case on the fixed driver claim team apps used to carry (no longer rendered). */
export function claim(rule: string, name: string, change: (o: Json) => void): Case {
  return {
    name,
    rule,
    file: DRIVER_PVC_FILE,
    set: () => {
      const pvc = legacyDriverClaim();
      change(pvc);
      return defaultSet([{ file: DRIVER_PVC_FILE, object: pvc }]);
    },
  };
}

export const POOL = 'NodePool.spark-compute-optimized.yaml';
export const NODE_CLASS = 'EC2NodeClass.spark-compute-optimized.yaml';

export const JOB_FILES = `${A}/ConfigMap.spark-job-files.yaml`;
export const QUOTA = `${A}/ResourceQuota.team-budget.yaml`;
export const LIMITS = `${A}/LimitRange.container-defaults.yaml`;
export const EBS_DRIVER = 'spark-compute-optimized-ebs-driver.yaml';
export const EBS_EXECUTOR = 'spark-compute-optimized-ebs-executor.yaml';
export const NVME_EXECUTOR = 'spark-compute-optimized-nvme-executor.yaml';
export const JOB_RUNS = /\/JobRun\.[^/]+\.yaml$/;
export const UPLOAD_JOB = /\/emr-data-team-a\/Job\.upload-artifacts-[0-9a-f]{8}\.yaml$/;

/** `set` with one object's sync wave changed. */
export function rewave(set: ValidationSet, file: string | RegExp, wave: string): ValidationSet {
  const target = set.documents.find((d) =>
    file instanceof RegExp ? file.test(d.file) : d.file.endsWith(file),
  );
  if (target === undefined) throw new Error(`no document ${String(file)}`);
  return mutate(set, target.file, (o) => {
    o.metadata.annotations['argocd.argoproj.io/sync-wave'] = wave;
  });
}

/** Mounts the fixed driver claim in one of team a's pod templates, as the EBS driver template once did. */
export function mountClaim(key: string): (configMap: Json) => void {
  return (configMap) => {
    editTemplate(configMap, key, (pod) => {
      pod.spec.volumes = [
        { name: 'spark-local-dir-1', persistentVolumeClaim: { claimName: 'spark-driver-pvc' } },
      ];
      pod.spec.containers[0].volumeMounts = [{ name: 'spark-local-dir-1', mountPath: '/data1' }];
    });
  };
}

export function withClaimMountedBy(key: string, wave = '6'): ValidationSet {
  const set = defaultSet([{ file: DRIVER_PVC_FILE, object: legacyDriverClaim(wave) }]);
  return mutate(set, fileEnding(set, TEMPLATES), mountClaim(key));
}

/** Adds a classification to the sample JobRun's overrides. */
export function classification(name: string, properties: Record<string, string>): (j: Json) => void {
  return (j) =>
    overrides(j, (o) => {
      o.applicationConfiguration.push({ classification: name, properties });
    });
}

export function submitter(change: (properties: Record<string, string>) => void): (j: Json) => void {
  return (j) =>
    overrides(j, (o) => {
      change(
        o.applicationConfiguration.find((c: Json) => c.classification === 'emr-job-submitter').properties,
      );
    });
}

/** An executor heap that fits the compute pool's largest instance alone, but not with the logging container. */
export function heapFillingTheLargestNode(): string {
  const set = defaultSet();
  const pool = set.documents.find((d) => d.file.endsWith(POOL))?.object as Json;
  const types: string[] = pool.spec.template.spec.requirements.find(
    (r: Json) => r.key === 'node.kubernetes.io/instance-type',
  ).values;
  const largest = Math.max(
    ...types.map((t) => {
      const facts = INSTANCE_CATALOG.get(t);
      return facts === undefined ? 0 : allocatable(facts).memoryMiB;
    }),
  );
  return `${Math.floor(largest - 256 - 384)}m`;
}

/** Task-group minResource of one role. */
export interface Reserve {
  readonly cpu: string;
  readonly memory: string;
}

/** What the sample JobRun's real pods request: Spark with overhead, the logging container, LimitRange CPU. */
export const WHOLE_DRIVER: Reserve = { cpu: '1100m', memory: '6246Mi' };
export const WHOLE_EXECUTOR: Reserve = { cpu: '2100m', memory: '12Gi' };

/** Makes the sample JobRun a YuniKorn gang: its task groups and group names in the Spark conf. */
export function gang(
  members: number,
  executor: Reserve,
  driver: Reserve = WHOLE_DRIVER,
  extraKey?: string,
): (j: Json) => void {
  return (j) => {
    const groups = [
      { name: 'spark-driver', minMember: 1, minResource: driver },
      {
        name: 'spark-executor',
        minMember: members,
        minResource: executor,
        ...(extraKey ? { [extraKey]: 2 } : {}),
      },
    ];
    const pools = {
      nodeSelector: { NodeGroupType: 'SparkComputeOptimized' },
      tolerations: [
        { effect: 'NoSchedule', key: 'spark-compute-optimized', operator: 'Equal', value: 'true' },
      ],
    };
    // The driver template pins on-demand capacity; its task group carries the same selector.
    const placed = groups.map((g) => ({
      ...g,
      ...pools,
      ...(g.name === 'spark-driver'
        ? { nodeSelector: { ...pools.nodeSelector, 'karpenter.sh/capacity-type': 'on-demand' } }
        : {}),
    }));
    j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters += [
      ` --conf spark.kubernetes.driver.annotation.yunikorn.apache.org/task-groups='${JSON.stringify(placed)}'`,
      ' --conf spark.kubernetes.driver.annotation.yunikorn.apache.org/task-group-name=spark-driver',
      ' --conf spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name=spark-executor',
    ].join('');
  };
}
