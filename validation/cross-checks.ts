import { quantityValue as quantity } from './formats';
import type { FindingSink } from './findings';
import { INSTANCE_CATALOG } from './instance-catalog';
import { groupSatisfies, nodePools, tolerates, instanceTypes, type NodeGroup } from './runtime/node-groups';
import { checkJobRuns } from './kinds/jobrun/cross';
import { iamLike, iamRoles, roleNameOf, type IamRole } from './terraform-iam';
import type { QueueIndex } from './kinds/yunikorn-queues/queues';
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
