import type { PolicyDocument } from './iam-policy';
import { arn, iamArn } from '../../lib/arn';

/** Inputs for {@link karpenterControllerPolicy}. */
export interface KarpenterPolicyScope {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  readonly queueArn: string;
  readonly nodeRoleArn: string;
  readonly clusterArn: string;
}

/**
 * Least-privilege controller policy for Karpenter v1: the statements of Karpenter's reference
 * CloudFormation policy for the pinned version (v1.14.1: node lifecycle, IAM integration, EKS
 * integration, interruption, zonal shift and resource discovery), one inline document with the
 * same Sids. Every mutating EC2/IAM action is conditioned on this cluster's ownership tags, reads
 * are pinned to the region, PassRole only for the node role and only to EC2. `npm run
 * conformance` compares it statement by statement with the upstream file.
 */
export function karpenterControllerPolicy(scope: KarpenterPolicyScope): PolicyDocument {
  const { clusterName: name, region } = scope;
  const ec2 = (resource: string) => arn(scope, 'ec2', resource, { account: '*' });
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: 'owned' };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${name}`]: 'owned',
    'aws:RequestTag/eks:eks-cluster-name': name,
  };
  const instanceProfiles = iamArn(scope, 'instance-profile/*');
  const launchActions = ['ec2:RunInstances', 'ec2:CreateFleet'];
  const taggedOnCreate = [
    'fleet/*',
    'instance/*',
    'volume/*',
    'network-interface/*',
    'launch-template/*',
    'spot-instances-request/*',
  ].map(ec2);
  return {
    Statement: [
      {
        Sid: 'AllowScopedEC2InstanceAccessActions',
        Effect: 'Allow',
        Action: launchActions,
        Resource: [
          arn(scope, 'ec2', 'image/*', { account: '' }),
          arn(scope, 'ec2', 'snapshot/*', { account: '' }),
          ec2('security-group/*'),
          ec2('subnet/*'),
          ec2('capacity-reservation/*'),
          ec2('placement-group/*'),
        ],
      },
      {
        Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        Effect: 'Allow',
        Action: launchActions,
        Resource: ec2('launch-template/*'),
        Condition: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      },
      {
        Sid: 'AllowScopedEC2InstanceActionsWithTags',
        Effect: 'Allow',
        Action: [...launchActions, 'ec2:CreateLaunchTemplate'],
        Resource: taggedOnCreate,
        Condition: {
          StringEquals: requestOwned,
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceCreationTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: taggedOnCreate,
        Condition: {
          StringEquals: {
            ...requestOwned,
            'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
          },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: ec2('instance/*'),
        Condition: {
          StringEquals: owned,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': name },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
          },
        },
      },
      {
        Sid: 'AllowScopedDeletion',
        Effect: 'Allow',
        Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        Resource: [ec2('instance/*'), ec2('launch-template/*')],
        Condition: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      },
      {
        Sid: 'AllowRegionalReadActions',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          // The instance-status health checks (unhealthy nodes are replaced) stay off without it.
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': region } },
      },
      {
        Sid: 'AllowSSMReadActions',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: arn(scope, 'ssm', 'parameter/aws/service/*', { account: '' }),
      },
      { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
      {
        Sid: 'AllowInterruptionQueueActions',
        Effect: 'Allow',
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: scope.queueArn,
      },
      {
        Sid: 'AllowPassingInstanceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: scope.nodeRoleArn,
        // As upstream: the second principal is EC2's in the China partitions.
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      },
      {
        Sid: 'AllowScopedInstanceProfileCreationActions',
        Effect: 'Allow',
        Action: 'iam:CreateInstanceProfile',
        Resource: instanceProfiles,
        Condition: {
          StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileTagActions',
        Effect: 'Allow',
        Action: 'iam:TagInstanceProfile',
        Resource: instanceProfiles,
        Condition: {
          StringEquals: {
            ...owned,
            'aws:ResourceTag/topology.kubernetes.io/region': region,
            ...requestOwned,
            'aws:RequestTag/topology.kubernetes.io/region': region,
          },
          StringLike: {
            'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
            'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
          },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileActions',
        Effect: 'Allow',
        Action: [
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
          'iam:DeleteInstanceProfile',
        ],
        Resource: instanceProfiles,
        Condition: {
          StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowInstanceProfileReadActions',
        Effect: 'Allow',
        Action: 'iam:GetInstanceProfile',
        Resource: instanceProfiles,
      },
      {
        Sid: 'AllowUnscopedInstanceProfileListAction',
        Effect: 'Allow',
        Action: 'iam:ListInstanceProfiles',
        Resource: '*',
      },
      {
        Sid: 'AllowAPIServerEndpointDiscovery',
        Effect: 'Allow',
        Action: 'eks:DescribeCluster',
        Resource: scope.clusterArn,
      },
      {
        // Needed when zonal shift is on (settings.enableZonalShift); ARC accepts no resource scope,
        // so the condition pins the one managed resource, this cluster.
        Sid: 'AllowZonalShiftStatusReadOnly',
        Effect: 'Allow',
        Action: 'arc-zonal-shift:GetManagedResource',
        Resource: '*',
        Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': scope.clusterArn } },
      },
    ],
  };
}
