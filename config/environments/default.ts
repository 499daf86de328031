import { nycTaxiInput, teamAJobDefaults } from '../jobs-default';
import type { EnvironmentInput } from '../schema';

/**
 * The seed's platform: cluster `emr-eks-karpenter` in us-west-2, two data teams and the three
 * Spark node pools of the "EMR on EKS with Karpenter" pattern, with the 2025-2026 upstream choices
 * where the seed is outdated (EKS 1.34, AL2023, access entries, Karpenter v1).
 */
export const defaultEnvironment: EnvironmentInput = {
  name: 'default',
  cluster: {
    name: 'emr-eks-karpenter',
    region: 'us-west-2',
    // AWS's documentation account id: replace with yours before `terraform apply`.
    accountId: '111122223333',
    vpc: {
      cidr: '10.1.0.0/16',
      // RFC 6598 space for nodes and pods, so Spark's many pod IPs never exhaust the routable range.
      secondaryCidrs: ['100.64.0.0/16'],
      azs: ['us-west-2a', 'us-west-2b'],
      publicSubnets: ['10.1.0.0/26', '10.1.0.64/26'],
      privateSubnets: ['10.1.1.0/24', '10.1.2.0/24'],
      nodeSubnets: ['100.64.0.0/17', '100.64.128.0/17'],
      natGateways: 'single',
      endpoints: { enabled: false },
    },
    // The seed's demo setting; set publicAccess: false (or narrow the CIDRs) outside a sandbox.
    endpoint: { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    coreNodeGroup: {
      instanceTypes: ['m6a.xlarge'],
      minSize: 1,
      maxSize: 9,
      desiredSize: 3,
      diskSizeGiB: 100,
    },
    tags: { Blueprint: 'emr-eks-karpenter' },
    backend: { type: 'local' },
  },
  teams: [
    {
      name: 'emr-data-team-a',
      budget: { cpu: 1200, memoryGiB: 6000 },
      nodePools: ['spark-compute-optimized', 'spark-memory-optimized', 'spark-graviton-memory-optimized'],
      // The seed's examples are job files in jobs/emr-data-team-a/; the FSx ones (teamAFsxJobs)
      // need storage.fsx enabled.
      jobDefaults: teamAJobDefaults,
      // What the taxi jobs read ({{input:nyc-taxi}}), seeded before they run.
      inputData: [nycTaxiInput],
      // Failed or cancelled job runs alert this address (SNS asks it to confirm once); replace it.
      notify: [{ email: 'emr-data-team-a@example.com' }],
    },
    {
      name: 'emr-data-team-b',
      budget: { cpu: 1200, memoryGiB: 6000 },
      nodePools: ['spark-compute-optimized', 'spark-memory-optimized', 'spark-graviton-memory-optimized'],
    },
  ],
  nodePools: [
    {
      name: 'spark-compute-optimized',
      nodeGroupType: 'SparkComputeOptimized',
      description: 'Compute-optimized x86 nodes with one NVMe instance-store disk for shuffle.',
      instanceTypes: ['c5d.large', 'c5d.xlarge', 'c5d.2xlarge', 'c5d.4xlarge', 'c5d.9xlarge'],
      arch: 'amd64',
      zones: ['us-west-2a'],
      limits: { cpu: 1000 },
      rootVolumeGiB: 100,
    },
    {
      name: 'spark-memory-optimized',
      nodeGroupType: 'SparkMemoryOptimized',
      description: 'Memory-optimized x86 nodes with NVMe instance store.',
      instanceTypes: ['r5d.4xlarge', 'r5d.8xlarge', 'r5d.12xlarge'],
      arch: 'amd64',
      zones: ['us-west-2b'],
      limits: { cpu: 1000 },
      rootVolumeGiB: 200,
    },
    {
      name: 'spark-graviton-memory-optimized',
      nodeGroupType: 'SparkGravitonMemoryOptimized',
      description: 'Memory-optimized Graviton (arm64) nodes with NVMe instance store.',
      instanceTypes: ['r6gd.4xlarge', 'r6gd.8xlarge'],
      arch: 'arm64',
      zones: ['us-west-2b'],
      limits: { cpu: 1000 },
      rootVolumeGiB: 200,
    },
  ],
  addons: { yunikorn: true },
  gitops: { repoUrl: 'https://github.com/example-org/emr-eks-gitops.git', revision: 'main' },
};
