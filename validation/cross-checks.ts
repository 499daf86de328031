import { isDeepStrictEqual } from 'node:util';
import { quantityValue as quantity } from './formats';
import type { FindingSink } from './findings';
import { INSTANCE_CATALOG } from './instance-catalog';
import { groupSatisfies, nodePools, tolerates, instanceTypes, type NodeGroup } from './runtime/node-groups';
import { jobRunConf, sparkPodRequest, type SparkConf } from './spark-conf';
import { checkS3Access, iamLike, iamRoles, managedBuckets, type IamRole } from './terraform-iam';
import { checkTaskGroups, type QueueIndex, type TaskGroup } from './yunikorn-checks';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from './json';

/** A rendered object with the file it came from. */
export interface Located {
  readonly file: string;
  readonly object: Json;
}

/** A Spark pod template found in a ConfigMap. */
export interface PodTemplate {
  readonly file: string;
  /** `$.data['<key>']`. */
  readonly path: string;
  readonly key: string;
  readonly namespace: string | undefined;
  readonly pod: Json;
}

/** What one environment rendered, gathered for the cross-object checks. */
export interface EnvironmentSet {
  readonly objects: readonly Located[];
  readonly podTemplates: readonly PodTemplate[];
  readonly queues?: { readonly file: string; readonly index: QueueIndex; readonly namespaceTag: boolean };
  /** Parsed `cdk.tf.json` documents of the same environment, when available. */
  readonly terraform: readonly unknown[];
}

/** The NodePools a pod template's node selector matches (none for an empty selector). */
function matchingPools(all: readonly NodeGroup[], pod: Json): NodeGroup[] {
  const selector = obj(obj(pod.spec).nodeSelector) as Record<string, string>;
  return Object.keys(selector).length === 0 ? [] : all.filter((pool) => groupSatisfies(pool, selector));
}

function checkPools(sink: FindingSink, all: readonly NodeGroup[]): void {
  for (const pool of all) {
    const arch = pool.requirements.find((r) => r.key === 'kubernetes.io/arch' && r.operator === 'In')?.values;
    for (const type of instanceTypes(pool)) {
      const facts = INSTANCE_CATALOG.get(type);
      if (facts === undefined) {
        sink.report(
          pool.file,
          '$.spec.template.spec.requirements',
          'cross.instance-unknown',
          `instance type ${type} is not in validation/instance-catalog.ts; add its facts so jobs can be sized against it`,
        );
      } else if (arch !== undefined && !arch.includes(facts.arch)) {
        sink.report(
          pool.file,
          '$.spec.template.spec.requirements',
          'cross.arch',
          `instance type ${type} is ${facts.arch}, which the pool's kubernetes.io/arch requirement (${arch.join(', ')}) excludes`,
        );
      }
    }
  }
}

/**
 * The node-local Spark scratch volume of a pod template, if any: a `spark-local-dir-*` volume
 * (Spark's local directories) that is a disk-backed emptyDir or a hostPath. Both live on the
 * node's kubelet filesystem, which is the NVMe RAID0 array only where the EC2NodeClass sets
 * `instanceStorePolicy: RAID0`.
 */
function localScratch(spec: Json): string | undefined {
  for (const volume of arr(spec.volumes).filter(isObject)) {
    if (!String(volume.name).startsWith('spark-local-dir-')) continue;
    if (isObject(volume.hostPath)) return `hostPath volume ${String(volume.name)}`;
    if (isObject(volume.emptyDir) && volume.emptyDir.medium !== 'Memory')
      return `emptyDir volume ${String(volume.name)}`;
  }
  return undefined;
}

