import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { clusterRoleName, type Environment } from '../../config';
import { accountAdministersKey, managedPolicy, policyJson, serviceTrust } from './iam-policy';
import { arn } from '../../lib/arn';

/** Props for {@link EksCluster}. */
export interface EksClusterProps {
  readonly env: Environment;
  /** Subnets for the control-plane ENIs (the node subnets, as upstream since 2023). */
  readonly subnets: readonly Subnet[];
}

/**
 * The EKS control plane: secrets encrypted with a dedicated KMS key, control-plane logs, access
 * entries (`API_AND_CONFIG_MAP`), the IRSA OIDC provider, and the discovery tag on the cluster
 * security group so Karpenter nodes join it.
 *
 * Cluster-admin access entries for `cluster.adminPrincipalArns` (people) and
 * `cluster.addonsApplierArns` (who runs `terraform apply` of `addons`, e.g. CI).
 *
 * EMR on EKS's service-linked role needs no mapping here: with access entries enabled, EMR's
 * cluster-access integration creates the `emr-containers` access entry and its namespace-scoped
 * policy when a virtual cluster is created.
 */
export class EksCluster extends Construct {
  readonly cluster: AwsEksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly secretsKey: KmsKey;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const { cluster } = props.env;

    const role = new IamRole(this, 'role', {
      name: clusterRoleName(props.env),
      assumeRolePolicy: serviceTrust('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
    });
    new IamRolePolicyAttachment(this, 'role-cluster-policy', {
      role: role.name,
      policyArn: managedPolicy(cluster, 'AmazonEKSClusterPolicy'),
    });

    this.secretsKey = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets encryption for ${cluster.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson({
        Statement: [
          accountAdministersKey(cluster),
          {
            Sid: 'ClusterRoleEncrypts',
            Effect: 'Allow',
            Principal: { AWS: role.arn },
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:DescribeKey',
            ],
            Resource: '*',
          },
        ],
      }),
    });
    new KmsAlias(this, 'secrets-key-alias', {
      name: `alias/eks/${cluster.name}`,
      targetKeyId: this.secretsKey.keyId,
    });

    const logs = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${cluster.name}/cluster`,
      retentionInDays: cluster.controlPlaneLogRetentionDays,
    });

    this.cluster = new AwsEksCluster(this, 'cluster', {
      name: cluster.name,
      version: cluster.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnets.map((s) => s.id),
        endpointPublicAccess: cluster.endpoint.publicAccess,
        endpointPrivateAccess: cluster.endpoint.privateAccess,
        publicAccessCidrs: cluster.endpoint.publicAccess ? cluster.endpoint.publicAccessCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      accessConfig: {
        authenticationMode: 'API_AND_CONFIG_MAP',
        bootstrapClusterCreatorAdminPermissions: cluster.bootstrapCreatorAdmin,
      },
      tags: { 'karpenter.sh/discovery': cluster.name },
      dependsOn: [logs],
    });

    new Ec2Tag(this, 'cluster-security-group-discovery-tag', {
      resourceId: this.cluster.vpcConfig.clusterSecurityGroupId,
      key: 'karpenter.sh/discovery',
      value: cluster.name,
    });

    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
    });

    const clusterAdmin = (id: string, principalArn: string) => {
      const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn });
      new EksAccessPolicyAssociation(this, `${id}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: arn(cluster, 'eks', 'cluster-access-policy/AmazonEKSClusterAdminPolicy', {
          region: '',
          account: 'aws',
        }),
        accessScope: { type: 'cluster' },
      });
    };
    cluster.adminPrincipalArns.forEach((principalArn, i) => clusterAdmin(`admin-${i}`, principalArn));
    // Keyed by the principal, not its position: reordering the list moves no access entry.
    for (const principalArn of cluster.addonsApplierArns) {
      clusterAdmin(addonsApplierId(principalArn), principalArn);
    }
  }
}

/** Construct id of an addons applier's access entry: `addons-applier-<account>-<role|user>-<name>`. */
export function addonsApplierId(principalArn: string): string {
  const [, , , , account = '', resource = ''] = principalArn.split(':');
  const [kind = '', ...path] = resource.split('/');
  return `addons-applier-${account}-${kind}-${path.join('-')}`.replace(/[^A-Za-z0-9-]/g, '-');
}
