import { isDeepStrictEqual } from 'node:util';
import { quantityValue as quantity } from './formats';
import type { FindingSink } from './findings';
import { allocatable, INSTANCE_CATALOG } from './instance-catalog';
import { parseOverrides, sparkDefaults } from './jobrun-checks';
import { sparkPodRequest, sparkSubmitConf, type SparkConf, type SparkPodRequest } from './spark-conf';
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

interface Pool {
  readonly file: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: Json[];
  readonly requirements: { key: string; operator: string; values: string[] }[];
  readonly nodeClass?: Json;
}

function pools(set: EnvironmentSet): Pool[] {
  const classes = new Map(
    set.objects
      .filter((o) => o.object.kind === 'EC2NodeClass')
      .map((o) => [str(obj(o.object.metadata).name), o.object]),
  );
  return set.objects
    .filter((o) => o.object.kind === 'NodePool')
    .map(({ file, object }) => {
      const template = obj(obj(object.spec).template);
      const spec = obj(template.spec);
      return {
        file,
        name: str(obj(object.metadata).name) ?? '',
        labels: obj(obj(template.metadata).labels) as Record<string, string>,
        taints: arr(spec.taints).filter(isObject),
        requirements: arr(spec.requirements)
          .filter(isObject)
          .map((r) => ({
            key: str(r.key) ?? '',
            operator: str(r.operator) ?? '',
            values: arr(r.values).map(String),
          })),
        nodeClass: classes.get(str(obj(spec.nodeClassRef).name)),
      };
    });
}

/** Whether every node of `pool` carries the labels `selector` asks for. */
function poolSatisfies(pool: Pool, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => {
    if (pool.labels[key] !== undefined) return pool.labels[key] === value;
    if (key === 'karpenter.sh/nodepool') return value === pool.name;
    const requirement = pool.requirements.find((r) => r.key === key);
    if (requirement === undefined) return false;
    if (requirement.operator === 'In') return requirement.values.includes(value);
    if (requirement.operator === 'NotIn') return !requirement.values.includes(value);
    return requirement.operator === 'Exists';
  });
}

function tolerates(tolerations: Json[], taint: Json): boolean {
  return tolerations.some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function instanceTypes(pool: Pool): string[] {
  return (
    pool.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')
      ?.values ?? []
  );
}

function matchingPools(all: Pool[], pod: Json): Pool[] {
  const selector = obj(obj(pod.spec).nodeSelector) as Record<string, string>;
  return Object.keys(selector).length === 0 ? [] : all.filter((pool) => poolSatisfies(pool, selector));
}

function checkPools(sink: FindingSink, all: Pool[]): void {
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

function checkPodTemplates(sink: FindingSink, set: EnvironmentSet, all: Pool[]): void {
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
    const usesHostPath = arr(spec.volumes).some((v) => isObject(v) && isObject(v.hostPath));
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
      if (usesHostPath && obj(pool.nodeClass?.spec).instanceStorePolicy !== 'RAID0') {
        sink.report(
          template.file,
          `${template.path}.spec.volumes`,
          'cross.nvme-raid0',
          `uses a hostPath scratch volume on NodePool ${pool.name}, whose EC2NodeClass does not set instanceStorePolicy: RAID0`,
        );
      }
    }
  }
}

/** `arn:aws:iam::123:role/path/name` → `name`. */
function roleNameOf(arn: string | undefined): string | undefined {
  return arn?.split(':role/')[1]?.split('/').at(-1);
}

function fileName(uri: string | undefined): string | undefined {
  return uri?.split('/').at(-1);
}

function bestFit(pool: Pool, request: SparkPodRequest): { fits: boolean; largest?: string } {
  let largest: { type: string; cpu: number; memoryMiB: number } | undefined;
  for (const type of instanceTypes(pool)) {
    const facts = INSTANCE_CATALOG.get(type);
    if (facts === undefined) continue;
    const free = allocatable(facts);
    if (free.cpu >= request.cpu && free.memoryMiB >= request.memoryMiB) return { fits: true };
    if (largest === undefined || free.memoryMiB > largest.memoryMiB) largest = { type, ...free };
  }
  if (largest === undefined) return { fits: true }; // no sized type: reported as cross.instance-unknown
  return {
    fits: false,
    largest: `${largest.type} offers ${largest.cpu.toFixed(2)} CPU and ${Math.floor(largest.memoryMiB)} MiB after kubelet reserve, eviction threshold and DaemonSets`,
  };
}