function checkPodTemplates(sink: FindingSink, set: EnvironmentSet, all: readonly NodeGroup[]): void {
  for (const template of set.podTemplates) {
    const spec = obj(template.pod.spec);
    const matched = matchingPools(all, template.pod);
    if (matched.length === 0) {
      sink.report(
        template.file,
        `${template.path}.spec.nodeSelector`,
        'cross.pod-template-pool',
        `selects no NodePool (nodeSelector ${JSON.stringify(spec.nodeSelector ?? {})})`,
      );
      continue;
    }
    const tolerations = arr(spec.tolerations).filter(isObject);
    const scratch = localScratch(spec);
    for (const pool of matched) {
      for (const taint of pool.taints) {
        if (!tolerates(tolerations, taint)) {
          sink.report(
            template.file,
            `${template.path}.spec.tolerations`,
            'cross.toleration',
            `does not tolerate taint ${JSON.stringify(taint.key)}=${JSON.stringify(taint.value ?? '')}:${JSON.stringify(taint.effect)} of NodePool ${pool.name}`,
          );
        }
      }
      if (scratch !== undefined && obj(pool.nodeClass?.spec).instanceStorePolicy !== 'RAID0') {
        sink.report(
          template.file,
          `${template.path}.spec.volumes`,
          'cross.nvme-raid0',
          `puts Spark scratch (${scratch}) on the node's disks of NodePool ${pool.name}, whose EC2NodeClass does not set instanceStorePolicy: RAID0, so it lands on the root EBS volume instead of NVMe; set instanceStorePolicy: RAID0 or use the EBS variant`,
        );
      }
    }
  }
}

const templateIndexes = new WeakMap<readonly PodTemplate[], Map<string, PodTemplate>>();

/**
 * The first pod template of `templates` with this key (file name) in this namespace. The list is
 * indexed on the first call: every JobRun of every team looks up two templates.
 */
export function podTemplateOf(
  templates: readonly PodTemplate[],
  namespace: string | undefined,
  key: string,
): PodTemplate | undefined {
  let index = templateIndexes.get(templates);
  if (index === undefined) {
    index = new Map();
    for (const t of templates) {
      const id = JSON.stringify([t.namespace ?? null, t.key]);
      if (!index.has(id)) index.set(id, t);
    }
    templateIndexes.set(templates, index);
  }
  return index.get(JSON.stringify([namespace ?? null, key]));
}

/** `arn:aws:iam::123:role/path/name` → `name`. */
function roleNameOf(arn: string | undefined): string | undefined {
  return arn?.split(':role/')[1]?.split('/').at(-1);
}

function fileName(uri: string | undefined): string | undefined {
  return uri?.split('/').at(-1);
}

