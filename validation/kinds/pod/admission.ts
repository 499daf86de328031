import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj, isObject, type Json } from '../../../lib/json';
import { describePod, resourceList, type ModelContainer, type ModelPod, type Resources } from './model';
import { describe, type RuntimeObjects } from '../../runtime/objects';

/**
 * The admission model: what the API server does to each modelled pod before it exists
 * (Kubernetes 1.34 LimitRanger and ResourceQuota admission, and pod validation):
 *
 * 1. API defaulting: a container with a limit but no request of a resource requests the limit.
 * 2. LimitRange defaulting, per `type: Container` item (itself defaulted as the API does: a
 *    missing `default` takes `max`, a missing `defaultRequest` takes `default`, then `min`): a
 *    container without a limit gets `default`, without a request `defaultRequest`.
 * 3. Validation: a request above its (possibly defaulted) limit is rejected
 *    (`admission.limit-below-request`), as are values outside the item's `min`/`max`, and pod
 *    totals outside a `type: Pod` item's (`admission.limit-range`).
 * 4. The LimitRange itself, as the API server validates it after that defaulting: per resource,
 *    `min` ≤ `defaultRequest` ≤ `default` ≤ `max`; otherwise the LimitRange is rejected
 *    (`admission.limit-range-invalid`). A `default` limit below `defaultRequest` would otherwise
 *    give every container that states nothing (EMR's job-runner) a limit below its request.
 * 5. ResourceQuota: when a quota names `cpu`/`memory` (`requests.*`) or `limits.cpu`/
 *    `limits.memory`, every container and init container must set that value once defaults are
 *    applied (`admission.quota-unset`), and no pod, nor all pods of one JobRun together, may
 *    need more than the quota's `hard` (`admission.quota-exceeded`).
 *
 * A pod's request (and limit) of a resource is Kubernetes' effective value: the larger of the sum
 * of its containers and native sidecars, and each init container plus the sidecars started
 * before it. Not modelled: `maxLimitRequestRatio`, scoped quotas (`scopes`, `scopeSelector`),
 * extended resources, quotas on object counts and storage.
 */

/** A pod after defaulting, with its effective requests and limits. */
export interface AdmittedPod {
  readonly pod: ModelPod;
  readonly initContainers: readonly ModelContainer[];
  readonly containers: readonly ModelContainer[];
  readonly requests: Resources;
  readonly limits: Resources;
}

/** Where findings about a pod point: its owner object. */
function location(pod: ModelPod): { file: string; path: string } {
  return { file: pod.owner.file, path: pod.role === 'workload' ? '$.spec' : '$.spec.configurationOverrides' };
}

/** A LimitRange item of `type: Container` with the API's defaulting applied. */
interface ContainerLimits {
  readonly default: Resources;
  readonly defaultRequest: Resources;
  readonly min: Resources;
  readonly max: Resources;
}

function containerLimits(item: Json): ContainerLimits {
  const max = resourceList(item.max);
  const min = resourceList(item.min);
  const defaults = resourceList(item.default);
  for (const [name, value] of max) if (!defaults.has(name)) defaults.set(name, value);
  const defaultRequest = resourceList(item.defaultRequest);
  for (const [name, value] of defaults) if (!defaultRequest.has(name)) defaultRequest.set(name, value);
  for (const [name, value] of min) if (!defaultRequest.has(name)) defaultRequest.set(name, value);
  return { default: defaults, defaultRequest, min, max };
}

/** The order the API server requires of a LimitRange item's values of one resource. */
const RANGE_ORDER = [
  ['min', 'defaultRequest'],
  ['defaultRequest', 'default'],
  ['default', 'max'],
  ['min', 'default'],
  ['defaultRequest', 'max'],
  ['min', 'max'],
] as const;

/**
 * Step 4: every LimitRange of the environment as the API server validates it once defaulted;
 * reports each `type: Container` item whose values are out of order, once per resource.
 */
