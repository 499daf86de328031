import { describe, expect, it } from 'vitest';
import { INTERRUPTION_EVENTS } from '../../cdktf/constructs/karpenter-infra';
import { KARPENTER_EVENT_IDS } from '../../config/naming';
import { environment, policy, resource, resourcesOfType, synthStacks } from '../helpers/terraform';
import { seedEnvironmentInput } from '../fixtures';

const stacks = synthStacks();
const base = stacks.base!;

describe('base stack', () => {
  it('declares the expected resource addresses', () => {
    const addresses = Object.entries(base.resource ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${type}.${name}`),
    );
    expect(addresses).toMatchSnapshot();
  });

  it('pins the provider to the account and region and tags everything', () => {
    const aws = base.provider?.aws?.[0];
    expect(aws).toMatchObject({
      region: 'us-west-2',
      allowed_account_ids: ['111122223333'],
      default_tags: [{ tags: { Blueprint: 'emr-eks-karpenter', 'emr-eks-gitops/environment': 'default' } }],
    });
  });

  it('builds a VPC over two zones with discovery-tagged private subnets and a secondary CIDR', () => {
    expect(resource(base, 'aws_vpc', 'network_vpc')).toMatchObject({ cidr_block: '10.1.0.0/16' });
    expect(resource(base, 'aws_vpc_ipv4_cidr_block_association', 'network_secondary-cidr-0')).toMatchObject({
      cidr_block: '100.64.0.0/16',
    });
    for (const az of ['us-west-2a', 'us-west-2b']) {
      expect(resource(base, 'aws_subnet', `network_public-${az}`)).toMatchObject({
        availability_zone: az,
        tags: { 'kubernetes.io/role/elb': '1' },
      });
      expect(resource(base, 'aws_subnet', `network_private-${az}`).tags).toEqual({
        Name: `emr-eks-karpenter-private-${az}`,
        'kubernetes.io/role/internal-elb': '1',
      });
      expect(resource(base, 'aws_subnet', `network_node-${az}`).tags).toEqual({
        Name: `emr-eks-karpenter-node-${az}`,
        'karpenter.sh/discovery': 'emr-eks-karpenter',
      });
    }
    expect(Object.keys(resourcesOfType(base, 'aws_nat_gateway'))).toEqual(['network_nat-us-west-2a']);
    expect(resource(base, 'aws_subnet', 'network_node-us-west-2b')).toMatchObject({
      cidr_block: '100.64.128.0/17',
    });
  });

  it('creates interface endpoints only when enabled', () => {
    expect(Object.keys(resourcesOfType(base, 'aws_vpc_endpoint'))).toEqual(['network_endpoint-s3']);
    const env = environment();
    const withEndpoints = synthStacks({
      ...env,
      cluster: {
        ...env.cluster,
        vpc: {
          ...env.cluster.vpc,
          endpoints: { s3Gateway: true, enabled: true, interface: ['sts', 'ecr.api'] },
        },
      },
    }).base!;
    expect(resource(withEndpoints, 'aws_vpc_endpoint', 'network_endpoint-s3')).toMatchObject({
      vpc_endpoint_type: 'Gateway',
      service_name: 'com.amazonaws.us-west-2.s3',
    });
    expect(resource(withEndpoints, 'aws_vpc_endpoint', 'network_endpoint-ecr-api')).toMatchObject({
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
    });
  });

  it('encrypts secrets with a rotating KMS key and enables control-plane logs and access entries', () => {
    expect(resource(base, 'aws_kms_key', 'eks_secrets-key')).toMatchObject({ enable_key_rotation: true });
    const cluster = resource(base, 'aws_eks_cluster', 'eks_cluster');
    expect(cluster).toMatchObject({
      name: 'emr-eks-karpenter',
      version: '1.34',
      enabled_cluster_log_types: ['api', 'audit', 'authenticator'],
      access_config: { authentication_mode: 'API_AND_CONFIG_MAP' },
      encryption_config: {
        resources: ['secrets'],
        provider: { key_arn: '${aws_kms_key.eks_secrets-key.arn}' },
      },
      vpc_config: { endpoint_public_access: true, endpoint_private_access: true },
    });
    expect(resource(base, 'aws_iam_openid_connect_provider', 'eks_oidc-provider')).toMatchObject({
      client_id_list: ['sts.amazonaws.com'],
    });
    expect(resource(base, 'aws_ec2_tag', 'eks_cluster-security-group-discovery-tag')).toMatchObject({
      key: 'karpenter.sh/discovery',
      value: 'emr-eks-karpenter',
    });
  });

  it('gives each addons applier one cluster-admin access entry, keyed by its ARN', () => {
    expect(Object.keys(resourcesOfType(base, 'aws_eks_access_entry'))).toEqual([
      'karpenter_node-access-entry',
    ]);
    const applier = 'arn:aws:iam::111122223333:role/ci/terraform-apply';
    const withApplier = synthStacks(
      environment({
        environments: [
          {
            ...seedEnvironmentInput(),
            cluster: { ...seedEnvironmentInput().cluster, addonsApplierArns: [applier] },
          },
        ],
      }),
    ).base!;
    const id = 'eks_addons-applier-111122223333-role-ci-terraform-apply';
    expect(resource(withApplier, 'aws_eks_access_entry', id)).toEqual({
      cluster_name: '${aws_eks_cluster.eks_cluster.name}',
      principal_arn: applier,
    });
    expect(resource(withApplier, 'aws_eks_access_policy_association', `${id}-policy`)).toEqual({
      cluster_name: '${aws_eks_cluster.eks_cluster.name}',
      principal_arn: `\${aws_eks_access_entry.${id}.principal_arn}`,
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  it('runs a core node group of 3 (1..9) on encrypted gp3 with IMDSv2 and SSM', () => {
    expect(resource(base, 'aws_eks_node_group', 'core-node-group_node-group')).toMatchObject({
      node_group_name: 'core-node-group',
      scaling_config: { min_size: 1, max_size: 9, desired_size: 3 },
      labels: { NodeGroupType: 'core' },
      subnet_ids: ['${aws_subnet.network_node-us-west-2a.id}', '${aws_subnet.network_node-us-west-2b.id}'],
    });
    expect(resource(base, 'aws_launch_template', 'core-node-group_launch-template')).toMatchObject({
      block_device_mappings: [{ ebs: { encrypted: 'true', volume_type: 'gp3', volume_size: 100 } }],
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 2 },
    });
    expect(
      resource(base, 'aws_iam_role_policy_attachment', 'core-node-group_role-AmazonSSMManagedInstanceCore'),
    ).toMatchObject({ policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
  });

  it('installs the managed add-ons, the EBS CSI driver with its own Pod Identity role', () => {
    expect(
      JSON.parse(resource(base, 'aws_eks_addon', 'addons_vpc-cni').configuration_values as string),
    ).toEqual({
      enableNetworkPolicy: 'true',
      env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
    });
    expect(Object.keys(resourcesOfType(base, 'aws_eks_addon')).sort()).toEqual([
      'addons_aws-ebs-csi-driver',
      'addons_coredns',
      'addons_eks-pod-identity-agent',
      'addons_kube-proxy',
      'addons_metrics-server',
      'addons_vpc-cni',
    ]);
    expect(resource(base, 'aws_eks_addon', 'addons_aws-ebs-csi-driver')).toMatchObject({
      pod_identity_association: [
        { service_account: 'ebs-csi-controller-sa', role_arn: '${aws_iam_role.addons_ebs-csi-role.arn}' },
      ],
    });
    const trust = policy(resource(base, 'aws_iam_role', 'addons_ebs-csi-role').assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '111122223333',
            'aws:RequestTag/eks-cluster-name': 'emr-eks-karpenter',
            'aws:RequestTag/kubernetes-namespace': 'kube-system',
            'aws:RequestTag/kubernetes-service-account': 'ebs-csi-controller-sa',
          },
        },
      }),
    ]);
  });

  it('wires one EventBridge rule per interruption event kind to an encrypted interruption queue', () => {
    expect(INTERRUPTION_EVENTS.map((e) => e.id)).toEqual([...KARPENTER_EVENT_IDS]);
    expect(resource(base, 'aws_sqs_queue', 'karpenter_interruption-queue')).toMatchObject({
      name: 'karpenter-emr-eks-karpenter',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 300,
    });
    for (const event of INTERRUPTION_EVENTS) {
      const rule = resource(base, 'aws_cloudwatch_event_rule', `karpenter_${event.id}-rule`);
      expect(JSON.parse(rule.event_pattern as string)).toEqual({
        source: [event.source],
        'detail-type': [event.detailType],
      });
      expect(resource(base, 'aws_cloudwatch_event_target', `karpenter_${event.id}-target`)).toMatchObject({
        arn: '${aws_sqs_queue.karpenter_interruption-queue.arn}',
        rule: `\${aws_cloudwatch_event_rule.karpenter_${event.id}-rule.name}`,
      });
    }
    const queuePolicy = policy(
      resource(base, 'aws_sqs_queue_policy', 'karpenter_interruption-queue-policy').policy,
    );
    expect(queuePolicy.Statement.map((s) => s.Sid)).toEqual(['EventBridgeSendsEvents', 'DenyHTTP']);
  });

  it('gives Karpenter nodes an EC2_LINUX access entry and scopes the controller to this cluster', () => {
    expect(resource(base, 'aws_eks_access_entry', 'karpenter_node-access-entry')).toMatchObject({
      type: 'EC2_LINUX',
      principal_arn: '${aws_iam_role.karpenter_node-role.arn}',
    });
    const controller = policy(resource(base, 'aws_iam_role_policy', 'karpenter_controller-policy').policy);
    const bySid = Object.fromEntries(controller.Statement.map((s) => [s.Sid as string, s]));
    expect(bySid.AllowPassingInstanceRole).toMatchObject({
      Resource: '${aws_iam_role.karpenter_node-role.arn}',
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    });
    expect(bySid.AllowScopedEC2InstanceAccessActions?.Resource).toContain(
      'arn:aws:ec2:us-west-2:*:placement-group/*',
    );
    expect(bySid.AllowRegionalReadActions?.Action).toEqual(
      expect.arrayContaining(['ec2:DescribeInstanceStatus', 'ec2:DescribePlacementGroups']),
    );
    expect(bySid.AllowZonalShiftStatusReadOnly).toEqual({
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Action: 'arc-zonal-shift:GetManagedResource',
      Resource: '*',
      Condition: {
        StringEquals: { 'arc-zonal-shift:ResourceIdentifier': '${aws_eks_cluster.eks_cluster.arn}' },
      },
    });
    expect(bySid.AllowScopedDeletion).toMatchObject({
      Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/emr-eks-karpenter': 'owned' } },
    });
    expect(bySid.AllowRegionalReadActions).toMatchObject({
      Condition: { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } },
    });
    expect(resource(base, 'aws_eks_pod_identity_association', 'karpenter_controller-identity')).toMatchObject(
      {
        namespace: 'karpenter',
        service_account: 'karpenter',
      },
    );
  });

  it('creates no bucket of its own unless FSx or Fluent Bit need the platform bucket (team buckets are in teams)', () => {
    expect(resourcesOfType(base, 'aws_s3_bucket')).toEqual({});
    const withFluentBit = synthStacks(
      environment({
        environments: [
          { ...seedEnvironmentInput(), addons: { ...seedEnvironmentInput().addons, fluentBit: true } },
        ],
      }),
    ).base!;
    expect(resource(withFluentBit, 'aws_s3_bucket', 'platform-bucket_bucket')).toEqual({
      bucket: 'emr-eks-karpenter-111122223333-us-west-2',
      force_destroy: false,
    });
    const lifecycle = resource(
      withFluentBit,
      'aws_s3_bucket_lifecycle_configuration',
      'platform-bucket_lifecycle',
    );
    expect(lifecycle.rule).toContainEqual(
      expect.objectContaining({ filter: [{ prefix: 'fluent-bit/' }], expiration: [{ days: 30 }] }),
    );
    expect(withFluentBit.output?.platform_bucket_name?.value).toBe(
      '${aws_s3_bucket.platform-bucket_bucket.bucket}',
    );
  });

  it('creates the AMP workspace and outputs what later steps need', () => {
    expect(resource(base, 'aws_prometheus_workspace', 'amp-workspace')).toEqual({
      alias: 'amp-ws-emr-eks-karpenter',
    });
    expect(Object.keys(base.output ?? {}).sort()).toEqual([
      'amp_remote_write_url',
      'amp_workspace_id',
      'cluster_endpoint',
      'cluster_name',
      'configure_kubectl',
      'karpenter_controller_role_arn',
      'karpenter_interruption_queue',
      'karpenter_node_role_name',
      'oidc_provider_arn',
      'vpc_id',
    ]);
  });

  it('adds FSx for Lustre (PERSISTENT_2, S3 association, Lustre ports) when enabled', () => {
    const fsxStack = synthStacks(
      environment({
        environments: [
          {
            ...seedEnvironmentInput(),
            storage: { fsx: { static: { enabled: true }, dynamic: { enabled: true } } },
            addons: { ...seedEnvironmentInput().addons, fsxCsiDriver: true },
          },
        ],
      }),
    ).base!;
    expect(resource(fsxStack, 'aws_fsx_lustre_file_system', 'fsx_file-system')).toMatchObject({
      deployment_type: 'PERSISTENT_2',
      storage_capacity: 1200,
      per_unit_storage_throughput: 500,
    });
    expect(resource(fsxStack, 'aws_fsx_data_repository_association', 'fsx_data-repository')).toMatchObject({
      file_system_path: '/data',
      data_repository_path: 's3://emr-eks-karpenter-111122223333-us-west-2/fsx/',
    });
    expect(resource(fsxStack, 'aws_s3_bucket', 'platform-bucket_bucket')).toMatchObject({
      bucket: 'emr-eks-karpenter-111122223333-us-west-2',
    });
    const sg = resource(fsxStack, 'aws_security_group', 'fsx_security-group');
    expect(
      (sg.ingress as { from_port: number; to_port: number }[]).map((r) => [r.from_port, r.to_port]),
    ).toEqual([
      [988, 988],
      [988, 988],
      [1018, 1023],
      [1018, 1023],
    ]);
    expect(Object.keys(fsxStack.output ?? {})).toEqual(
      expect.arrayContaining([
        'fsx_file_system_id',
        'fsx_dns_name',
        'fsx_mount_name',
        'fsx_security_group_id',
      ]),
    );
  });
});