function checkJobRuns(sink: FindingSink, set: EnvironmentSet, roles: Map<string, IamRole> | undefined): void {
  // The first VirtualCluster of each namespace and name (a JobRun names one).
  const virtualClusters = new Map<string, Located>();
  for (const o of set.objects) {
    if (o.object.kind !== 'VirtualCluster') continue;
    const metadata = obj(o.object.metadata);
    const key = JSON.stringify([str(metadata.namespace) ?? null, str(metadata.name) ?? null]);
    if (!virtualClusters.has(key)) virtualClusters.set(key, o);
  }
  const buckets = managedBuckets(roles);
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'JobRun')) {
    const namespace = str(obj(object.metadata).namespace);
    const spec = obj(object.spec);
    const from = obj(obj(spec.virtualClusterRef).from);
    if (isObject(spec.virtualClusterRef)) {
      const refNamespace = str(from.namespace) ?? namespace;
      const target = virtualClusters.get(JSON.stringify([refNamespace ?? null, str(from.name) ?? null]));
      if (refNamespace !== namespace || target === undefined) {
        sink.report(
          file,
          '$.spec.virtualClusterRef',
          'cross.jobrun-virtual-cluster',
          `refers to VirtualCluster ${String(refNamespace)}/${String(from.name)}, which is not a virtual cluster of this namespace`,
        );
      }
    }
    const { conf, entryPoint } = jobRunConf(spec);
    const roleName = roleNameOf(str(spec.executionRoleARN));
    const role = roleName === undefined ? undefined : roles?.get(roleName);
    if (roles !== undefined && roleName !== undefined) {
      if (role === undefined) {
        sink.report(
          file,
          '$.spec.executionRoleARN',
          'cross.role-unknown',
          `role ${roleName} is not created by this environment's Terraform`,
        );
      } else if (
        role.trustedSubjects.length === 0 ||
        !role.trustedSubjects.every((s) => s.startsWith(`system:serviceaccount:${String(namespace)}:`))
      ) {
        sink.report(
          file,
          '$.spec.executionRoleARN',
          'cross.trust-policy',
          `role ${roleName} must trust only service accounts of namespace ${String(namespace)} (trusts ${role.trustedSubjects.join(', ') || 'none'})`,
        );
      }
      if (role !== undefined) checkS3Access(sink, file, roleName, role, spec, buckets);
    }
    const templates = new Map<'driver' | 'executor', PodTemplate | undefined>();
    for (const role of ['driver', 'executor'] as const) {
      const uri = conf.get(`spark.kubernetes.${role}.podTemplateFile`);
      if (uri === undefined) continue;
      const key = fileName(uri);
      const template = key === undefined ? undefined : podTemplateOf(set.podTemplates, namespace, key);
      templates.set(role, template);
      if (template === undefined) {
        sink.report(
          file,
          '$.spec',
          'cross.jobrun-pod-template',
          `${role} pod template ${String(fileName(uri))} is not rendered in namespace ${String(namespace)}`,
        );
        continue;
      }
      try {
        sparkPodRequest(conf, role, entryPoint);
      } catch (error) {
        sink.report(file, '$.spec', 'cross.spark-conf', (error as Error).message);
      }
    }
    checkGang(sink, file, conf, templates);
  }
}

/** A JobRun's YuniKorn gang: its task groups and the group each role's pods name. */
export interface Gang {
  readonly groups: readonly TaskGroup[];
  readonly names: { readonly driver: string | undefined; readonly executor: string | undefined };
}

/**
 * The task groups of a JobRun (driver annotations from its Spark conf, else from its driver pod
 * template), reporting malformed annotations into `sink`; undefined when the job is no gang.
 */
export function jobRunGang(
  sink: FindingSink,
  file: string,
  conf: SparkConf,
  templates: ReadonlyMap<'driver' | 'executor', PodTemplate | undefined>,
): Gang | undefined {
  const annotations: Json = {};
  const prefix = 'spark.kubernetes.driver.annotation.';
  for (const [key, value] of conf) if (key.startsWith(prefix)) annotations[key.slice(prefix.length)] = value;
  const driverTemplate = templates.get('driver');
  const fromTemplate = obj(obj(driverTemplate?.pod.metadata).annotations);
  const source = annotations['yunikorn.apache.org/task-groups'] !== undefined ? annotations : fromTemplate;
  const groups: TaskGroup[] | undefined =
    source === annotations
      ? checkTaskGroups(sink, file, `$.spec (${prefix}…)`, annotations)
      : source['yunikorn.apache.org/task-groups'] !== undefined
        ? checkTaskGroups(
            sink,
            driverTemplate?.file ?? file,
            `${driverTemplate?.path ?? '$'}.metadata.annotations`,
            source,
          )
        : undefined;
  if (groups === undefined) return undefined;
  return {
    groups,
    names: {
      driver: str(
        annotations['yunikorn.apache.org/task-group-name'] ??
          fromTemplate['yunikorn.apache.org/task-group-name'],
      ),
      executor:
        conf.get('spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name') ??
        str(
          obj(obj(templates.get('executor')?.pod.metadata).annotations)[
            'yunikorn.apache.org/task-group-name'
          ],
        ),
    },
  };
}

/**
 * The gang's shape: each role names a group, minMember is the pod count, placement is the
 * templates'. Whether minResource covers the real pods is the runtime placement model's check.
 */
