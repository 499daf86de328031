import { quantityValue } from '../../../lib/kubernetes-formats';
import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj } from '../../../lib/json';
import type { TaskGroup } from './task-groups';
import { formatAmount, type AdmittedPod } from './admission';
import { describePod, type ModelPod } from './model';
import { bestFit, candidateGroups, cores, gib, type NodeGroup } from '../nodepool/node-groups';
import { describe, type RuntimeObject, type RuntimeObjects } from '../../runtime/objects';

/**
 * The placement model: where each admitted pod can run and whether it stays there.
 *
 * - **Instance fit** (`cross.fit`): a driver, executor or workload pod, at its effective request
 *   (Spark's container with memory overhead, EMR's logging container, sidecars, init
 *   containers, after LimitRange defaults), must fit an instance type of every NodePool its
 *   selector and tolerations allow, after kubelet reserve, eviction threshold, VM overhead and
 *   the per-node DaemonSets (`validation/instance-catalog.ts`).
 * - **Schedulable** (`pod.unschedulable`): a job submitter or workload pod must match some node
 *   group (a NodePool, or a managed node group of the environment's Terraform). Spark pods are
 *   checked on their templates (`cross.pod-template-pool`, `cross.toleration`).
 * - **Not evicted mid-job**: the job submitter and the driver hold the whole job. On a managed
 *   node group that Cluster Autoscaler scales they need
 *   `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"` (`pod.ca-evictable`); on a
 *   NodePool, `karpenter.sh/do-not-disrupt: "true"` (`pod.karpenter-disruptable`); and the
 *   submitter must not land on Spot capacity, as EMR recommends (`pod.submitter-spot`); nor
 *   may the driver, unless its template is annotated `emr-eks-gitops/spot-driver: accepted`
 *   (`pod.driver-spot`).
 * - **YuniKorn task groups**: a placeholder smaller than the real pod is released instead of
 *   swapped, and the gang guarantee silently disappears. `minResource` below Spark's own
 *   request is `yunikorn.task-groups-overhead`; covering Spark but not the whole pod (logging
 *   container, sidecars, init containers) is `pod.task-group-undersized`.
 * - **ReadWriteOnce claims** (`pod.rwo-claim-shared`): an existing RWO claim mounted by more
 *   than one pod that runs at the same time (executors, several JobRuns) attaches to one node in
 *   one zone; every other pod waits, or never starts.
 */

/** A JobRun's gang, as the cross-object checks parsed it. */
export interface RuntimeGang {
  readonly groups: readonly TaskGroup[];
  readonly names: { readonly driver: string | undefined; readonly executor: string | undefined };
}

export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
/** On a driver template: Spot capacity for the driver is a deliberate choice (`accepted`). */
export const SPOT_DRIVER = 'emr-eks-gitops/spot-driver';

/** Where a finding about a pod points: its template for Spark pods, else its owner. */
function location(pod: ModelPod, field: 'annotations' | 'resources'): { file: string; path: string } {
  if (pod.template !== undefined && field === 'annotations')
    return { file: pod.template.file, path: `${pod.template.path}.metadata.annotations` };
  if (pod.role === 'workload') return { file: pod.owner.file, path: '$.spec' };
  return { file: pod.owner.file, path: '$.spec.configurationOverrides' };
}

/** "emr-logging and init container volume-permissions": what the pod adds to Spark's container. */
function additions(admitted: AdmittedPod): string {
  const containers = admitted.containers.filter((c) => c.origin !== 'spark').map((c) => c.name);
  const init = admitted.initContainers.map((c) => c.name);
  return [
    ...(containers.length > 0 ? [containers.join(', ')] : []),
    ...(init.length > 0 ? [`init container${init.length > 1 ? 's' : ''} ${init.join(', ')}`] : []),
  ].join(' and ');
}

function requestOf(admitted: AdmittedPod): { cpu: number; memoryMiB: number } {
  return {
    cpu: admitted.requests.get('cpu') ?? 0,
    memoryMiB: (admitted.requests.get('memory') ?? 0) / 2 ** 20,
  };
}

