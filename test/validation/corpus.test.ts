/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import {
  artifactUri,
  defaultSet,
  DRIVER_PVC_FILE,
  editTemplate,
  fileEnding,
  findings,
  legacyDriverClaim,
  mutate,
  SAMPLE_JOBRUN_FILE,
  sampleJobRun,
  type Tree,
} from './helpers';
import { allocatable, INSTANCE_CATALOG } from '../../validation/instance-catalog';
import type { ValidationSet } from '../../validation/validate';

type Json = Tree;

const A = 'emr-data-team-a';
const TEMPLATES = `${A}/ConfigMap.spark-pod-templates.yaml`;
const NVME_DRIVER = 'spark-compute-optimized-nvme-driver.yaml';
const QUEUES = 'ConfigMap.yunikorn-configs.yaml';

function withJob(change?: (job: Json) => void): ValidationSet {
  const job = sampleJobRun();
  change?.(job);
  return defaultSet([{ file: SAMPLE_JOBRUN_FILE, object: job }]);
}

function overrides(job: Json, change: (o: Json) => void): void {
  const parsed = JSON.parse(job.spec.configurationOverrides as string) as Json;
  change(parsed);
  job.spec.configurationOverrides = JSON.stringify(parsed);
}

function queues(configMap: Json, change: (config: Json) => void): void {
  const config = load(configMap.data['queues.yaml'] as string) as Json;
  change(config);
  configMap.data['queues.yaml'] = JSON.stringify(config);
}

const teamQueue = (config: Json): Json => config.partitions[0].queues[0].queues[0];

interface Case {
  readonly name: string;
  readonly rule: string;
  /** A file suffix and a mutation of that object, or a whole set. */
  readonly set: () => ValidationSet;
  /** The file the finding must name (a suffix, or a pattern); defaults to the mutated file. */
  readonly file?: string | RegExp;
}

