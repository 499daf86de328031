import type { Construct } from 'constructs';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { TerraformOutput } from '../framework';
import { ampWorkspaceAlias, needsPlatformBucket, platformBucketName, type Environment } from '../../config';
import { CoreNodeGroup } from '../constructs/core-node-group';
import { EksAddons } from '../constructs/eks-addons';
import { EksCluster } from '../constructs/eks-cluster';
import { FSX_KEY_PREFIX, FsxLustre } from '../constructs/fsx-lustre';
import { FLUENT_BIT_S3_PREFIX } from '../constructs/helm-fluent-bit';
import { KarpenterInfra } from '../constructs/karpenter-infra';
import { SecureBucket } from '../constructs/secure-bucket';
import { VpcNetwork } from '../constructs/vpc-network';
import { awsProvider } from './aws-provider';
import { PlatformStack } from './platform-stack';

/**
 * The long-lived AWS base of an environment: network, EKS with its core node group and managed
 * add-ons, Karpenter's AWS side, Amazon Managed Prometheus, FSx for Lustre, and the platform bucket
 * when FSx or Fluent Bit need it (team buckets live in `teams`).
 */
export class BaseStack extends PlatformStack {
  constructor(scope: Construct, env: Environment) {
    super(scope, { env, stackName: 'base' });
    awsProvider(this, env);

    const network = new VpcNetwork(this, 'network', { cluster: env.cluster });
    const eks = new EksCluster(this, 'eks', { env, subnets: network.nodeSubnets });
    const core = new CoreNodeGroup(this, 'core-node-group', {
      env,
      cluster: eks.cluster,
      subnets: network.nodeSubnets,
    });
    new EksAddons(this, 'addons', { env, cluster: eks.cluster, computeReady: [core.nodeGroup] });
    const karpenter = env.addons.karpenter
      ? new KarpenterInfra(this, 'karpenter', { env, cluster: eks.cluster })
      : undefined;
    const platformBucket = needsPlatformBucket(env)
      ? new SecureBucket(this, 'platform-bucket', {
          name: platformBucketName(env),
          forceDestroy: env.forceDestroyBuckets,
          expiringPrefixes: env.addons.fluentBit
            ? [{ id: 'expire-fluent-bit', prefix: FLUENT_BIT_S3_PREFIX, days: env.logObjectExpirationDays }]
            : [],
        })
      : undefined;
    const amp = env.addons.amazonManagedPrometheus
      ? new PrometheusWorkspace(this, 'amp-workspace', { alias: ampWorkspaceAlias(env) })
      : undefined;
    const fsxEnabled = env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
    const fsx = fsxEnabled
      ? new FsxLustre(this, 'fsx', {
          env,
          vpc: network.vpc,
          nodeSubnets: network.nodeSubnets,
          dataRepositoryPath: `s3://${platformBucketName(env)}/${FSX_KEY_PREFIX}`,
        })
      : undefined;

    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description });
    output('cluster_name', eks.cluster.name, 'EKS cluster name');
    output('cluster_endpoint', eks.cluster.endpoint, 'EKS API server endpoint');
    output('oidc_provider_arn', eks.oidcProvider.arn, 'IAM OIDC provider for IRSA');
    output('vpc_id', network.vpc.id, 'Cluster VPC');
    if (platformBucket) {
      output(
        'platform_bucket_name',
        platformBucket.bucket.bucket,
        'Bucket of the FSx data repository and the Fluent Bit archive',
      );
    }
    output(
      'configure_kubectl',
      `aws eks --region ${env.cluster.region} update-kubeconfig --name ${env.cluster.name}`,
      'Configure kubectl for this cluster',
    );
    if (karpenter) {
      output(
        'karpenter_node_role_name',
        karpenter.nodeRole.name,
        'Role of Karpenter-launched nodes (EC2NodeClass role)',
      );
      output(
        'karpenter_interruption_queue',
        karpenter.queue.name,
        'SQS queue for Karpenter interruption handling',
      );
      output(
        'karpenter_controller_role_arn',
        karpenter.controllerRole.arn,
        'Karpenter controller role (Pod Identity)',
      );
    }
    if (amp) {
      output('amp_workspace_id', amp.id, 'Amazon Managed Prometheus workspace id');
      output(
        'amp_remote_write_url',
        `${amp.prometheusEndpoint}api/v1/remote_write`,
        'Prometheus remote write URL',
      );
    }
    if (fsx) {
      output(
        'fsx_security_group_id',
        fsx.securityGroup.id,
        'Security group for FSx for Lustre (dynamic StorageClass)',
      );
      output(
        'fsx_subnet_id',
        network.nodeSubnets[0]?.id ?? '',
        'Subnet for FSx for Lustre (dynamic StorageClass)',
      );
    }
    if (fsx?.fileSystem) {
      output('fsx_file_system_id', fsx.fileSystem.id, 'Static FSx for Lustre filesystem id');
      output('fsx_dns_name', fsx.fileSystem.dnsName, 'Static FSx for Lustre DNS name');
      output('fsx_mount_name', fsx.fileSystem.mountName, 'Static FSx for Lustre mount name');
    }
  }
}