function checkFit(
  sink: FindingSink,
  admitted: AdmittedPod,
  candidates: readonly NodeGroup[],
  groups: readonly NodeGroup[],
): void {
  const { pod } = admitted;
  const { cpu, memoryMiB } = requestOf(admitted);
  for (const group of candidates) {
    const fit = bestFit(group, cpu, memoryMiB);
    if (fit.fits) continue;
    const { file } = location(pod, 'resources');
    const extra = additions(admitted);
    // Pools of the same kind where the pod would fit: the first fix to suggest.
    const roomier = groups
      .filter((g) => g.source === group.source && g.name !== group.name && bestFit(g, cpu, memoryMiB).fits)
      .map((g) => g.name);
    const fix = `${roomier.length > 0 ? `use ${roomier.join(' or ')}, or ` : ''}ask for fewer cores or less memory`;
    sink.report(
      file,
      '$.spec',
      'cross.fit',
      `${describePod(pod)} needs ${cores(cpu)} cores and ${gib(memoryMiB)} GiB (${pod.role === 'workload' ? 'its containers' : 'Spark with memory overhead'}${extra.length > 0 ? `, with ${extra}` : ''}), more than any instance type ${group.source === 'NodePool' ? 'NodePool' : 'node group'} ${group.name} allows: the largest, ${String(fit.largest)}; ${fix}`,
    );
  }
}

function pinnedOnDemand(pod: ModelPod): boolean {
  return (
    pod.nodeSelector['karpenter.sh/capacity-type'] === 'on-demand' ||
    pod.nodeSelector['eks.amazonaws.com/capacityType'] === 'ON_DEMAND'
  );
}

function checkProtection(sink: FindingSink, pod: ModelPod, candidates: readonly NodeGroup[]): void {
  if (pod.role !== 'job-submitter' && pod.role !== 'driver') return;
  const { file, path } = location(pod, 'annotations');
  const autoscaled = candidates.filter((g) => g.autoscaler === 'cluster-autoscaler');
  if (autoscaled.length > 0 && pod.annotations[SAFE_TO_EVICT] !== 'false') {
    const fix =
      pod.role === 'job-submitter'
        ? `add "jobsubmitter.annotation.${SAFE_TO_EVICT}": "false" to the emr-job-submitter classification`
        : `annotate the driver ${SAFE_TO_EVICT}: "false"`;
    sink.report(
      file,
      path,
      'pod.ca-evictable',
      `${describePod(pod)} can run on node group ${autoscaled.map((g) => g.name).join(', ')}, which Cluster Autoscaler scales down by evicting pods: losing it fails the job; ${fix}`,
    );
  }
  const pools = candidates.filter((g) => g.autoscaler === 'karpenter');
  if (pools.length > 0 && pod.annotations[DO_NOT_DISRUPT] !== 'true') {
    sink.report(
      file,
      path,
      'pod.karpenter-disruptable',
      `${describePod(pod)} can run on NodePool ${pools.map((g) => g.name).join(', ')} without ${DO_NOT_DISRUPT}: "true": consolidation may remove its node mid-job and fail the job`,
    );
  }
  if (pod.role === 'driver' && !pinnedOnDemand(pod) && pod.annotations[SPOT_DRIVER] !== 'accepted') {
    const spot = candidates.filter((g) => g.capacityTypes.includes('spot'));
    if (spot.length > 0) {
      sink.report(
        pod.template?.file ?? file,
        pod.template !== undefined ? `${pod.template.path}.spec.nodeSelector` : path,
        'pod.driver-spot',
        `${describePod(pod)} can land on Spot capacity (${spot.map((g) => g.name).join(', ')}): a Spot interruption of the driver fails the whole job; select karpenter.sh/capacity-type: on-demand in the driver template, or annotate it ${SPOT_DRIVER}: accepted where reruns are acceptable`,
      );
    }
  }
  if (pod.role === 'job-submitter' && !pinnedOnDemand(pod)) {
    const spot = candidates.filter((g) => g.capacityTypes.includes('spot'));
    if (spot.length > 0) {
      sink.report(
        file,
        path,
        'pod.submitter-spot',
        `${describePod(pod)} can land on Spot capacity (${spot.map((g) => g.name).join(', ')}): a Spot interruption fails the job; select On-Demand nodes with jobsubmitter.node.selector.*`,
      );
    }
  }
}