function edit(
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

function job(rule: string, name: string, change: (j: Json) => void, file = SAMPLE_JOBRUN_FILE): Case {
  return { name, rule, file, set: () => withJob(change) };
}

/** A case on the fixed driver claim team apps used to carry (no longer rendered). */
function claim(rule: string, name: string, change: (o: Json) => void): Case {
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

const POOL = 'NodePool.spark-compute-optimized.yaml';
const NODE_CLASS = 'EC2NodeClass.spark-compute-optimized.yaml';

const corpus: Case[] = [
  edit(POOL, 'schema.unknown-field', 'typo in a NodePool field', (o) => {
    o.spec.disruption.consolidateAfer = '120s';
  }),
  edit(POOL, 'schema.pattern', 'consolidateAfter: 1d', (o) => {
    o.spec.disruption.consolidateAfter = '1d';
  }),
  edit(POOL, 'schema.enum', 'the v1beta1 policy WhenUnderutilized', (o) => {
    o.spec.disruption.consolidationPolicy = 'WhenUnderutilized';
  }),
  edit(POOL, 'cel', 'restricted karpenter.sh label', (o) => {
    o.spec.template.metadata.labels['karpenter.sh/custom'] = 'x';
  }),
  edit(POOL, 'cel', 'In without values', (o) => {
    o.spec.template.spec.requirements.push({
      key: 'karpenter.k8s.aws/instance-family',
      operator: 'In',
      values: [],
    });
  }),
  edit(POOL, 'schema.required', 'nodeClassRef without group', (o) => {
    delete o.spec.template.spec.nodeClassRef.group;
  }),
  edit(POOL, 'scope.namespace-forbidden', 'namespace on a NodePool', (o) => {
    o.metadata.namespace = 'karpenter';
  }),
  {
    name: 'NodePool nodeClassRef kind edited against HEAD',
    rule: 'cel.transition',
    file: POOL,
    set: () => {
      const set = defaultSet();
      const changed = mutate(set, fileEnding(set, POOL), (o) => {
        o.spec.template.spec.nodeClassRef.kind = 'OtherNodeClass';
      });
      return { ...changed, previous: set.documents };
    },
  },
  edit(POOL, 'gvk.unknown', 'karpenter.sh/v1beta1', (o) => {
    o.apiVersion = 'karpenter.sh/v1beta1';
  }),
  edit(POOL, 'cross.arch', 'graviton instance types on an amd64 pool', (o) => {
    o.spec.template.spec.requirements
      .find((r: Json) => r.key === 'node.kubernetes.io/instance-type')
      .values.push('r6gd.4xlarge');
  }),
  edit(POOL, 'cross.instance-unknown', 'an instance type the catalog cannot size', (o) => {
    o.spec.template.spec.requirements
      .find((r: Json) => r.key === 'node.kubernetes.io/instance-type')
      .values.push('x9z.large');
  }),
  edit(NODE_CLASS, 'cel', 'both role and instanceProfile', (o) => {
    o.spec.instanceProfile = 'KarpenterNodeInstanceProfile';
  }),
  edit(NODE_CLASS, 'schema.pattern', 'volumeSize 100GB', (o) => {
    o.spec.blockDeviceMappings[0].ebs.volumeSize = '100GB';
  }),
  edit(NODE_CLASS, 'cel', 'alias with another AMI term', (o) => {
    o.spec.amiSelectorTerms.push({ id: 'ami-0123456789abcdef0' });
  }),
  edit(NODE_CLASS, 'cel', 'restricted kubernetes.io/cluster tag', (o) => {
    o.spec.tags['kubernetes.io/cluster/emr-eks-karpenter'] = 'owned';
  }),
  edit(
    NODE_CLASS,
    'cross.nvme-raid0',
    'NVMe template on a pool without RAID0',
    (o) => {
      delete o.spec.instanceStorePolicy;
    },
    TEMPLATES,
  ),
  edit('StorageClass.gp3.yaml', 'enum.volume-binding-mode', 'volumeBindingMode Later', (o) => {
    o.volumeBindingMode = 'Later';
  }),
  edit('StorageClass.gp3.yaml', 'enum.reclaim-policy', 'StorageClass reclaimPolicy Recycle', (o) => {
    o.reclaimPolicy = 'Recycle';
  }),
  claim('enum.access-mode', 'accessModes ReadWriteAll', (o) => {
    o.spec.accessModes = ['ReadWriteAll'];
  }),
  claim('quantity', 'storage "50 GB"', (o) => {
    o.spec.resources.requests.storage = '50 GB';
  }),
  edit(`${A}/ResourceQuota.team-budget.yaml`, 'quantity', 'quota of "lots"', (o) => {
    o.spec.hard['requests.cpu'] = 'lots';
  }),
  edit(`${A}/LimitRange.container-defaults.yaml`, 'enum.limit-type', 'LimitRange type Node', (o) => {
    o.spec.limits[0].type = 'Node';
  }),
  edit('Namespace.emr-data-team-a.yaml', 'metadata.name', 'Namespace named Team_A', (o) => {
    o.metadata.name = 'Team_A';
  }),
  edit(TEMPLATES, 'metadata.label-key', 'label key with a space', (o) => {
    o.metadata.labels = { 'bad key': 'x' };
  }),
  edit(TEMPLATES, 'metadata.label-value', 'label value over 63 characters', (o) => {
    o.metadata.labels = { team: 'x'.repeat(64) };
  }),
  edit(
    `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
    'scope.namespace-missing',
    'ServiceAccount without a namespace',
    (o) => {
      delete o.metadata.namespace;
    },
  ),
  edit(
    `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
    'cross.trust-policy',
    "service account annotated with another team's role",
    (o) => {
      o.metadata.annotations['eks.amazonaws.com/role-arn'] =
        'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-b-artifacts';
    },
  ),
  edit(
    `${A}/ServiceAccount.emr-artifact-uploader.yaml`,
    'cross.role-unknown',
    'service account annotated with a role Terraform does not create',
    (o) => {
      o.metadata.annotations['eks.amazonaws.com/role-arn'] = 'arn:aws:iam::111122223333:role/hand-made';
    },
  ),
  edit(`${A}/NetworkPolicy.default-deny-all.yaml`, 'enum.policy-type', 'policyTypes Both', (o) => {
    o.spec.policyTypes = ['Both'];
  }),
  edit(`${A}/RoleBinding.emr-containers.yaml`, 'enum.subject-kind', 'subject kind Robot', (o) => {
    o.subjects[0].kind = 'Robot';
  }),
  edit(
    `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`,
    'schema.unknown-field',
    'containerProvider.type instead of type_',
    (o) => {
      o.spec.containerProvider.type = o.spec.containerProvider.type_;
      delete o.spec.containerProvider.type_;
    },
  ),
  edit(
    `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`,
    'cross.virtual-cluster-namespace',
    "virtual cluster pointing at another team's namespace",
    (o) => {
      o.spec.containerProvider.info.eksInfo.namespace = 'emr-data-team-b';
    },
  ),
  edit(TEMPLATES, 'schema.unknown-field', 'typo in a pod template', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.tolerationz = pod.spec.tolerations;
    });
  }),
  edit(TEMPLATES, 'cross.toleration', 'pod template tolerating no pool', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      delete pod.spec.tolerations;
    });
  }),
  edit(TEMPLATES, 'cross.pod-template-pool', 'pod template selecting no pool', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.nodeSelector = { NodeGroupType: 'SparkGpu' };
    });
  }),
  edit(TEMPLATES, 'pod.duplicate-container', 'duplicate container names', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.containers.push({ ...pod.spec.containers[0] });
    });
  }),
  edit(TEMPLATES, 'enum.restart-policy', 'restartPolicy Sometimes', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.restartPolicy = 'Sometimes';
    });
  }),
  edit(TEMPLATES, 'enum.toleration-operator', 'toleration operator Matches', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.tolerations[0].operator = 'Matches';
    });
  }),
  edit(TEMPLATES, 'pod.unknown-volume', 'mount of an undeclared volume', (o) => {
    editTemplate(o, NVME_DRIVER, (pod) => {
      pod.spec.volumes = [];
    });
  }),
  edit(QUEUES, 'yunikorn.queues-unknown-key', 'queues.yaml with resource: instead of resources:', (o) => {
    queues(o, (c) => {
      const q = teamQueue(c);
      q.resource = q.resources;
      delete q.resources;
    });
  }),
  edit(QUEUES, 'yunikorn.queues-guaranteed-over-max', 'guaranteed above max', (o) => {
    queues(o, (c) => {
      teamQueue(c).resources.guaranteed.vcore = 5000;
    });
  }),
  edit(QUEUES, 'yunikorn.queues-child-over-parent', 'queue children over the parent', (o) => {
    queues(o, (c) => {
      teamQueue(c).queues = [{ name: 'etl', resources: { max: { vcore: 100000 } } }];
    });
  }),
  edit(QUEUES, 'yunikorn.queues-shape', 'queue name with a dot', (o) => {
    queues(o, (c) => {
      teamQueue(c).name = 'team.a';
    });
  }),
  edit(QUEUES, 'cross.queue-budget', 'queue max different from the team budget', (o) => {
    queues(o, (c) => {
      teamQueue(c).resources.max.vcore = 999;
    });
  }),
  {
    name: 'unknown kind',
    rule: 'gvk.unknown',
    file: 'Widget.x.yaml',
    set: () =>
      defaultSet([
        {
          file: 'default/k8s/x/_cluster/Widget.x.yaml',
          object: { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } },
        },
      ]),
  },
  job('schema.type', 'configurationOverrides as an object', (j) => {
    j.spec.configurationOverrides = JSON.parse(j.spec.configurationOverrides);
  }),
  job('jobrun.overrides-unknown-key', 'misspelled configurationOverrides key', (j) => {
    overrides(j, (o) => {
      o.monitoringConfig = o.monitoringConfiguration;
    });
  }),
  job('jobrun.overrides-parse', 'configurationOverrides that does not parse', (j) => {
    j.spec.configurationOverrides = '{"applicationConfiguration": [';
  }),
  job('jobrun.overrides-parse', 'configurationOverrides as JSON with a key twice', (j) => {
    // Laid out as synth writes JSON, but with a duplicate key: read as YAML, which refuses it.
    j.spec.configurationOverrides =
      '{\n  "applicationConfiguration": [],\n  "applicationConfiguration": []\n}';
  }),
  job('jobrun.monitoring-missing', 'no monitoringConfiguration', (j) => {
    overrides(j, (o) => {
      delete o.monitoringConfiguration;
    });
  }),
  job('jobrun.required', 'no execution role', (j) => {
    delete j.spec.executionRoleARN;
  }),
  job('jobrun.pattern', 'release label with a space', (j) => {
    j.spec.releaseLabel = 'emr 7.12.0';
  }),
  job('jobrun.deletion-policy', 'JobRun without the retain policy', (j) => {
    delete j.metadata.annotations;
  }),
  job('cross.fit', 'executor larger than any allowed instance', (j) => {
    j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters += ' --conf spark.executor.memory=100g';
  }),
  job('cross.s3-prefix', "JobRun reading another team's bucket", (j) => {
    j.spec.jobDriver.sparkSubmitJobDriver.entryPointArguments[0] =
      's3://emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2/taxi/input/';
  }),
  {
    name: 'execution role that may list its bucket only under an s3:prefix condition (403 for missing keys)',
    rule: 'cross.s3-list-bucket',
    file: SAMPLE_JOBRUN_FILE,
    set: () => {
      const set = withJob();
      const terraform = structuredClone(set.terraform ?? []) as Json[];
      const policies: Json[] = terraform.flatMap((stack) =>
        Object.values(stack.resource?.aws_iam_role_policy ?? {}),
      );
      const execution = policies.find(
        (p) => p.name === 'emr-job-execution' && String(p.role).includes('team-emr-data-team-a_'),
      );
      if (execution === undefined) throw new Error('no execution policy of team a');
      const document = JSON.parse(execution.policy);
      const list = document.Statement.find((s: Json) => s.Sid === 'ListTeamBucket');
      list.Condition = { StringLike: { 's3:prefix': ['taxi/', 'taxi/*'] } };
      execution.policy = JSON.stringify(document);
      return { ...set, terraform };
    },
  },
  job('cross.jobrun-virtual-cluster', "JobRun on another team's virtual cluster", (j) => {
    j.spec.virtualClusterRef.from = {
      name: 'emr-eks-karpenter-emr-data-team-b',
      namespace: 'emr-data-team-b',
    };
  }),
  job('cross.trust-policy', "JobRun with another team's execution role", (j) => {
    j.spec.executionRoleARN = 'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-b';
  }),
  job('cross.jobrun-pod-template', 'JobRun naming a pod template that is not rendered', (j) => {
    j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters +=
      ' --conf spark.kubernetes.driver.podTemplateFile=s3://b/x/missing.yaml';
  }),
  {
    name: 'JobRun spec edited against HEAD',
    rule: 'cel.transition',
    file: SAMPLE_JOBRUN_FILE,
    set: () => {
      const before = withJob();
      return {
        ...withJob((j) => {
          j.spec.releaseLabel = 'emr-7.11.0-latest';
        }),
        previous: before.documents,
      };
    },
  },
];