export function checkLimitRanges(sink: FindingSink, objects: RuntimeObjects): void {
  for (const range of objects.ofKind('LimitRange')) {
    for (const [index, item] of arr(obj(range.object.spec).limits).entries()) {
      if (!isObject(item) || item.type !== 'Container') continue;
      const limits = containerLimits(item);
      const reported = new Set<string>();
      for (const [low, high] of RANGE_ORDER) {
        for (const [resource, lowValue] of limits[low]) {
          const highValue = limits[high].get(resource);
          if (highValue === undefined || lowValue <= highValue + 1e-9 || reported.has(resource)) continue;
          reported.add(resource);
          sink.report(
            range.file,
            `$.spec.limits[${index}]`,
            'admission.limit-range-invalid',
            `${describe(range)}: its ${low} ${formatAmount(resource, lowValue)} is above its ${high} ${formatAmount(resource, highValue)} (after the API's defaulting of missing values), so the API server rejects the LimitRange; a default limit must be at least the default request`,
          );
        }
      }
    }
  }
}

function items(objects: RuntimeObjects, namespace: string, type: string): Json[] {
  return objects
    .ofKind('LimitRange', namespace)
    .flatMap((o) => arr(obj(o.object.spec).limits).filter(isObject))
    .filter((item) => item.type === type);
}

/** Steps 1 and 2: the container as admission leaves it. */
function defaulted(container: ModelContainer, ranges: readonly ContainerLimits[]): ModelContainer {
  const requests = new Map(container.requests);
  const limits = new Map(container.limits);
  for (const [name, value] of limits) if (!requests.has(name)) requests.set(name, value);
  for (const range of ranges) {
    for (const [name, value] of range.default) if (!limits.has(name)) limits.set(name, value);
    for (const [name, value] of range.defaultRequest) if (!requests.has(name)) requests.set(name, value);
  }
  return { ...container, requests, limits };
}

/** Kubernetes' effective pod value of each resource (init containers, native sidecars). */
export function effective(
  init: readonly ModelContainer[],
  containers: readonly ModelContainer[],
  which: 'requests' | 'limits',
): Map<string, number> {
  const total = new Map<string, number>();
  const add = (into: Map<string, number>, from: Resources) => {
    for (const [name, value] of from) into.set(name, (into.get(name) ?? 0) + value);
  };
  for (const c of containers) add(total, c[which]);
  const sidecars = new Map<string, number>();
  const peaks: Map<string, number>[] = [];
  for (const c of init) {
    if (c.sidecar) {
      add(sidecars, c[which]);
      continue;
    }
    const peak = new Map(sidecars);
    add(peak, c[which]);
    peaks.push(peak);
  }
  add(total, sidecars);
  for (const peak of peaks)
    for (const [name, value] of peak) total.set(name, Math.max(total.get(name) ?? 0, value));
  return total;
}

/** `1.1 CPU`, `6246Mi`: an amount for messages. */
export function formatAmount(resource: string, value: number): string {
  if (resource === 'cpu') return `${Math.round(value * 1000)}m CPU`;
  if (resource === 'memory' || resource.endsWith('storage'))
    return `${Math.ceil(value / 2 ** 20)}Mi ${resource}`;
  return `${value} ${resource}`;
}

/** A container before and after defaulting. */
interface Defaulted {
  readonly original: ModelContainer;
  readonly admitted: ModelContainer;
}

function checkRanges(
  sink: FindingSink,
  pod: ModelPod,
  containers: readonly Defaulted[],
  ranges: readonly ContainerLimits[],
): void {
  const { file, path } = location(pod);
  for (const { original, admitted: c } of containers) {
    for (const [name, request] of c.requests) {
      const limit = c.limits.get(name);
      if (limit === undefined || request <= limit + 1e-9) continue;
      const defaulted = !original.limits.has(name);
      const source = defaulted ? "limit from the namespace's LimitRange default" : 'limit';
      const injected = defaulted && (c.origin === 'emr-logging' || c.origin === 'job-runner');
      const fix = injected
        ? 'EMR adds this container without a limit, so drop the LimitRange default limit (a quota on requests needs none) or raise it above every request EMR makes'
        : "set the container's limit, or raise the LimitRange default";
      sink.report(
        file,
        path,
        'admission.limit-below-request',
        `${describePod(pod)}: container ${c.name} requests ${formatAmount(name, request)} but its ${source} is ${formatAmount(name, limit)}: the API server rejects the pod; ${fix}`,
      );
    }
    for (const range of ranges) {
      for (const [name, min] of range.min) {
        const request = c.requests.get(name);
        if (request === undefined || request >= min - 1e-9) continue;
        sink.report(
          file,
          path,
          'admission.limit-range',
          `${describePod(pod)}: container ${c.name} requests ${formatAmount(name, request)}, below the LimitRange minimum ${formatAmount(name, min)}`,
        );
      }
      for (const [name, max] of range.max) {
        const limit = c.limits.get(name);
        if (limit === undefined || limit <= max + 1e-9) continue;
        sink.report(
          file,
          path,
          'admission.limit-range',
          `${describePod(pod)}: container ${c.name} has a limit of ${formatAmount(name, limit)}, above the LimitRange maximum ${formatAmount(name, max)}`,
        );
      }
    }
  }
}

