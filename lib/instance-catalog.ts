/**
 * EC2 instance facts for the families the node pools use (AWS instance type documentation:
 * vCPU, memory, instance store; max pods from the EKS ENI table). Add a family here when a node
 * pool starts using it; the validator refuses instance types it cannot size.
 */
export interface InstanceType {
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Total NVMe instance store, GB (0 when none). */
  readonly nvmeGB: number;
  readonly arch: 'amd64' | 'arm64';
  /** Pods per node with the VPC CNI's default ENI mode (EKS `eni-max-pods`). */
  readonly maxPods: number;
}

type Sizes = Record<string, readonly [vcpu: number, nvmeGB: number, maxPods: number]>;

/** A family's instance types from its sizes table, with a fixed memory per vCPU (2, 4 or 8 GiB). */
function sizedFamily(
  prefix: string,
  arch: InstanceType['arch'],
  memoryPerVcpu: number,
  sizes: Sizes,
): [string, InstanceType][] {
  return Object.entries(sizes).map(([size, [vcpu, nvmeGB, maxPods]]) => [
    `${prefix}.${size}`,
    { vcpu, memoryGiB: vcpu * memoryPerVcpu, nvmeGB, arch, maxPods },
  ]);
}

/** Sizes of the Graviton families with local NVMe (c/m/r 6gd, 7gd): vCPU, NVMe GB, max pods. */
const GRAVITON_D_SIZES: Sizes = {
  medium: [1, 59, 8],
  large: [2, 118, 29],
  xlarge: [4, 237, 58],
  '2xlarge': [8, 474, 58],
  '4xlarge': [16, 950, 234],
  '8xlarge': [32, 1900, 234],
  '12xlarge': [48, 2850, 234],
  '16xlarge': [64, 3800, 737],
};

/** Sizes of the Intel 5th-generation general purpose and memory families with local NVMe (m/r 5d). */
const INTEL_5D_SIZES: Sizes = {
  large: [2, 75, 29],
  xlarge: [4, 150, 58],
  '2xlarge': [8, 300, 58],
  '4xlarge': [16, 600, 234],
  '8xlarge': [32, 1200, 234],
  '12xlarge': [48, 1800, 234],
  '16xlarge': [64, 2400, 737],
  '24xlarge': [96, 3600, 737],
};

/** Sizes of the Intel 6th-generation families with local NVMe (c/m/r 6id). */
const INTEL_6ID_SIZES: Sizes = {
  large: [2, 118, 29],
  xlarge: [4, 237, 58],
  '2xlarge': [8, 474, 58],
  '4xlarge': [16, 950, 234],
  '8xlarge': [32, 1900, 234],
  '12xlarge': [48, 2850, 234],
  '16xlarge': [64, 3800, 737],
  '24xlarge': [96, 5700, 737],
  '32xlarge': [128, 7600, 737],
};

export const INSTANCE_CATALOG: ReadonlyMap<string, InstanceType> = new Map([
  ...sizedFamily('c5d', 'amd64', 2, {
    large: [2, 50, 29],
    xlarge: [4, 100, 58],
    '2xlarge': [8, 200, 58],
    '4xlarge': [16, 400, 234],
    '9xlarge': [36, 900, 234],
    '12xlarge': [48, 1800, 234],
    '18xlarge': [72, 1800, 737],
    '24xlarge': [96, 3600, 737],
  }),
  ...sizedFamily('r5d', 'amd64', 8, INTEL_5D_SIZES),
  ...sizedFamily('m5d', 'amd64', 4, INTEL_5D_SIZES),
  ...sizedFamily('c6gd', 'arm64', 2, GRAVITON_D_SIZES),
  ...sizedFamily('m6gd', 'arm64', 4, GRAVITON_D_SIZES),
  ...sizedFamily('r6gd', 'arm64', 8, GRAVITON_D_SIZES),
  ...sizedFamily('c7gd', 'arm64', 2, GRAVITON_D_SIZES),
  ...sizedFamily('m7gd', 'arm64', 4, GRAVITON_D_SIZES),
  ...sizedFamily('r7gd', 'arm64', 8, GRAVITON_D_SIZES),
  ...sizedFamily('c6id', 'amd64', 2, INTEL_6ID_SIZES),
  ...sizedFamily('m6id', 'amd64', 4, INTEL_6ID_SIZES),
  ...sizedFamily('r6id', 'amd64', 8, INTEL_6ID_SIZES),
]);

/**
 * What a node of this type can give pods, in the way Karpenter computes it for AL2023:
 * kube-reserved CPU (6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above),
 * kube-reserved memory (11 MiB per pod + 255 MiB), the hard eviction threshold (100 MiB), the
 * VM memory overhead (7.5%), and the DaemonSets every Spark node runs (VPC CNI, kube-proxy,
 * EBS CSI node, Pod Identity agent, node exporter: about 250m CPU and 400 MiB, an estimate).
 */
export function allocatable(type: InstanceType): { cpu: number; memoryMiB: number } {
  const cores = type.vcpu;
  const reservedCpu =
    0.06 * Math.min(cores, 1) +
    0.01 * Math.max(0, Math.min(cores, 2) - 1) +
    0.005 * Math.max(0, Math.min(cores, 4) - 2) +
    0.0025 * Math.max(0, cores - 4);
  const capacityMiB = type.memoryGiB * 1024 * (1 - 0.075);
  const reservedMiB = 11 * type.maxPods + 255 + 100;
  return {
    cpu: cores - reservedCpu - DAEMONSET_OVERHEAD.cpu,
    memoryMiB: capacityMiB - reservedMiB - DAEMONSET_OVERHEAD.memoryMiB,
  };
}

/** Requests of the per-node DaemonSets on a Spark node (an estimate, see {@link allocatable}). */
export const DAEMONSET_OVERHEAD = { cpu: 0.25, memoryMiB: 400 } as const;
