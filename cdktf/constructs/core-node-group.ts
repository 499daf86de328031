import { Construct } from 'constructs';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { coreNodeRoleName, versions, type Environment } from '../../config';
import { CORE_NODE_LABELS } from '../../config/core-node-group';
import { managedPolicy, serviceTrust } from './iam-policy';

/** Props for {@link CoreNodeGroup}. */
export interface CoreNodeGroupProps {
  readonly env: Environment;
  readonly cluster: EksCluster;
  /** One subnet per zone: the group spreads its nodes over all of them. */
  readonly subnets: readonly Subnet[];
}

/**
 * Policies every EKS worker needs (image pulls only, as Karpenter's v1.14.1 reference node role),
 * plus SSM for break-glass access without SSH.
 */
export const WORKER_NODE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy',
  'AmazonSSMManagedInstanceCore',
] as const;

/**
 * The `core-node-group` managed node group for system add-ons (Karpenter, CoreDNS, Argo CD,
 * observability), labelled `NodeGroupType=core`. Launch template: encrypted gp3 root volume and
 * IMDSv2 required with hop limit 2 (pods that need instance credentials use IRSA/Pod Identity).
 * `desiredSize` is the size at creation only; Terraform then leaves the running size to Cluster
 * Autoscaler (min and max stay Terraform's).
 */
export class CoreNodeGroup extends Construct {
  readonly role: IamRole;
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: CoreNodeGroupProps) {
    super(scope, id);
    const { cluster: clusterConfig } = props.env;
    const group = clusterConfig.coreNodeGroup;

    this.role = new IamRole(this, 'role', {
      name: coreNodeRoleName(props.env),
      assumeRolePolicy: serviceTrust('ec2.amazonaws.com'),
    });
    const attachments = WORKER_NODE_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, `role-${policy}`, {
          role: this.role.name,
          policyArn: managedPolicy(clusterConfig, policy),
        }),
    );

    const template = new LaunchTemplate(this, 'launch-template', {
      name: `${clusterConfig.name}-core-node-group`,
      description: 'EKS core node group for system add-ons',
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: group.diskSizeGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
      },
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: 'core-node-grp' } },
        { resourceType: 'volume', tags: { Name: 'core-node-grp' } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.cluster.name,
      nodeGroupName: 'core-node-group',
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnets.map((s) => s.id),
      amiType: versions.coreNodeAmiType,
      instanceTypes: group.instanceTypes,
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      labels: { ...CORE_NODE_LABELS },
      tags: { Name: 'core-node-grp' },
      dependsOn: attachments,
      // Cluster Autoscaler owns the group's size once it exists: without this, every apply of
      // `base` resets it to `desiredSize` and EKS terminates the nodes the autoscaler added.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}
