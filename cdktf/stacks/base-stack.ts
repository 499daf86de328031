import type { Construct } from 'constructs';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { TerraformOutput } from '../framework';
import { ampWorkspaceAlias, jobBucketName, type Environment } from '../../config';
import { CoreNodeGroup } from '../constructs/core-node-group';
import { EksAddons } from '../constructs/eks-addons';
import { EksCluster } from '../constructs/eks-cluster';
import { FsxLustre } from '../constructs/fsx-lustre';
import { JobBucket } from '../constructs/job-bucket';
import { KarpenterInfra } from '../constructs/karpenter-infra';
import { VpcNetwork } from '../constructs/vpc-network';
import { awsProvider } from './aws-provider';
import { PlatformStack } from './platform-stack';

/**
 * The long-lived AWS base of an environment: network, EKS with its core node group and managed
 * add-ons, Karpenter's AWS side, the job bucket, Amazon Managed Prometheus and FSx for Lustre.
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
    const jobs = new JobBucket(this, 'job-bucket', { env });
    const amp = env.addons.amazonManagedPrometheus
      ? new PrometheusWorkspace(this, 'amp-workspace', { alias: ampWorkspaceAlias(env) })
      : undefined;
    const fsxEnabled = env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
    const fsx = fsxEnabled
      ? new FsxLustre(this, 'fsx', {
          env,
          vpc: network.vpc,
          nodeSubnets: network.nodeSubnets,
          dataRepositoryPath: `s3://${jobBucketName(env)}/fsx/`,
        })
      : undefined;

    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description });
    output('cluster_name', eks.cluster.name, 'EKS cluster name');
    output('cluster_endpoint', eks.cluster.endpoint, 'EKS API server endpoint');
    output('oidc_provider_arn', eks.oidcProvider.arn, 'IAM OIDC provider for IRSA');
    output('vpc_id', network.vpc.id, 'Cluster VPC');
    output('job_bucket_name', jobs.bucket.bucket, 'Bucket for scripts, pod templates, logs and event logs');
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