function jobRunConf(spec: Json): { conf: SparkConf; entryPoint: string } {
  const driver = obj(obj(spec.jobDriver).sparkSubmitJobDriver);
  const conf = new Map(Object.entries(sparkDefaults(parseOverrides(spec))));
  for (const [key, value] of sparkSubmitConf(str(driver.sparkSubmitParameters) ?? '')) conf.set(key, value);
  return { conf, entryPoint: str(driver.entryPoint) ?? '' };
}

function checkJobRuns(
  sink: FindingSink,
  set: EnvironmentSet,
  all: Pool[],
  roles: Map<string, IamRole> | undefined,
): void {
  const virtualClusters = set.objects.filter((o) => o.object.kind === 'VirtualCluster');
  const buckets = managedBuckets(roles);
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'JobRun')) {
    const namespace = str(obj(object.metadata).namespace);
    const spec = obj(object.spec);
    const from = obj(obj(spec.virtualClusterRef).from);
    if (isObject(spec.virtualClusterRef)) {
      const refNamespace = str(from.namespace) ?? namespace;
      const target = virtualClusters.find(
        (vc) =>
          str(obj(vc.object.metadata).name) === str(from.name) &&
          str(obj(vc.object.metadata).namespace) === refNamespace,
      );
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
      const template = set.podTemplates.find((t) => t.namespace === namespace && t.key === fileName(uri));
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
      let request: SparkPodRequest;
      try {
        request = sparkPodRequest(conf, role, entryPoint);
      } catch (error) {
        sink.report(file, '$.spec', 'cross.spark-conf', (error as Error).message);
        continue;
      }
      for (const pool of matchingPools(all, template.pod)) {
        const fit = bestFit(pool, request);
        if (!fit.fits) {
          sink.report(
            file,
            '$.spec',
            'cross.fit',
            `the ${role} needs ${request.cpu} CPU and ${Math.ceil(request.memoryMiB)} MiB (incl. ${request.overheadMiB} MiB memory overhead), more than any instance type NodePool ${pool.name} allows: the largest, ${String(fit.largest)}`,
          );
        }
      }
    }
    checkGang(sink, file, conf, entryPoint, templates);
  }
}

function checkGang(
  sink: FindingSink,
  file: string,
  conf: SparkConf,
  entryPoint: string,
  templates: Map<'driver' | 'executor', PodTemplate | undefined>,
): void {
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
  if (groups === undefined) return;
  const executorGroupName =
    conf.get('spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name') ??
    str(obj(obj(templates.get('executor')?.pod.metadata).annotations)['yunikorn.apache.org/task-group-name']);
  const driverGroupName =
    annotations['yunikorn.apache.org/task-group-name'] ?? fromTemplate['yunikorn.apache.org/task-group-name'];
  for (const [role, name] of [
    ['driver', driverGroupName],
    ['executor', executorGroupName],
  ] as const) {
    const group = groups.find((g) => g.name === name);
    if (group === undefined) {
      sink.report(
        file,
        '$.spec',
        'yunikorn.task-group-name',
        `the ${role} pods name no task group of the annotation`,
      );
      continue;
    }
    let request: SparkPodRequest;
    try {
      request = sparkPodRequest(conf, role, entryPoint);
    } catch {
      continue; // reported as cross.spark-conf
    }
    const memory = group.minResource.memory;
    const cpu = group.minResource.cpu;
    if ((quantity(memory) ?? 0) < request.memoryMiB * 2 ** 20 - 1) {
      sink.report(
        file,
        '$.spec',
        'yunikorn.task-groups-overhead',
        `task group ${group.name} reserves ${String(memory)} memory, less than the ${Math.ceil(request.memoryMiB)}Mi a ${role} pod requests including ${request.overheadMiB}Mi overhead`,
      );
    }
    if ((quantity(cpu) ?? 0) < request.cpu) {
      sink.report(
        file,
        '$.spec',
        'yunikorn.task-groups-overhead',
        `task group ${group.name} reserves ${String(cpu)} CPU, less than the ${request.cpu} a ${role} pod requests`,
      );
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
    const quota = set.objects.find(
      (o) => o.object.kind === 'ResourceQuota' && str(obj(o.object.metadata).namespace) === namespace,
    );
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
  const all = pools(set);
  const roles = set.terraform.length > 0 ? iamRoles(set.terraform) : undefined;
  checkPools(sink, all);
  checkPodTemplates(sink, set, all);
  checkJobRuns(sink, set, all, roles);
  if (roles !== undefined) checkServiceAccounts(sink, set, roles);
  checkVirtualClusters(sink, set);
  checkAppProjects(sink, set);
  checkQueueBudgets(sink, set);
}
