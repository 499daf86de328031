import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../config/schema';
import { FindingSink } from '../../validation/findings';
import { checkPodIdentityTrust } from '../../validation/kinds/iam-role/terraform-iam';
import { fixturePlatform } from '../helpers/manifests';
import { policy, resource, resourcesOfType, synthStacks, type TerraformJson } from '../helpers/terraform';

/** The fixture's dev environment: one NAT, two zones, no `endpoints` block. */
const [dev, prod] = fixturePlatform() as [Environment, Environment];
const stacks = synthStacks(dev);
const base = stacks.base!;
const addons = stacks.addons!;

function withEndpoints(endpoints: Environment['cluster']['vpc']['endpoints']): TerraformJson {
  return synthStacks({ ...dev, cluster: { ...dev.cluster, vpc: { ...dev.cluster.vpc, endpoints } } }).base!;
}

function trustCondition(stack: TerraformJson, address: string): Record<string, unknown> {
  const [statement] = policy(resource(stack, 'aws_iam_role', address).assume_role_policy).Statement;
  return (statement?.Condition as { StringEquals: Record<string, unknown> }).StringEquals;
}

describe('ACK cross-namespace references', () => {
  it('turns the emrcontainers chart’s enableCrossNamespace (default true) off', () => {
    const [values] = resource(addons, 'helm_release', 'ack-emrcontainers').values as string[];
    expect(load(values ?? '')).toMatchObject({ enableCrossNamespace: false, enableCARM: false });
  });
});

describe('core node group and Cluster Autoscaler', () => {
  it('creates the group at desiredSize, then leaves its size to Cluster Autoscaler', () => {
    const group = resource(base, 'aws_eks_node_group', 'core-node-group_node-group');
    expect(group.scaling_config).toMatchObject({ desired_size: 3, min_size: 1, max_size: 9 });
    expect(group.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });
});

describe('VPC endpoints', () => {
  it('routes S3 through a gateway endpoint on every private and node route table by default', () => {
    expect(dev.cluster.vpc.endpoints.s3Gateway).toBe(true);
    expect(Object.keys(resourcesOfType(base, 'aws_vpc_endpoint'))).toEqual(['network_endpoint-s3']);
    expect(resource(base, 'aws_vpc_endpoint', 'network_endpoint-s3')).toEqual({
      vpc_id: '${aws_vpc.network_vpc.id}',
      service_name: 'com.amazonaws.eu-west-1.s3',
      vpc_endpoint_type: 'Gateway',
      route_table_ids: ['private', 'node'].flatMap((kind) =>
        dev.cluster.vpc.azs.map((az) => `\${aws_route_table.network_${kind}-${az}-routes.id}`),
      ),
      tags: { Name: 'spark-dev-s3' },
    });
  });

  it('leaves the S3 gateway out only when asked', () => {
    const none = withEndpoints({ ...dev.cluster.vpc.endpoints, s3Gateway: false });
    expect(resourcesOfType(none, 'aws_vpc_endpoint')).toEqual({});
  });

  it('lists the same interface endpoints whether the endpoints block is omitted or only enables them', () => {
    const enabledOnly = prod.cluster.vpc.endpoints; // the fixture writes `endpoints: { enabled: true }`
    expect(enabledOnly.enabled).toBe(true);
    expect(dev.cluster.vpc.endpoints.interface).toEqual(enabledOnly.interface);
    expect(enabledOnly.interface).toContain('sts');
    const interfaces = Object.entries(resourcesOfType(synthStacks(prod).base!, 'aws_vpc_endpoint'))
      .filter(([, endpoint]) => endpoint.vpc_endpoint_type === 'Interface')
      .map(([, endpoint]) => String(endpoint.service_name).replace('com.amazonaws.eu-west-1.', ''));
    expect(interfaces).toEqual(enabledOnly.interface);
  });
});

describe('Pod Identity trust policies', () => {
  it.each([
    ['Karpenter', 'karpenter_controller-role', 'karpenter', 'karpenter'],
    ['the EBS CSI driver', 'addons_ebs-csi-role', 'kube-system', 'ebs-csi-controller-sa'],
  ])('scopes %s’s role to its cluster, namespace and service account', (_who, address, ns, sa) => {
    expect(trustCondition(base, address)).toEqual({
      'aws:SourceAccount': '111122223333',
      'aws:RequestTag/eks-cluster-name': 'spark-dev',
      'aws:RequestTag/kubernetes-namespace': ns,
      'aws:RequestTag/kubernetes-service-account': sa,
    });
  });

  it('leaves no role of any stack assumable by every association of the account', () => {
    const everything: Environment = {
      ...dev,
      addons: Object.fromEntries(Object.keys(dev.addons).map((key) => [key, true])) as Environment['addons'],
    };
    const synthesized = synthStacks(everything);
    const all = Object.values(synthesized);
    const sink = new FindingSink();
    checkPodIdentityTrust(sink, all, Object.keys(synthesized));
    expect(sink.findings).toEqual([]);
    const assumedByPods = all.flatMap((stack) =>
      Object.values(resourcesOfType(stack, 'aws_iam_role')).filter((role) =>
        String(role.assume_role_policy).includes('pods.eks.amazonaws.com'),
      ),
    );
    expect(assumedByPods.length).toBeGreaterThanOrEqual(5);
  });

  it('reports a trust policy that checks only aws:SourceAccount', () => {
    const stack = structuredClone(base) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const role = stack.resource.aws_iam_role!['karpenter_controller-role']!;
    const document = policy(role.assume_role_policy);
    document.Statement[0]!.Condition = { StringEquals: { 'aws:SourceAccount': '111122223333' } };
    role.assume_role_policy = JSON.stringify(document);
    const sink = new FindingSink();
    checkPodIdentityTrust(sink, [stack], ['dev/terraform/base/cdk.tf.json']);
    expect(sink.findings).toEqual([
      {
        file: 'dev/terraform/base/cdk.tf.json',
        path: "$.resource.aws_iam_role['karpenter_controller-role'].assume_role_policy",
        rule: 'iam.pod-identity-trust-unscoped',
        message:
          'role spark-dev-karpenter-controller may be assumed through any EKS Pod Identity association of the account because its trust policy does not check aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account; add StringEquals conditions naming the one namespace and service account it is for',
      },
    ]);
  });
});