/** Quota keys that make every container state a value, and which value. */
const CONTAINER_QUOTA_KEYS: Readonly<Record<string, { which: 'requests' | 'limits'; resource: string }>> = {
  cpu: { which: 'requests', resource: 'cpu' },
  memory: { which: 'requests', resource: 'memory' },
  'requests.cpu': { which: 'requests', resource: 'cpu' },
  'requests.memory': { which: 'requests', resource: 'memory' },
  'limits.cpu': { which: 'limits', resource: 'cpu' },
  'limits.memory': { which: 'limits', resource: 'memory' },
};

/** Every quota key that counts a pod's resources. */
function quotaKey(key: string): { which: 'requests' | 'limits'; resource: string } | undefined {
  if (key in CONTAINER_QUOTA_KEYS) return CONTAINER_QUOTA_KEYS[key];
  if (key === 'ephemeral-storage' || key === 'requests.ephemeral-storage')
    return { which: 'requests', resource: 'ephemeral-storage' };
  if (key === 'limits.ephemeral-storage') return { which: 'limits', resource: 'ephemeral-storage' };
  return undefined;
}

interface Quota {
  readonly name: string;
  readonly hard: ReadonlyMap<string, number>;
}

function quotas(objects: RuntimeObjects, namespace: string): Quota[] {
  return objects
    .ofKind('ResourceQuota', namespace)
    .filter((o) => {
      const spec = obj(o.object.spec);
      return arr(spec.scopes).length === 0 && spec.scopeSelector === undefined;
    })
    .map((o) => ({ name: o.name, hard: resourceList(obj(o.object.spec).hard) }));
}

function checkQuotaUnset(sink: FindingSink, admitted: AdmittedPod, quota: Quota): void {
  const { file, path } = location(admitted.pod);
  for (const key of quota.hard.keys()) {
    const needs = CONTAINER_QUOTA_KEYS[key];
    if (needs === undefined) continue;
    const missing = [...admitted.initContainers, ...admitted.containers]
      .filter((c) => !c[needs.which].has(needs.resource))
      .map((c) => c.name);
    if (missing.length === 0) continue;
    sink.report(
      file,
      path,
      'admission.quota-unset',
      `${describePod(admitted.pod)}: ResourceQuota ${quota.name} counts ${key}, but container(s) ${missing.join(', ')} set no ${needs.which === 'requests' ? 'request' : 'limit'} of ${needs.resource}, even after the LimitRange defaults: the API server rejects the pod ("must specify ${key}"); give the LimitRange a default for it`,
    );
  }
}

/** Pod usage of one quota key. */
function usage(admitted: AdmittedPod, key: string): number | undefined {
  const counted = quotaKey(key);
  if (counted === undefined) return undefined;
  return admitted[counted.which].get(counted.resource) ?? 0;
}

