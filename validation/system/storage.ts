import type { FindingSink } from '../findings';
import { asObject as obj, asString as str, type Json } from '../../lib/json';
import type { RuntimeObject } from '../runtime/objects';
import { address, named, type SystemModel } from './context';

/**
 * StorageClass parameters against what their provisioner accepts (class 7 of the system models),
 * and FSx for Lustre file systems of the environment's Terraform. A StorageClass is accepted by
 * the API server whatever its parameters say; the CSI driver refuses them only when a claim is
 * provisioned, and the pod waiting for it stays Pending.
 *
 * - `ebs.csi.aws.com` (aws-ebs-csi-driver `parameters.md`): known keys only; `type` one of the EBS
 *   volume types; `iops` only for gp3, io1, io2 and inside the type's range; `throughput` only
 *   for gp3 and inside its range; `iopsPerGB` only for io1 and io2; `fsType`/`csi.storage.k8s.io/
 *   fstype` a filesystem the driver formats; `encrypted` and `blockExpress` booleans.
 * - `fsx.csi.aws.com` (aws-fsx-csi-driver dynamic provisioning): `deploymentType` one of the
 *   Lustre deployment types; `perUnitStorageThroughput` only for PERSISTENT types and one of the
 *   values each allows; `storageType` SSD or HDD (HDD only on PERSISTENT_1); `subnetId` and
 *   `securityGroupIds` present. The same deployment-type rules apply to `aws_fsx_lustre_file_system`.
 */

interface VolumeType {
  readonly iops?: readonly [number, number];
  readonly throughput?: readonly [number, number];
  readonly iopsPerGB?: boolean;
}

/** EBS volume types (Amazon EBS User Guide, "Amazon EBS volume types"): IOPS and MiB/s ranges. */
export const EBS_VOLUME_TYPES: Readonly<Record<string, VolumeType>> = {
  gp2: {},
  gp3: { iops: [3000, 80000], throughput: [125, 2000] },
  io1: { iops: [100, 64000], iopsPerGB: true },
  io2: { iops: [100, 256000], iopsPerGB: true },
  st1: {},
  sc1: {},
  standard: {},
};

const EBS_KEYS = new Set([
  'type',
  'iops',
  'iopsPerGB',
  'allowAutoIOPSPerGBIncrease',
  'throughput',
  'encrypted',
  'kmsKeyId',
  'blockExpress',
  'blockSize',
  'inodeSize',
  'bytesPerInode',
  'numberOfInodes',
  'ext4BigAlloc',
  'ext4ClusterSize',
  'fsType',
  'csi.storage.k8s.io/fstype',
  'volumeInitializationRate',
]);

const EBS_FILESYSTEMS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'ntfs']);

/** FSx for Lustre deployment types and the `perUnitStorageThroughput` each accepts (MB/s/TiB). */
export const LUSTRE_DEPLOYMENT_TYPES: Readonly<Record<string, readonly number[]>> = {
  SCRATCH_1: [],
  SCRATCH_2: [],
  PERSISTENT_1: [50, 100, 200, 12, 40],
  PERSISTENT_2: [125, 250, 500, 1000],
};

const FSX_HDD_THROUGHPUT = [12, 40];

type Report = (key: string, problem: string, fix: string) => void;

function checkEbs(parameters: Record<string, string>, report: Report): void {
  for (const key of Object.keys(parameters)) {
    if (!EBS_KEYS.has(key) && !/^tagSpecification_\d+$/.test(key) && !key.startsWith('csi.storage.k8s.io/'))
      report(
        key,
        `${key} is not a parameter of ebs.csi.aws.com`,
        `remove it (keys: ${[...EBS_KEYS].join(', ')})`,
      );
  }
  const typeName = parameters.type ?? 'gp3';
  const type = EBS_VOLUME_TYPES[typeName];
  if (type === undefined) {
    report(
      'type',
      `type ${typeName} is not an EBS volume type`,
      `use one of ${Object.keys(EBS_VOLUME_TYPES).join(', ')}`,
    );
    return;
  }
  const numeric = (key: string, range: readonly [number, number] | undefined, unit: string): void => {
    const raw = parameters[key];
    if (raw === undefined) return;
    if (range === undefined) {
      report(
        key,
        `${key} is set, but EBS volume type ${typeName} takes no ${key}`,
        `remove ${key} or use a type that takes it`,
      );
      return;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < range[0] || value > range[1])
      report(
        key,
        `${key} ${raw} is outside ${typeName}'s range ${range[0]}–${range[1]} ${unit}`,
        `set ${key} within ${range[0]}–${range[1]}`,
      );
  };
  numeric('iops', type.iops, 'IOPS');
  numeric('throughput', type.throughput, 'MiB/s');
  if (parameters.iopsPerGB !== undefined && type.iopsPerGB !== true)
    report(
      'iopsPerGB',
      `iopsPerGB is set, but only io1 and io2 take it (type is ${typeName})`,
      'remove iopsPerGB or use iops',
    );
  for (const key of ['fsType', 'csi.storage.k8s.io/fstype']) {
    const fs = parameters[key];
    if (fs !== undefined && !EBS_FILESYSTEMS.has(fs.toLowerCase()))
      report(
        key,
        `${key} ${fs} is not a filesystem the EBS CSI driver formats`,
        `use one of ${[...EBS_FILESYSTEMS].join(', ')}`,
      );
  }
  for (const key of ['encrypted', 'blockExpress', 'allowAutoIOPSPerGBIncrease', 'ext4BigAlloc']) {
    const flag = parameters[key];
    if (flag !== undefined && flag !== 'true' && flag !== 'false')
      report(key, `${key} ${flag} is not a boolean`, `write "true" or "false"`);
  }
}

