import { isDeepStrictEqual } from 'node:util';
import type { EnvironmentSet, Located, PodTemplate } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import { checkS3Access, managedBuckets, roleNameOf, type IamRole } from '../iam-role/terraform-iam';
import { checkTaskGroups, type TaskGroup } from '../pod/task-groups';
import { jobRunTemplate } from './pods';
import { jobRunConf, sparkPodRequest, type SparkConf } from './spark-conf';

/**
 * What a JobRun must agree on with the rest of its environment: its VirtualCluster, its
 * execution role (in this environment's Terraform, trusting only its namespace, granting its S3
 * paths), its pod templates, and its YuniKorn gang.
 */
export function checkJobRuns(
  sink: FindingSink,
  set: EnvironmentSet,
  roles: Map<string, IamRole> | undefined,
): void {
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
      const template = jobRunTemplate(conf, role, namespace, set.podTemplates);
      templates.set(role, template);
      if (template === undefined) {
        sink.report(
          file,
          '$.spec',
          'cross.jobrun-pod-template',
          `${role} pod template ${String(uri.split('/').at(-1))} is not rendered in namespace ${String(namespace)}`,
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