function checkGang(
  sink: FindingSink,
  file: string,
  conf: SparkConf,
  templates: Map<'driver' | 'executor', PodTemplate | undefined>,
): void {
  const gang = jobRunGang(sink, file, conf, templates);
  if (gang === undefined) return;
  for (const role of ['driver', 'executor'] as const) {
    const group = gang.groups.find((g) => g.name === gang.names[role]);
    if (group === undefined) {
      sink.report(
        file,
        '$.spec',
        'yunikorn.task-group-name',
        `the ${role} pods name no task group of the annotation`,
      );
      continue;
    }
    const expectedMembers =
      role === 'driver'
        ? 1
        : Number(
            conf.get('spark.dynamicAllocation.enabled') === 'true'
              ? (conf.get('spark.dynamicAllocation.minExecutors') ?? '0')
              : (conf.get('spark.executor.instances') ?? '2'),
          );
    if (group.minMember !== expectedMembers && expectedMembers > 0) {
      sink.report(
        file,
        '$.spec',
        'yunikorn.task-groups-min-member',
        `task group ${group.name} has minMember ${group.minMember}, but the job runs ${expectedMembers} ${role} pod(s): placeholders would reserve the wrong capacity`,
      );
    }
    const template = templates.get(role);
    if (template !== undefined) {
      const spec = obj(template.pod.spec);
      if (
        !isDeepStrictEqual(group.nodeSelector ?? {}, spec.nodeSelector ?? {}) ||
        !isDeepStrictEqual(group.tolerations ?? [], spec.tolerations ?? [])
      ) {
        sink.report(
          file,
          '$.spec',
          'yunikorn.task-groups-placement',
          `task group ${group.name} must carry the ${role} pod template's nodeSelector and tolerations, or placeholders land on another NodePool`,
        );
      }
    }
  }
}

function checkServiceAccounts(sink: FindingSink, set: EnvironmentSet, roles: Map<string, IamRole>): void {
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'ServiceAccount')) {
    const metadata = obj(object.metadata);
    const arn = str(obj(metadata.annotations)['eks.amazonaws.com/role-arn']);
    const roleName = roleNameOf(arn);
    if (roleName === undefined) continue;
    const role = roles.get(roleName);
    const subject = `system:serviceaccount:${String(metadata.namespace)}:${String(metadata.name)}`;
    if (role === undefined) {
      sink.report(
        file,
        "$.metadata.annotations['eks.amazonaws.com/role-arn']",
        'cross.role-unknown',
        `role ${roleName} is not created by this environment's Terraform`,
      );
    } else if (!role.trustedSubjects.some((pattern) => iamLike(pattern, subject))) {
      sink.report(
        file,
        "$.metadata.annotations['eks.amazonaws.com/role-arn']",
        'cross.trust-policy',
        `role ${roleName} does not trust ${subject}`,
      );
    }
  }
}

function teamNamespaces(set: EnvironmentSet): Set<string> {
  return new Set(
    set.objects
      .filter((o) => o.object.kind === 'VirtualCluster')
      .map((o) => str(obj(obj(obj(obj(o.object.spec).containerProvider).info).eksInfo).namespace) ?? ''),
  );
}

function checkVirtualClusters(sink: FindingSink, set: EnvironmentSet): void {
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'VirtualCluster')) {
    const target = str(obj(obj(obj(obj(object.spec).containerProvider).info).eksInfo).namespace);
    if (target !== str(obj(object.metadata).namespace)) {
      sink.report(
        file,
        '$.spec.containerProvider.info.eksInfo.namespace',
        'cross.virtual-cluster-namespace',
        `points EMR at namespace ${String(target)}, not at the namespace it lives in`,
      );
    }
  }
}

