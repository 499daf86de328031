import type { PolicyStatement } from './iam-policy';
import { arn, iamArn } from '../../lib/arn';

/** Inputs for {@link ackEmrContainersPolicy}. */
export interface AckEmrContainersPolicyScope {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** ARNs of the team job execution roles, the only roles JobRuns may name. */
  readonly executionRoleArns: readonly string[];
}

/** Name of the service-linked role EMR on EKS acts as inside the cluster. */
export const EMR_CONTAINERS_SERVICE_LINKED_ROLE = 'AWSServiceRoleForAmazonEMRContainers';

/**
 * Least-privilege policy of the ACK EMR on EKS controller (narrower than the controller's
 * `recommended-inline-policy`, which allows `*`): virtual cluster and job run actions on this
 * account's and region's virtual clusters (job runs are `/virtualclusters/<id>/jobruns/<id>`),
 * PassRole only for the team execution roles, the EMR service-linked role, and the access-entry
 * calls EMR makes with the caller's identity when a virtual cluster is created (the EMR on EKS
 * integration with EKS access entries; see `EksCluster`).
 *
 * `CreateVirtualCluster` and `ListVirtualClusters` support no resource-level permissions, so they
 * get `*`, pinned to the region.
 */
export function ackEmrContainersPolicy(scope: AckEmrContainersPolicyScope): PolicyStatement[] {
  const { clusterName, region, accountId } = scope;
  const eks = (resource: string) => arn(scope, 'eks', resource);
  return [
    {
      Sid: 'CreateAndListVirtualClusters',
      Effect: 'Allow',
      Action: ['emr-containers:CreateVirtualCluster', 'emr-containers:ListVirtualClusters'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    {
      Sid: 'ManageVirtualClustersAndJobRuns',
      Effect: 'Allow',
      Action: [
        'emr-containers:DescribeVirtualCluster',
        'emr-containers:DeleteVirtualCluster',
        'emr-containers:StartJobRun',
        'emr-containers:DescribeJobRun',
        'emr-containers:CancelJobRun',
        'emr-containers:ListJobRuns',
        'emr-containers:TagResource',
        'emr-containers:UntagResource',
        'emr-containers:ListTagsForResource',
      ],
      Resource: arn(scope, 'emr-containers', '/virtualclusters/*'),
    },
    {
      Sid: 'PassTeamExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: scope.executionRoleArns,
    },
    {
      Sid: 'CreateEmrServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: iamArn(
        scope,
        `role/aws-service-role/emr-containers.amazonaws.com/${EMR_CONTAINERS_SERVICE_LINKED_ROLE}`,
      ),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'emr-containers.amazonaws.com' } },
    },
    {
      Sid: 'CreateEmrAccessEntry',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster', 'eks:CreateAccessEntry'],
      Resource: eks(`cluster/${clusterName}`),
    },
    {
      Sid: 'ManageEmrAccessEntry',
      Effect: 'Allow',
      Action: [
        'eks:DescribeAccessEntry',
        'eks:DeleteAccessEntry',
        'eks:ListAssociatedAccessPolicies',
        'eks:AssociateAccessPolicy',
        'eks:DisassociateAccessPolicy',
      ],
      Resource: eks(`access-entry/${clusterName}/role/${accountId}/${EMR_CONTAINERS_SERVICE_LINKED_ROLE}/*`),
    },
  ];
}