const JOB_FILES = `${A}/ConfigMap.spark-job-files.yaml`;
const QUOTA = `${A}/ResourceQuota.team-budget.yaml`;
const LIMITS = `${A}/LimitRange.container-defaults.yaml`;
const EBS_DRIVER = 'spark-compute-optimized-ebs-driver.yaml';
const EBS_EXECUTOR = 'spark-compute-optimized-ebs-executor.yaml';
const NVME_EXECUTOR = 'spark-compute-optimized-nvme-executor.yaml';
const JOB_RUNS = /\/JobRun\.[^/]+\.yaml$/;
const UPLOAD_JOB = /\/emr-data-team-a\/Job\.upload-artifacts-[0-9a-f]{8}\.yaml$/;

/** `set` with one object's sync wave changed. */
function rewave(set: ValidationSet, file: string | RegExp, wave: string): ValidationSet {
  const target = set.documents.find((d) =>
    file instanceof RegExp ? file.test(d.file) : d.file.endsWith(file),
  );
  if (target === undefined) throw new Error(`no document ${String(file)}`);
  return mutate(set, target.file, (o) => {
    o.metadata.annotations['argocd.argoproj.io/sync-wave'] = wave;
  });
}

/** Mounts the fixed driver claim in one of team a's pod templates, as the EBS driver template once did. */
function mountClaim(key: string): (configMap: Json) => void {
  return (configMap) => {
    editTemplate(configMap, key, (pod) => {
      pod.spec.volumes = [
        { name: 'spark-local-dir-1', persistentVolumeClaim: { claimName: 'spark-driver-pvc' } },
      ];
      pod.spec.containers[0].volumeMounts = [{ name: 'spark-local-dir-1', mountPath: '/data1' }];
    });
  };
}