function checkAppProjects(sink: FindingSink, set: EnvironmentSet): void {
  const teams = teamNamespaces(set);
  const owners = new Map<string, string[]>();
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'AppProject')) {
    const spec = obj(object.spec);
    const name = str(obj(object.metadata).name) ?? '';
    const destinations = arr(spec.destinations).filter(isObject);
    destinations.forEach((d, i) => {
      const namespace = str(d.namespace) ?? '';
      if (
        namespace.includes('*') ||
        str(d.server)?.includes('*') === true ||
        str(d.name)?.includes('*') === true
      ) {
        sink.report(
          file,
          `$.spec.destinations[${i}]`,
          'cross.appproject-wildcard',
          'destinations must name servers and namespaces, not patterns',
        );
      }
      if (teams.has(namespace)) owners.set(namespace, [...(owners.get(namespace) ?? []), name]);
    });
    const teamProject = destinations.some((d) => teams.has(str(d.namespace) ?? ''));
    if (teamProject) {
      arr(spec.clusterResourceWhitelist)
        .filter(isObject)
        .forEach((entry, i) => {
          if (!(entry.group === '' && entry.kind === 'Namespace')) {
            sink.report(
              file,
              `$.spec.clusterResourceWhitelist[${i}]`,
              'cross.appproject-cluster-kinds',
              `a team project may not create cluster-scoped ${String(entry.group) || 'core'}/${String(entry.kind)}`,
            );
          }
        });
    }
  }
  for (const [namespace, projects] of owners) {
    if (projects.length > 1) {
      const file =
        set.objects.find(
          (o) => o.object.kind === 'AppProject' && str(obj(o.object.metadata).name) === projects[1],
        )?.file ?? '';
      sink.report(
        file,
        '$.spec.destinations',
        'cross.appproject-shared-namespace',
        `team namespace ${namespace} is a destination of several projects (${projects.join(', ')})`,
      );
    }
  }
}

function checkQueueBudgets(sink: FindingSink, set: EnvironmentSet): void {
  if (set.queues === undefined || !set.queues.namespaceTag) return;
  const { file, index } = set.queues;
  // The first ResourceQuota of each namespace.
  const quotas = new Map<string | undefined, Located>();
  for (const o of set.objects) {
    const namespace = str(obj(o.object.metadata).namespace);
    if (o.object.kind === 'ResourceQuota' && !quotas.has(namespace)) quotas.set(namespace, o);
  }
  for (const namespace of teamNamespaces(set)) {
    const queue = index.get(`root.${namespace}`);
    if (queue === undefined) {
      sink.report(
        file,
        "$.data['queues.yaml']",
        'cross.queue-missing',
        `team namespace ${namespace} has no queue root.${namespace} for the namespace placement rule`,
      );
      continue;
    }
    const quota = quotas.get(namespace);
    const hard = obj(obj(quota?.object.spec).hard);
    for (const [resource, quotaKey] of [
      ['vcore', 'requests.cpu'],
      ['memory', 'requests.memory'],
    ] as const) {
      const budget = hard[quotaKey];
      const max = queue.max[resource];
      if (budget === undefined || max === undefined) continue;
      const amount = quantity(budget);
      if (amount !== undefined && Math.abs(amount - max) > 1e-6 * max) {
        sink.report(
          file,
          "$.data['queues.yaml']",
          'cross.queue-budget',
          `queue root.${namespace} max ${resource} differs from the namespace's ResourceQuota ${quotaKey} (${JSON.stringify(budget)})`,
        );
      }
    }
  }
}

/** Every cross-object rule over one environment's set. */
export function crossCheck(sink: FindingSink, set: EnvironmentSet): void {
  const all = nodePools(set.objects);
  const roles = set.terraform.length > 0 ? iamRoles(set.terraform) : undefined;
  checkPools(sink, all);
  checkPodTemplates(sink, set, all);
  checkJobRuns(sink, set, roles);
  if (roles !== undefined) checkServiceAccounts(sink, set, roles);
  checkVirtualClusters(sink, set);
  checkAppProjects(sink, set);
  checkQueueBudgets(sink, set);
}
