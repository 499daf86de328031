import { Construct } from 'constructs';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from '../framework';
import { ebsCsiRoleName, type Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { managedPolicy, podIdentityTrust } from './iam-policy';

/** Where the EBS CSI add-on runs its controller, whose service account assumes the driver's role. */
export const EBS_CSI_NAMESPACE = ADDONS.ebsCsiDriver.namespace;
export const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';
/** The CloudWatch observability add-on's agent. */
const CLOUDWATCH_NAMESPACE = ADDONS.cloudwatchMetrics.namespace;
const CLOUDWATCH_SERVICE_ACCOUNT = 'cloudwatch-agent';

/** Props for {@link EksAddons}. */
export interface EksAddonsProps {
  readonly env: Environment;
  readonly cluster: EksCluster;
  /** Add-ons that run as Deployments wait for these (the core node group). */
  readonly computeReady: readonly ITerraformDependable[];
}

interface AddonSpec {
  readonly name: string;
  readonly enabled: boolean;
  /** Needs schedulable nodes before it can become ACTIVE. */
  readonly needsNodes: boolean;
  readonly configuration?: Record<string, unknown>;
}

/**
 * EKS managed add-ons. Each version is the default EKS recommends for the cluster's Kubernetes
 * version (`aws_eks_addon_version`, not `most_recent`), so an upgrade happens with the cluster
 * version, in review. The EBS CSI controller gets its own role through Pod Identity.
 */
export class EksAddons extends Construct {
  readonly addons: EksAddon[] = [];

  constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    const { addons, cluster } = props.env;
    const specs: AddonSpec[] = [
      {
        name: 'vpc-cni',
        enabled: addons.vpcCni,
        needsNodes: false,
        // Prefix delegation: many more pod IPs per node, which Spark executors need on large instances.
        // Network policy enforcement: the team namespaces' NetworkPolicies depend on it.
        configuration: {
          enableNetworkPolicy: 'true',
          env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
        },
      },
      { name: 'kube-proxy', enabled: addons.kubeProxy, needsNodes: false },
      { name: 'eks-pod-identity-agent', enabled: addons.podIdentityAgent, needsNodes: false },
      { name: 'coredns', enabled: addons.coreDns, needsNodes: true },
      { name: 'aws-ebs-csi-driver', enabled: addons.ebsCsiDriver, needsNodes: true },
      { name: 'metrics-server', enabled: addons.metricsServer, needsNodes: true },
      { name: 'amazon-cloudwatch-observability', enabled: addons.cloudwatchMetrics, needsNodes: true },
    ];

    const ebsRole = addons.ebsCsiDriver ? this.ebsCsiRole(props.env) : undefined;
    for (const spec of specs.filter((s) => s.enabled)) {
      const version = new DataAwsEksAddonVersion(this, `${spec.name}-version`, {
        addonName: spec.name,
        kubernetesVersion: cluster.version,
        mostRecent: false,
      });
      this.addons.push(
        new EksAddon(this, spec.name, {
          clusterName: props.cluster.name,
          addonName: spec.name,
          addonVersion: version.version,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'PRESERVE',
          configurationValues: spec.configuration ? JSON.stringify(spec.configuration) : undefined,
          podIdentityAssociation:
            spec.name === 'aws-ebs-csi-driver' && ebsRole
              ? [{ roleArn: ebsRole.arn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }]
              : undefined,
          dependsOn: spec.needsNodes ? [...props.computeReady] : [],
        }),
      );
    }
    if (addons.cloudwatchMetrics) this.cloudwatchAgentRole(props.env, props.cluster);
  }

  private ebsCsiRole(env: Environment): IamRole {
    const role = new IamRole(this, 'ebs-csi-role', {
      name: ebsCsiRoleName(env),
      assumeRolePolicy: podIdentityTrust({
        accountId: env.cluster.accountId,
        clusterName: env.cluster.name,
        namespace: EBS_CSI_NAMESPACE,
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      }),
    });
    new IamRolePolicyAttachment(this, 'ebs-csi-role-policy', {
      role: role.name,
      policyArn: managedPolicy(env.cluster, 'service-role/AmazonEBSCSIDriverPolicy'),
    });
    return role;
  }

  private cloudwatchAgentRole(env: Environment, cluster: EksCluster): void {
    const role = new IamRole(this, 'cloudwatch-agent-role', {
      name: `${env.cluster.name}-cloudwatch-agent`,
      assumeRolePolicy: podIdentityTrust({
        accountId: env.cluster.accountId,
        clusterName: env.cluster.name,
        namespace: CLOUDWATCH_NAMESPACE,
        serviceAccount: CLOUDWATCH_SERVICE_ACCOUNT,
      }),
    });
    new IamRolePolicyAttachment(this, 'cloudwatch-agent-role-policy', {
      role: role.name,
      policyArn: managedPolicy(env.cluster, 'CloudWatchAgentServerPolicy'),
    });
    new EksPodIdentityAssociation(this, 'cloudwatch-agent-identity', {
      clusterName: cluster.name,
      namespace: CLOUDWATCH_NAMESPACE,
      serviceAccount: CLOUDWATCH_SERVICE_ACCOUNT,
      roleArn: role.arn,
    });
  }
}
