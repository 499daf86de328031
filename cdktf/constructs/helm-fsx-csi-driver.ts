import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { fsxCsiDriverRoleName, type Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { charts } from '../../config/versions';
import { CORE_NODE_SELECTOR, TOLERATE_ALL_TAINTS, pinnedRelease } from './helm-release';
import type { PolicyStatement } from './iam-policy';
import { PodIdentityRole } from './pod-identity-role';
import { arn, iamArn } from '../../lib/arn';

export const FSX_CSI_NAMESPACE = ADDONS.fsxCsiDriver.namespace;
export const FSX_CSI_CONTROLLER_SERVICE_ACCOUNT = 'fsx-csi-controller-sa';
/** Tag the controller puts on every filesystem it creates; it may delete only those. */
export const FSX_CSI_CLUSTER_TAG = 'fsx.csi.aws.com/cluster';

/** Props for {@link HelmFsxCsiDriver}. */
export interface HelmFsxCsiDriverProps {
  readonly env: Environment;
  /** Name of the EKS cluster (from the `aws_eks_cluster` data source). */
  readonly clusterName: string;
}

/** The subset of the aws-fsx-csi-driver chart's values this project sets. */
type FsxCsiValues = {
  readonly controller: {
    readonly region: string;
    readonly nodeSelector: typeof CORE_NODE_SELECTOR;
    readonly serviceAccount: { readonly create: true; readonly name: string };
    readonly extraTags: Readonly<Record<string, string>>;
  };
  readonly node: { readonly tolerations: typeof TOLERATE_ALL_TAINTS };
};

/**
 * The FSx for Lustre CSI driver: the node plugin on every node, Spark's tainted ones included
 * (`tolerations: [{operator: Exists}]`), and the controller on the core nodes. The controller's
 * role can create and delete only filesystems carrying this cluster's tag, so the static
 * PERSISTENT_2 filesystem Terraform owns is out of its reach; without `storage.fsx.dynamic` it
 * may only describe filesystems (static volumes need no AWS call).
 */
export class HelmFsxCsiDriver extends Construct {
  readonly role: PodIdentityRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmFsxCsiDriverProps) {
    super(scope, id);
    const { env } = props;
    const { region, name } = env.cluster;
    const fileSystems = arn(env.cluster, 'fsx', 'file-system/*');
    const dynamic: PolicyStatement[] = [
      {
        Sid: 'CreateTaggedFileSystems',
        Effect: 'Allow',
        Action: ['fsx:CreateFileSystem', 'fsx:TagResource'],
        Resource: fileSystems,
        Condition: { StringEquals: { [`aws:RequestTag/${FSX_CSI_CLUSTER_TAG}`]: name } },
      },
      {
        Sid: 'DeleteOwnFileSystems',
        Effect: 'Allow',
        Action: 'fsx:DeleteFileSystem',
        Resource: fileSystems,
        Condition: { StringEquals: { [`aws:ResourceTag/${FSX_CSI_CLUSTER_TAG}`]: name } },
      },
      {
        Sid: 'CreateFsxServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: iamArn(env.cluster, 'role/aws-service-role/fsx.amazonaws.com/*'),
        Condition: { StringEquals: { 'iam:AWSServiceName': 'fsx.amazonaws.com' } },
      },
    ];
    this.role = new PodIdentityRole(this, 'role', {
      env,
      clusterName: props.clusterName,
      roleName: fsxCsiDriverRoleName(env),
      description: 'FSx for Lustre CSI controller: filesystems for dynamic volumes',
      namespace: FSX_CSI_NAMESPACE,
      serviceAccount: FSX_CSI_CONTROLLER_SERVICE_ACCOUNT,
      policyName: 'fsx-csi-controller',
      statements: [
        {
          Sid: 'DescribeFileSystems',
          Effect: 'Allow',
          Action: 'fsx:DescribeFileSystems',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': region } },
        },
        ...(env.storage.fsx.dynamic.enabled ? dynamic : []),
      ],
    });
    const values: FsxCsiValues = {
      controller: {
        region,
        nodeSelector: CORE_NODE_SELECTOR,
        serviceAccount: { create: true, name: FSX_CSI_CONTROLLER_SERVICE_ACCOUNT },
        extraTags: { [FSX_CSI_CLUSTER_TAG]: name },
      },
      node: { tolerations: TOLERATE_ALL_TAINTS },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.fsxCsiDriver,
      name: 'aws-fsx-csi-driver',
      namespace: FSX_CSI_NAMESPACE,
      values,
      dependsOn: [this.role.association],
    });
  }
}
