import { describe, expect, it } from 'vitest';
import { freezeBudget, windowCron } from '../../manifests/constructs/maintenance-window';
import { apps, fixturePlatform, get, objectsOf } from '../helpers/manifests';
import { environment } from '../helpers/terraform';

const karpenter = objectsOf(apps(environment()).get('karpenter'));

describe('karpenter chart', () => {
  it('matches the snapshot', () => {
    expect([...karpenter.values()]).toMatchSnapshot();
  });

  it.each([
    [
      'spark-compute-optimized',
      'SparkComputeOptimized',
      ['c5d.large', 'c5d.xlarge', 'c5d.2xlarge', 'c5d.4xlarge', 'c5d.9xlarge'],
      'amd64',
      'us-west-2a',
      '100Gi',
    ],
    [
      'spark-memory-optimized',
      'SparkMemoryOptimized',
      ['r5d.4xlarge', 'r5d.8xlarge', 'r5d.12xlarge'],
      'amd64',
      'us-west-2b',
      '200Gi',
    ],
    [
      'spark-graviton-memory-optimized',
      'SparkGravitonMemoryOptimized',
      ['r6gd.4xlarge', 'r6gd.8xlarge'],
      'arm64',
      'us-west-2b',
      '200Gi',
    ],
  ])(
    'translates the seed provisioner %s to a v1 NodePool',
    (name, groupType, types, arch, zone, rootSize) => {
      const pool = get(karpenter, `NodePool/${name}`);
      expect(pool.spec).toMatchObject({
        limits: { cpu: '1000' },
        disruption: {
          consolidationPolicy: 'WhenEmpty',
          consolidateAfter: '120s',
          budgets: [{ nodes: '10%' }],
        },
        template: {
          metadata: { labels: { type: 'karpenter', provisioner: name, NodeGroupType: groupType } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name },
            taints: [{ key: name, value: 'true', effect: 'NoSchedule' }],
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: [arch] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: types },
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] },
            ],
          },
        },
      });
      const nodeClass = get(karpenter, `EC2NodeClass/${name}`);
      expect(nodeClass.spec).toMatchObject({
        amiSelectorTerms: [{ alias: expect.stringMatching(/^al2023@v\d{8}$/) as unknown }],
        role: 'karpenter-emr-eks-karpenter',
        instanceStorePolicy: 'RAID0',
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { volumeSize: rootSize, volumeType: 'gp3', encrypted: true } },
        ],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'emr-eks-karpenter' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'emr-eks-karpenter' } }],
      });
    },
  );

  it('renders a pool added in config, with memory limits and a freeze window, without code changes', () => {
    const prod = fixturePlatform()[1]!;
    const pool = get(objectsOf(apps(prod).get('karpenter')), 'NodePool/spark-graviton');
    expect(pool.spec).toMatchObject({
      limits: { cpu: '1000', memory: '8000Gi' },
      disruption: {
        budgets: [{ nodes: '1' }, { nodes: '0', schedule: '0 7 * * 1,2,3,4,5', duration: '12h' }],
      },
    });
  });
});

describe('maintenance windows', () => {
  it('turns a weekly window into a UTC cron and a zero-node budget', () => {
    expect(windowCron({ days: ['sat', 'sun'], startUtc: '22:30', hours: 6 })).toBe('30 22 * * 0,6');
    expect(freezeBudget({ days: ['mon'], startUtc: '09:00', hours: 8 })).toEqual({
      nodes: '0',
      schedule: '0 9 * * 1',
      duration: '8h',
    });
  });
});
