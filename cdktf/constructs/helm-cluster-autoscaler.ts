import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { clusterAutoscalerRoleName, type Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { charts, versions } from '../../config/versions';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';
import { PodIdentityRole } from './pod-identity-role';
import { arn } from '../../lib/arn';

export const CLUSTER_AUTOSCALER_NAMESPACE = ADDONS.clusterAutoscaler.namespace;
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';
/** Name of the core managed node group (`CoreNodeGroup`); EKS names its Auto Scaling group `eks-<name>-<id>`. */
export const CORE_NODE_GROUP_NAME = 'core-node-group';

/** Props for {@link HelmClusterAutoscaler}. */
export interface HelmClusterAutoscalerProps {
  readonly env: Environment;
  /** Name of the EKS cluster (from the `aws_eks_cluster` data source). */
  readonly clusterName: string;
}

/** The subset of the cluster-autoscaler chart's values this project sets. */
type ClusterAutoscalerValues = {
  readonly cloudProvider: 'aws';
  readonly image: { readonly tag: string };
  readonly awsRegion: string;
  readonly autoDiscovery: { readonly clusterName: string };
  readonly rbac: { readonly serviceAccount: { readonly create: true; readonly name: string } };
  readonly nodeSelector: typeof CORE_NODE_SELECTOR;
  readonly extraArgs: Readonly<Record<string, string | boolean>>;
};

/**
 * Cluster Autoscaler for the core managed node group only (Karpenter scales the Spark nodes,
 * which belong to no Auto Scaling group). It discovers groups by the tags EKS puts on managed node
 * groups' Auto Scaling groups (`k8s.io/cluster-autoscaler/enabled`,
 * `k8s.io/cluster-autoscaler/<cluster>`), and its role may resize or shrink only groups that carry
 * this cluster's tag and are named after the core node group. The describe calls it needs accept
 * no resource scope.
 */
export class HelmClusterAutoscaler extends Construct {
  readonly role: PodIdentityRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmClusterAutoscalerProps) {
    super(scope, id);
    const { env } = props;
    const { region, name } = env.cluster;
    this.role = new PodIdentityRole(this, 'role', {
      env,
      clusterName: props.clusterName,
      roleName: clusterAutoscalerRoleName(env),
      description: 'Cluster Autoscaler: the core node group Auto Scaling group',
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      policyName: 'cluster-autoscaler',
      statements: [
        {
          Sid: 'ScaleCoreNodeGroup',
          Effect: 'Allow',
          Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          Resource: arn(
            env.cluster,
            'autoscaling',
            `autoScalingGroup:*:autoScalingGroupName/eks-${CORE_NODE_GROUP_NAME}-*`,
          ),
          Condition: {
            StringEquals: {
              [`aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`]: 'owned',
              'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
            },
          },
        },
        {
          Sid: 'DescribeCoreNodeGroup',
          Effect: 'Allow',
          Action: 'eks:DescribeNodegroup',
          Resource: arn(env.cluster, 'eks', `nodegroup/${name}/${CORE_NODE_GROUP_NAME}/*`),
        },
        {
          Sid: 'DescribeScalingInputs',
          Effect: 'Allow',
          Action: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': region } },
        },
      ],
    });
    const values: ClusterAutoscalerValues = {
      cloudProvider: 'aws',
      // The pinned version, which follows the Kubernetes minor (pipeline/version-guards.ts).
      image: { tag: `v${versions.clusterAutoscaler}` },
      awsRegion: region,
      autoDiscovery: { clusterName: name },
      rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
      nodeSelector: CORE_NODE_SELECTOR,
      // Scale up the group that leaves the least idle capacity; keep the zones' groups even.
      extraArgs: { expander: 'least-waste', 'balance-similar-node-groups': true },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.clusterAutoscaler,
      name: 'cluster-autoscaler',
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      values,
      dependsOn: [this.role.association],
    });
  }
}
