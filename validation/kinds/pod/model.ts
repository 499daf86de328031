import type { PodTemplate } from '../../cross-checks';
import { quantityValue } from '../../../lib/kubernetes-formats';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import { describe, type RuntimeObject } from '../../runtime/objects';

/**
 * The pod model: every pod that will exist at run time, as Kubernetes admits it, built from what
 * the render says. Kubernetes workloads in the render (Pod, Job, Deployment, …) are pods as their
 * template says; the pods EMR on EKS creates for each JobRun are modelled beside the JobRun
 * (`kinds/jobrun/pods.ts`). Not modelled: pod overhead (RuntimeClass), mutating webhooks other
 * than the LimitRanger.
 */

/** Resource name → amount (cores for `cpu`, bytes for `memory`, the quantity's value otherwise). */
export type Resources = ReadonlyMap<string, number>;

/** One container of a modelled pod. */
export interface ModelContainer {
  readonly name: string;
  readonly requests: Resources;
  readonly limits: Resources;
  /** A restartable init container (`restartPolicy: Always`): a native sidecar. */
  readonly sidecar: boolean;
  /** Who adds it: `spark`, `emr-logging`, `job-runner`, or `template` (the rendered spec). */
  readonly origin: 'spark' | 'emr-logging' | 'job-runner' | 'template';
}

export type PodRole = 'job-submitter' | 'driver' | 'executor' | 'workload';

/** One kind of pod that runs: `count` identical copies at once. */
export interface ModelPod {
  /** The JobRun or workload object the pod belongs to. */
  readonly owner: RuntimeObject;
  readonly role: PodRole;
  readonly count: number;
  readonly namespace: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Json[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly initContainers: readonly ModelContainer[];
  readonly containers: readonly ModelContainer[];
  /** Existing PersistentVolumeClaims it mounts (Spark's OnDemand claims are created per pod). */
  readonly claims: readonly string[];
  /** The Spark pod template it is built from (driver and executor pods). */
  readonly template?: PodTemplate;
}

/** "the driver pod of JobRun ns/name", for messages. */
export function describePod(pod: ModelPod): string {
  switch (pod.role) {
    case 'job-submitter':
      return `the job submitter pod of ${describe(pod.owner)}`;
    case 'driver':
      return `the driver pod of ${describe(pod.owner)}`;
    case 'executor':
      return `each executor pod of ${describe(pod.owner)}`;
    case 'workload':
      return `the pod of ${describe(pod.owner)}`;
  }
}

/** A `requests`/`limits`-shaped map parsed into amounts (malformed quantities are left out). */
export function resourceList(value: unknown): Map<string, number> {
  const list = new Map<string, number>();
  for (const [name, amount] of Object.entries(obj(value))) {
    const parsed = quantityValue(amount);
    if (parsed !== undefined) list.set(name, parsed);
  }
  return list;
}

/** One container of a rendered pod spec (`sidecar`: a restartable init container). */
export function specContainer(container: Json, sidecar = false): ModelContainer {
  const resources = obj(container.resources);
  return {
    name: str(container.name) ?? '',
    requests: resourceList(resources.requests),
    limits: resourceList(resources.limits),
    sidecar,
    origin: 'template',
  };
}

/** The string values of a map (labels, annotations, node selector). */
export function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj(value)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** Names of claims a pod spec mounts. */
export function specClaims(spec: Json): string[] {
  return arr(spec.volumes)
    .filter(isObject)
    .map((v) => str(obj(v.persistentVolumeClaim).claimName))
    .filter((name): name is string => name !== undefined);
}

/** Where a workload kind keeps its pod template, and how many pods run at once. */
export function workloadShape(o: RuntimeObject): { template: Json; count: number } | undefined {
  const spec = obj(o.object.spec);
  switch (o.kind) {
    case 'Pod':
      return { template: o.object, count: 1 };
    case 'Job':
      return { template: obj(spec.template), count: Number(spec.parallelism ?? 1) };
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { template: obj(spec.template), count: Number(spec.replicas ?? 1) };
    case 'DaemonSet':
      return { template: obj(spec.template), count: 1 };
    case 'CronJob':
      return { template: obj(obj(obj(spec.jobTemplate).spec).template), count: 1 };
    default:
      return undefined;
  }
}

/** The pods of a Kubernetes workload in the render, or undefined for other kinds. */
export function workloadPod(o: RuntimeObject): ModelPod | undefined {
  const shape = workloadShape(o);
  if (shape === undefined) return undefined;
  const spec = obj(shape.template.spec);
  return {
    owner: o,
    role: 'workload',
    count: shape.count,
    namespace: o.namespace ?? '',
    nodeSelector: stringMap(spec.nodeSelector),
    tolerations: arr(spec.tolerations).filter(isObject),
    annotations: stringMap(obj(shape.template.metadata).annotations),
    initContainers: arr(spec.initContainers)
      .filter(isObject)
      .map((c) => specContainer(c, c.restartPolicy === 'Always')),
    containers: arr(spec.containers)
      .filter(isObject)
      .map((c) => specContainer(c)),
    claims: specClaims(spec),
  };
}
