import { Construct } from 'constructs';
import {
  karpenterNodeRoleName,
  versions,
  type Environment,
  type NodePool as NodePoolConfig,
} from '../../config';
import { EC2NodeClass } from '../imports/karpenter.k8s.aws';
import {
  NodePool,
  type NodePoolSpecTemplateSpecRequirements as NodeSelectorRequirement,
  type NodePoolSpecTemplateSpecTaints as Taint,
} from '../imports/karpenter.sh';
import { freezeBudget } from './maintenance-window';

/** Props for {@link SparkNodePool}. */
export interface SparkNodePoolProps {
  readonly env: Environment;
  readonly pool: NodePoolConfig;
}

/** Labels every node of a pool carries (the seed's names); pod templates select on them. */
export function nodePoolLabels(pool: NodePoolConfig): Record<string, string> {
  return { NodeGroupType: pool.nodeGroupType, provisioner: pool.name, type: 'karpenter' };
}

/** The taint of a pool, if it has one: `<name>=true:NoSchedule`. */
export function nodePoolTaints(pool: NodePoolConfig): Taint[] {
  return pool.taint ? [{ key: pool.name, value: 'true', effect: 'NoSchedule' }] : [];
}

/**
 * One Spark node pool: a Karpenter v1 `EC2NodeClass` (AL2023 pinned alias, instance-store NVMe
 * as RAID0, IMDSv2 with hop limit 2, encrypted gp3 root, subnets and security groups found by
 * the cluster's discovery tag) and the `NodePool` that launches it (the seed's instance types,
 * architecture, zones, capacity types, labels and taint; empty nodes removed after
 * `consolidateAfter`; disruption budgets with freeze windows).
 */
export class SparkNodePool extends Construct {
  readonly nodeClass: EC2NodeClass;
  readonly nodePool: NodePool;

  constructor(scope: Construct, id: string, props: SparkNodePoolProps) {
    super(scope, id);
    const { env, pool } = props;
    const discovery = { 'karpenter.sh/discovery': env.cluster.name };

    this.nodeClass = new EC2NodeClass(this, 'node-class', {
      metadata: { name: pool.name },
      spec: {
        amiSelectorTerms: [{ alias: versions.al2023AmiAlias }],
        role: karpenterNodeRoleName(env),
        subnetSelectorTerms: [{ tags: discovery }],
        securityGroupSelectorTerms: [{ tags: discovery }],
        ...(pool.instanceStorePolicy === 'RAID0' ? { instanceStorePolicy: 'RAID0' as const } : {}),
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: 2,
          httpTokens: 'required',
        },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            rootVolume: true,
            ebs: {
              volumeSize: `${pool.rootVolumeGiB}Gi`,
              volumeType: 'gp3',
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        tags: { Name: `${env.cluster.name}-${pool.name}`, NodeGroupType: pool.nodeGroupType },
      },
    });

    const requirements: NodeSelectorRequirement[] = [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: pool.capacityTypes },
      { key: 'kubernetes.io/arch', operator: 'In', values: [pool.arch] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: pool.instanceTypes },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: pool.zones },
    ];
    const taints = nodePoolTaints(pool);
    this.nodePool = new NodePool(this, 'node-pool', {
      metadata: { name: pool.name },
      spec: {
        template: {
          metadata: { labels: nodePoolLabels(pool) },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.name },
            requirements,
            ...(taints.length > 0 ? { taints } : {}),
            expireAfter: '720h',
          },
        },
        disruption: {
          consolidationPolicy: 'WhenEmpty',
          consolidateAfter: pool.consolidateAfter,
          budgets: [
            { nodes: pool.disruption.maxUnavailable },
            ...pool.disruption.freezeWindows.map(freezeBudget),
          ],
        },
        limits: {
          cpu: String(pool.limits.cpu),
          ...(pool.limits.memoryGiB ? { memory: `${pool.limits.memoryGiB}Gi` } : {}),
        },
      },
    });
  }
}