function withClaimMountedBy(key: string, wave = '6'): ValidationSet {
  const set = defaultSet([{ file: DRIVER_PVC_FILE, object: legacyDriverClaim(wave) }]);
  return mutate(set, fileEnding(set, TEMPLATES), mountClaim(key));
}

/** Adds a classification to the sample JobRun's overrides. */
function classification(name: string, properties: Record<string, string>): (j: Json) => void {
  return (j) =>
    overrides(j, (o) => {
      o.applicationConfiguration.push({ classification: name, properties });
    });
}

function submitter(change: (properties: Record<string, string>) => void): (j: Json) => void {
  return (j) =>
    overrides(j, (o) => {
      change(
        o.applicationConfiguration.find((c: Json) => c.classification === 'emr-job-submitter').properties,
      );
    });
}

/** An executor heap that fits the compute pool's largest instance alone, but not with the logging container. */
function heapFillingTheLargestNode(): string {
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

corpus.push(
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
    name: 'Pod Identity role whose trust checks only aws:SourceAccount',
    rule: 'iam.pod-identity-trust-unscoped',
    file: /\/terraform\/base\/cdk\.tf\.json$/,
    set: () => {
      const set = defaultSet();
      const terraform = structuredClone(set.terraform ?? []) as Json[];
      const role = terraform.find((stack) => stack.resource?.aws_iam_role?.['addons_ebs-csi-role'])?.resource
        .aws_iam_role['addons_ebs-csi-role'];
      if (role === undefined) throw new Error('no EBS CSI role');
      const trust = JSON.parse(role.assume_role_policy);
      trust.Statement[0].Condition = { StringEquals: { 'aws:SourceAccount': '111122223333' } };
      role.assume_role_policy = JSON.stringify(trust);
      return { ...set, terraform };
    },
  },
);