function checkTaskGroup(sink: FindingSink, admitted: AdmittedPod, gang: RuntimeGang | undefined): void {
  const { pod } = admitted;
  if (gang === undefined || (pod.role !== 'driver' && pod.role !== 'executor')) return;
  const group = gang.groups.find((g) => g.name === gang.names[pod.role as 'driver' | 'executor']);
  if (group === undefined) return; // yunikorn.task-group-name
  const spark = admitted.containers.find((c) => c.origin === 'spark');
  const reserved = {
    cpu: quantityValue(group.minResource.cpu) ?? 0,
    memory: quantityValue(group.minResource.memory) ?? 0,
  };
  for (const resource of ['cpu', 'memory'] as const) {
    const own = spark?.requests.get(resource) ?? 0;
    const whole = admitted.requests.get(resource) ?? 0;
    const held = `task group ${group.name} reserves ${formatAmount(resource, reserved[resource])}`;
    if (reserved[resource] < own - (resource === 'memory' ? 1 : 1e-9)) {
      sink.report(
        pod.owner.file,
        '$.spec',
        'yunikorn.task-groups-overhead',
        `${held}, less than the ${formatAmount(resource, own)} Spark's ${pod.role} container requests${resource === 'memory' ? ' including memory overhead' : ''}`,
      );
    } else if (reserved[resource] < whole - (resource === 'memory' ? 1 : 1e-9)) {
      sink.report(
        pod.owner.file,
        '$.spec',
        'pod.task-group-undersized',
        `${held}, but ${describePod(pod)} requests ${formatAmount(resource, whole)} with ${additions(admitted)}: YuniKorn releases a placeholder smaller than its real pod instead of swapping it, and the gang guarantee is lost; reserve the whole pod`,
      );
    }
  }
}

function checkReadWriteOnce(sink: FindingSink, pods: readonly ModelPod[], objects: RuntimeObjects): void {
  for (const claim of objects.ofKind('PersistentVolumeClaim')) {
    const modes = arr(obj(claim.object.spec).accessModes).map(String);
    if (modes.length === 0 || !modes.every((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod'))
      continue;
    const users = pods.filter((p) => p.namespace === claim.namespace && p.claims.includes(claim.name));
    const total = users.reduce((sum, p) => sum + p.count, 0);
    if (total <= 1) continue;
    const owners = [...new Set(users.map((p) => describe(p.owner)))];
    sink.report(
      claim.file,
      '$.spec.accessModes',
      'pod.rwo-claim-shared',
      `is ReadWriteOnce but ${total} pods mount it at the same time (${owners.join(', ')}): the volume attaches to one node in one zone, so the other pods wait or never start; give each pod its own volume (Spark's OnDemand claims)`,
    );
  }
}

/** Every placement rule over the admitted pods of one environment. */
export function checkPlacement(
  sink: FindingSink,
  admitted: readonly AdmittedPod[],
  groups: readonly NodeGroup[],
  objects: RuntimeObjects,
  gangs: ReadonlyMap<RuntimeObject, RuntimeGang>,
  managedGroupsKnown: boolean,
): void {
  for (const a of admitted) {
    const { pod } = a;
    const candidates = candidateGroups(groups, pod.nodeSelector, pod.tolerations);
    if (candidates.length === 0) {
      if (managedGroupsKnown && (pod.role === 'job-submitter' || pod.role === 'workload')) {
        const { file, path } = location(pod, 'resources');
        sink.report(
          file,
          path,
          'pod.unschedulable',
          `${describePod(pod)} matches no node group or NodePool (node selector ${JSON.stringify(pod.nodeSelector)}, ${pod.tolerations.length} toleration(s)): it stays Pending`,
        );
      }
      continue;
    }
    checkFit(sink, a, candidates, groups);
    checkProtection(sink, pod, candidates);
    checkTaskGroup(sink, a, gangs.get(pod.owner));
  }
  checkReadWriteOnce(
    sink,
    admitted.map((a) => a.pod),
    objects,
  );
}