/** Problems with one Lustre deployment type / throughput / storage type combination. */
function lustreProblems(
  deploymentType: string | undefined,
  throughput: number | undefined,
  storageType: string | undefined,
  report: Report,
  keys: { deployment: string; throughput: string; storage: string },
): void {
  const type = deploymentType ?? 'SCRATCH_1';
  const allowed = LUSTRE_DEPLOYMENT_TYPES[type];
  if (allowed === undefined) {
    report(
      keys.deployment,
      `deploymentType ${type} is not an FSx for Lustre deployment type`,
      `use one of ${Object.keys(LUSTRE_DEPLOYMENT_TYPES).join(', ')}`,
    );
    return;
  }
  if (storageType !== undefined && storageType !== 'SSD' && storageType !== 'HDD')
    report(keys.storage, `storageType ${storageType} is neither SSD nor HDD`, 'use SSD or HDD');
  if (storageType === 'HDD' && type !== 'PERSISTENT_1')
    report(
      keys.storage,
      `storageType HDD exists only for PERSISTENT_1, not ${type}`,
      'use SSD or PERSISTENT_1',
    );
  if (throughput === undefined) {
    if (type.startsWith('PERSISTENT'))
      report(keys.throughput, `${type} needs ${keys.throughput}`, `set it to one of ${allowed.join(', ')}`);
    return;
  }
  if (allowed.length === 0) {
    report(
      keys.throughput,
      `${keys.throughput} is set, but ${type} takes none`,
      `remove it or use a PERSISTENT deployment type`,
    );
    return;
  }
  const valid =
    type === 'PERSISTENT_1' ? (storageType === 'HDD' ? FSX_HDD_THROUGHPUT : [50, 100, 200]) : allowed;
  if (!valid.includes(throughput))
    report(
      keys.throughput,
      `${keys.throughput} ${throughput} is not one ${type}${storageType === 'HDD' ? ' HDD' : ''} accepts`,
      `use one of ${valid.join(', ')}`,
    );
}

function checkFsx(parameters: Record<string, string>, report: Report): void {
  const throughput = parameters.perUnitStorageThroughput;
  lustreProblems(
    parameters.deploymentType,
    throughput === undefined ? undefined : Number(throughput),
    parameters.storageType,
    report,
    { deployment: 'deploymentType', throughput: 'perUnitStorageThroughput', storage: 'storageType' },
  );
  for (const key of ['subnetId', 'securityGroupIds'])
    if (parameters[key] === undefined)
      report(key, `${key} is missing`, `set ${key} to the FSx subnet and security group Terraform creates`);
}

function stringParameters(o: RuntimeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(o.object.parameters)).map(([k, v]) => [k, String(v)]));
}

export const storage: SystemModel = {
  name: 'storage',
  check(sink: FindingSink, context) {
    for (const sc of context.objects.ofKind('StorageClass')) {
      const provisioner = str(sc.object.provisioner);
      const report: Report = (key, problem, fix) =>
        sink.report(
          sc.file,
          `$.parameters['${key}']`,
          'system.storage-parameter',
          `${named(sc)} asks provisioner ${String(provisioner)} for something it refuses when a claim is provisioned: ${problem}; ${fix}`,
        );
      if (provisioner === 'ebs.csi.aws.com') checkEbs(stringParameters(sc), report);
      else if (provisioner === 'fsx.csi.aws.com') checkFsx(stringParameters(sc), report);
    }
    for (const fs of context.terraform('aws_fsx_lustre_file_system')) {
      const body: Json = fs.body;
      const report: Report = (key, problem, fix) =>
        sink.report(
          fs.file,
          `${fs.path}.${key}`,
          'system.storage-parameter',
          `${address(fs)}: FSx refuses the file system: ${problem}; ${fix}`,
        );
      const throughput = body.per_unit_storage_throughput ?? body.perUnitStorageThroughput;
      lustreProblems(
        str(body.deployment_type),
        typeof throughput === 'number' ? throughput : undefined,
        str(body.storage_type),
        report,
        { deployment: 'deployment_type', throughput: 'per_unit_storage_throughput', storage: 'storage_type' },
      );
    }
  },
};