function checkQuotaExceeded(sink: FindingSink, pods: readonly AdmittedPod[], quota: Quota): void {
  const byOwner = new Map<string, AdmittedPod[]>();
  for (const admitted of pods) {
    const { file, path } = location(admitted.pod);
    let alone = false;
    for (const [key, hard] of quota.hard) {
      const used = usage(admitted, key);
      if (used === undefined || used <= hard + 1e-9) continue;
      alone = true;
      const resource = quotaKey(key)?.resource ?? key;
      sink.report(
        file,
        path,
        'admission.quota-exceeded',
        `${describePod(admitted.pod)} needs ${formatAmount(resource, used)} (${key}), more than ResourceQuota ${quota.name} allows the whole namespace (${formatAmount(resource, hard)}): it can never be admitted`,
      );
    }
    if (alone || admitted.pod.role === 'workload') continue;
    byOwner.set(admitted.pod.owner.file, [...(byOwner.get(admitted.pod.owner.file) ?? []), admitted]);
  }
  for (const [file, group] of byOwner) {
    for (const [key, hard] of quota.hard) {
      const total = group.reduce((sum, a) => sum + (usage(a, key) ?? 0) * a.pod.count, 0);
      if (quotaKey(key) === undefined || total <= hard + 1e-9) continue;
      const resource = quotaKey(key)?.resource ?? key;
      const count = group.reduce((sum, a) => sum + a.pod.count, 0);
      const owner = group[0]?.pod.owner;
      sink.report(
        file,
        '$.spec.configurationOverrides',
        'admission.quota-exceeded',
        `the ${count} pods of ${owner === undefined ? 'the JobRun' : describe(owner)} (job submitter, driver, executors) need ${formatAmount(resource, total)} (${key}) together, more than ResourceQuota ${quota.name} allows (${formatAmount(resource, hard)}): the pods beyond the quota are refused and the job never runs whole`,
      );
    }
  }
}

/**
 * Admits every pod: defaults, validates, checks the namespaces' quotas. Returns the pods as
 * admitted (with effective requests), which the placement model sizes.
 */
export function admitPods(
  sink: FindingSink,
  pods: readonly ModelPod[],
  objects: RuntimeObjects,
): AdmittedPod[] {
  const admitted: AdmittedPod[] = [];
  const byNamespace = new Map<string, AdmittedPod[]>();
  // A namespace's container limit ranges, read once per namespace.
  const rangesOf = new Map<string, ContainerLimits[]>();
  for (const pod of pods) {
    let ranges = rangesOf.get(pod.namespace);
    if (ranges === undefined) {
      ranges = items(objects, pod.namespace, 'Container').map(containerLimits);
      rangesOf.set(pod.namespace, ranges);
    }
    const initContainers = pod.initContainers.map((c) => defaulted(c, ranges));
    const containers = pod.containers.map((c) => defaulted(c, ranges));
    const originals = [...pod.initContainers, ...pod.containers];
    checkRanges(
      sink,
      pod,
      [...initContainers, ...containers].map((admitted, i) => ({
        original: originals[i] ?? admitted,
        admitted,
      })),
      ranges,
    );
    const result: AdmittedPod = {
      pod,
      initContainers,
      containers,
      requests: effective(initContainers, containers, 'requests'),
      limits: effective(initContainers, containers, 'limits'),
    };
    for (const item of items(objects, pod.namespace, 'Pod')) {
      const { file, path } = location(pod);
      for (const [name, max] of resourceList(item.max)) {
        const limit = result.limits.get(name);
        if (limit !== undefined && limit > max + 1e-9)
          sink.report(
            file,
            path,
            'admission.limit-range',
            `${describePod(pod)} has a limit of ${formatAmount(name, limit)} in total, above the LimitRange pod maximum ${formatAmount(name, max)}`,
          );
      }
      for (const [name, min] of resourceList(item.min)) {
        const request = result.requests.get(name) ?? 0;
        if (request < min - 1e-9)
          sink.report(
            file,
            path,
            'admission.limit-range',
            `${describePod(pod)} requests ${formatAmount(name, request)} in total, below the LimitRange pod minimum ${formatAmount(name, min)}`,
          );
      }
    }
    admitted.push(result);
    const group = byNamespace.get(pod.namespace);
    if (group === undefined) byNamespace.set(pod.namespace, [result]);
    else group.push(result);
  }
  for (const [namespace, group] of byNamespace) {
    for (const quota of quotas(objects, namespace)) {
      for (const a of group) checkQuotaUnset(sink, a, quota);
      checkQuotaExceeded(sink, group, quota);
    }
  }
  return admitted;
}
