/**
 * Labels of the core managed node group's nodes (`cdktf/constructs/core-node-group.ts`): an
 * On-Demand group that Cluster Autoscaler scales. Controllers select it, and so does every EMR
 * job submitter pod, so neither lands on (or keeps alive) Karpenter's Spark nodes.
 */
export const CORE_NODE_LABELS = { NodeGroupType: 'core', WorkerType: 'ON_DEMAND' } as const;

/** The node selector that places a pod on the core node group. */
export const CORE_NODE_SELECTOR = { NodeGroupType: CORE_NODE_LABELS.NodeGroupType } as const;
