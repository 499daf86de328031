import { allocatable, INSTANCE_CATALOG } from '../../instance-catalog';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';

/**
 * Where pods can run: the Karpenter NodePools of the render and the EKS managed node groups of
 * the environment's Terraform (`aws_eks_node_group`), with their labels, taints, instance types
 * and capacity types, and which autoscaler removes their nodes (Karpenter consolidates NodePools;
 * Cluster Autoscaler scales managed groups down when the addons stack installs it).
 */

/** One `In`/`NotIn`/`Exists` node requirement. */
export interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** A group of interchangeable nodes. */
export interface NodeGroup {
  readonly source: 'NodePool' | 'managed';
  readonly name: string;
  /** The NodePool's file (empty for managed groups, which live in Terraform). */
  readonly file: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Json[];
  readonly requirements: readonly Requirement[];
  /** `spot`, `on-demand`. */
  readonly capacityTypes: readonly string[];
  /** The EC2NodeClass of a NodePool. */
  readonly nodeClass?: Json;
  /** What removes its nodes under running pods. */
  readonly autoscaler: 'karpenter' | 'cluster-autoscaler' | 'none';
}

/** The Karpenter NodePools of a set (with their EC2NodeClass). */
export function nodePools(objects: readonly { file: string; object: Json }[]): NodeGroup[] {
  const classes = new Map(
    objects
      .filter((o) => o.object.kind === 'EC2NodeClass')
      .map((o) => [str(obj(o.object.metadata).name), o.object]),
  );
  return objects
    .filter((o) => o.object.kind === 'NodePool')
    .map(({ file, object }) => {
      const template = obj(obj(object.spec).template);
      const spec = obj(template.spec);
      const requirements = arr(spec.requirements)
        .filter(isObject)
        .map((r) => ({
          key: str(r.key) ?? '',
          operator: str(r.operator) ?? '',
          values: arr(r.values).map(String),
        }));
      const capacity = requirements.find(
        (r) => r.key === 'karpenter.sh/capacity-type' && r.operator === 'In',
      );
      return {
        source: 'NodePool' as const,
        name: str(obj(object.metadata).name) ?? '',
        file,
        labels: obj(template.metadata).labels as Record<string, string>,
        taints: arr(spec.taints).filter(isObject),
        requirements,
        // Karpenter v1 launches On-Demand unless a requirement allows more.
        capacityTypes: capacity?.values ?? ['on-demand'],
        nodeClass: classes.get(str(obj(spec.nodeClassRef).name)),
        autoscaler: 'karpenter' as const,
      };
    });
}

const TAINT_EFFECTS: Readonly<Record<string, string>> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** EKS managed node groups from the environment's Terraform JSON. */
export function managedNodeGroups(stacks: readonly unknown[]): NodeGroup[] {
  const resources = stacks.map((stack) => (obj(stack).resource ?? {}) as Resources);
  const autoscaled = resources.some((r) =>
    Object.values(r.helm_release ?? {}).some((release) => release.chart === 'cluster-autoscaler'),
  );
  return resources.flatMap((r) =>
    Object.values(r.aws_eks_node_group ?? {}).map((group) => {
      const capacity = str(group.capacity_type) ?? 'ON_DEMAND';
      const name = str(group.node_group_name) ?? '';
      return {
        source: 'managed' as const,
        name,
        file: '',
        labels: {
          ...(obj(group.labels) as Record<string, string>),
          'eks.amazonaws.com/nodegroup': name,
          'eks.amazonaws.com/capacityType': capacity,
        },
        taints: arr(group.taint)
          .filter(isObject)
          .map((t) => ({
            key: t.key,
            value: t.value,
            effect: TAINT_EFFECTS[str(t.effect) ?? ''] ?? t.effect,
          })),
        requirements: [
          {
            key: 'node.kubernetes.io/instance-type',
            operator: 'In',
            values: arr(group.instance_types).map(String),
          },
        ],
        capacityTypes: [capacity === 'SPOT' ? 'spot' : 'on-demand'],
        autoscaler: autoscaled ? ('cluster-autoscaler' as const) : ('none' as const),
      };
    }),
  );
}

/** Whether every node of `group` carries the labels `selector` asks for. */
export function groupSatisfies(group: NodeGroup, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => {
    if (group.labels[key] !== undefined) return group.labels[key] === value;
    if (key === 'karpenter.sh/nodepool') return group.source === 'NodePool' && value === group.name;
    if (key === 'karpenter.sh/capacity-type') return group.capacityTypes.includes(value);
    const requirement = group.requirements.find((r) => r.key === key);
    if (requirement === undefined) return false;
    if (requirement.operator === 'In') return requirement.values.includes(value);
    if (requirement.operator === 'NotIn') return !requirement.values.includes(value);
    return requirement.operator === 'Exists';
  });
}

/** Whether some toleration tolerates `taint`. */
export function tolerates(tolerations: readonly Json[], taint: Json): boolean {
  return tolerations.some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The groups a pod with this node selector and these tolerations can be scheduled on. */
export function candidateGroups(
  groups: readonly NodeGroup[],
  nodeSelector: Readonly<Record<string, string>>,
  tolerations: readonly Json[],
): NodeGroup[] {
  return groups.filter(
    (g) =>
      groupSatisfies(g, nodeSelector) &&
      g.taints.every((taint) => taint.effect === 'PreferNoSchedule' || tolerates(tolerations, taint)),
  );
}

/** The instance types a group may launch (`node.kubernetes.io/instance-type In`). */
export function instanceTypes(group: NodeGroup): readonly string[] {
  return (
    group.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')
      ?.values ?? []
  );
}

/** Cores in the unit people size Spark with: `64.1`, `35.6`, `2`. */
export function cores(cpu: number): string {
  return String(Math.round(cpu * 10) / 10);
}

/** MiB as GiB with one decimal: `840.5`, `63.3`, `4`. */
export function gib(memoryMiB: number): string {
  return String(Math.round((memoryMiB / 1024) * 10) / 10);
}

/** Whether a pod requesting `cpu` cores and `memoryMiB` fits some instance type of the group. */
export function bestFit(
  group: NodeGroup,
  cpu: number,
  memoryMiB: number,
): { fits: boolean; largest?: string } {
  let largest: { type: string; cpu: number; memoryMiB: number } | undefined;
  for (const type of instanceTypes(group)) {
    const facts = INSTANCE_CATALOG.get(type);
    if (facts === undefined) continue;
    const free = allocatable(facts);
    if (free.cpu >= cpu - 1e-9 && free.memoryMiB >= memoryMiB - 1e-6) return { fits: true };
    if (largest === undefined || free.memoryMiB > largest.memoryMiB) largest = { type, ...free };
  }
  if (largest === undefined) return { fits: true }; // no sized type: reported as cross.instance-unknown
  return {
    fits: false,
    largest: `${largest.type} offers ${cores(largest.cpu)} cores and ${gib(largest.memoryMiB)} GiB after kubelet reserve, eviction threshold and DaemonSets`,
  };
}
