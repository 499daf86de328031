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

function family(
  prefix: string,
  arch: InstanceType['arch'],
  sizes: Record<string, readonly [vcpu: number, memoryGiB: number, nvmeGB: number, maxPods: number]>,
): [string, InstanceType][] {
  return Object.entries(sizes).map(([size, [vcpu, memoryGiB, nvmeGB, maxPods]]) => [
    `${prefix}.${size}`,
    { vcpu, memoryGiB, nvmeGB, arch, maxPods },
  ]);
}

type Sizes = Record<string, readonly [vcpu: number, nvmeGB: number, maxPods: number]>;

/** A family whose sizes follow a shared table, with a fixed memory per vCPU (2, 4 or 8 GiB). */
function sizedFamily(
  prefix: string,
  arch: InstanceType['arch'],
  memoryPerVcpu: number,
  sizes: Sizes,
): [string, InstanceType][] {
  return family(
    prefix,
    arch,
    Object.fromEntries(
      Object.entries(sizes).map(([size, [vcpu, nvmeGB, maxPods]]) => [
        size,
        [vcpu, vcpu * memoryPerVcpu, nvmeGB, maxPods] as const,
      ]),
    ),
  );
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
  ...family('c5d', 'amd64', {
    large: [2, 4, 50, 29],
    xlarge: [4, 8, 100, 58],
    '2xlarge': [8, 16, 200, 58],
    '4xlarge': [16, 32, 400, 234],
    '9xlarge': [36, 72, 900, 234],
    '12xlarge': [48, 96, 1800, 234],
    '18xlarge': [72, 144, 1800, 737],
    '24xlarge': [96, 192, 3600, 737],
  }),
  ...family('r5d', 'amd64', {
    large: [2, 16, 75, 29],
    xlarge: [4, 32, 150, 58],
    '2xlarge': [8, 64, 300, 58],
    '4xlarge': [16, 128, 600, 234],
    '8xlarge': [32, 256, 1200, 234],
    '12xlarge': [48, 384, 1800, 234],
    '16xlarge': [64, 512, 2400, 737],
    '24xlarge': [96, 768, 3600, 737],
  }),
  ...family('m5d', 'amd64', {
    large: [2, 8, 75, 29],
    xlarge: [4, 16, 150, 58],
    '2xlarge': [8, 32, 300, 58],
    '4xlarge': [16, 64, 600, 234],
    '8xlarge': [32, 128, 1200, 234],
    '12xlarge': [48, 192, 1800, 234],
    '16xlarge': [64, 256, 2400, 737],
    '24xlarge': [96, 384, 3600, 737],
  }),
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