corpus.push(
  {
    name: "today's fixed driver claim on the WaitForFirstConsumer class in wave 6, mounted only by the EBS job",
    rule: 'sync.wave-blocked',
    file: DRIVER_PVC_FILE,
    set: () => withClaimMountedBy(EBS_DRIVER),
  },
  {
    name: 'a claim in the last wave that nothing mounts',
    rule: 'sync.never-healthy',
    file: DRIVER_PVC_FILE,
    set: () => defaultSet([{ file: DRIVER_PVC_FILE, object: legacyDriverClaim('10') }]),
  },
  {
    name: 'the upload Job mounting a ConfigMap of a later wave',
    rule: 'sync.wave-blocked',
    file: UPLOAD_JOB,
    set: () => rewave(defaultSet(), JOB_FILES, '10'),
  },
  {
    name: 'a VirtualCluster after its JobRuns',
    rule: 'sync.wave-blocked',
    file: SAMPLE_JOBRUN_FILE,
    set: () => rewave(withJob(), `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`, '11'),
  },
  {
    name: 'the upload Job in the same wave as the JobRuns',
    rule: 'sync.dependency-late',
    file: SAMPLE_JOBRUN_FILE,
    set: () => rewave(withJob(), UPLOAD_JOB, '10'),
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
    'jobrun.overrides-property',
    'a misspelled emr-containers-defaults property',
    classification('emr-containers-defaults', { 'logging.requests.memory': '1Gi' }),
  ),
  job(
    'jobrun.overrides-property-value',
    'a job submitter toleration without an effect',
    submitter((p) => {
      p['jobsubmitter.node.toleration.dedicated'] = 'spark';
    }),
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
  edit(
    TEMPLATES,
    'pod.spark-container-name',
    'spark-kubernetes-executors (a typo that becomes a sidecar)',
    (o) => {
      editTemplate(o, NVME_EXECUTOR, (pod) => {
        pod.spec.containers[0].name = 'spark-kubernetes-executors';
      });
    },
  ),
  edit(JOB_FILES, 'content.hash-mismatch', 'a job script edited in dist/', (o) => {
    o.data['taxi-trip.py'] += '# edited by hand\n';
  }),
  job('content.not-uploaded', 'a JobRun naming a hash no upload Job ships', (j) => {
    j.spec.jobDriver.sparkSubmitJobDriver.entryPoint = artifactUri('taxi-trip.py').replace(
      /artifacts\/[0-9a-f]{64}/,
      `artifacts/${'f'.repeat(64)}`,
    );
  }),
);

/** Task-group minResource of one role. */
interface Reserve {
  readonly cpu: string;
  readonly memory: string;
}

/** What the sample JobRun's real pods request: Spark with overhead, the logging container, LimitRange CPU. */
const WHOLE_DRIVER: Reserve = { cpu: '1100m', memory: '6246Mi' };
const WHOLE_EXECUTOR: Reserve = { cpu: '2100m', memory: '12Gi' };

function gang(
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

corpus.push(
  job(
    'yunikorn.task-groups-unknown-key',
    'task group with minMembers',
    gang(2, WHOLE_EXECUTOR, WHOLE_DRIVER, 'minMembers'),
  ),
  job(
    'yunikorn.task-groups-min-member',
    'ten placeholders per executor (the upstream bug)',
    gang(20, WHOLE_EXECUTOR),
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
);

describe('validator corpus', () => {
  it('has at least 40 broken objects', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it('passes the default environment and the sample JobRun', () => {
    expect(findings(withJob())).toEqual([]);
    expect(findings(withJob(gang(2, WHOLE_EXECUTOR)))).toEqual([]);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = findings(c.set());
    const named = (file: string) =>
      c.file instanceof RegExp ? c.file.test(file) : file.endsWith(c.file ?? '');
    const matching = found.filter((f) => f.rule === c.rule && named(f.file));
    expect(matching, JSON.stringify(found, null, 2)).not.toEqual([]);
  });
});
