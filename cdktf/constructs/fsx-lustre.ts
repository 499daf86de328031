import { Construct } from 'constructs';
import { FsxDataRepositoryAssociation } from '@cdktf/provider-aws/lib/fsx-data-repository-association';
import { FsxLustreFileSystem } from '@cdktf/provider-aws/lib/fsx-lustre-file-system';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { fsxFilesystemName, type Environment } from '../../config';

/** Lustre ports: 988 (LNET) and 1018-1023 (Lustre services). */
export const LUSTRE_PORTS = [
  { fromPort: 988, toPort: 988 },
  { fromPort: 1018, toPort: 1023 },
] as const;

/** Where the static filesystem's `/data` lives in the platform bucket. */
export const FSX_KEY_PREFIX = 'fsx/';

/** Props for {@link FsxLustre}. */
export interface FsxLustreProps {
  readonly env: Environment;
  readonly vpc: Vpc;
  /** Node subnets: clients connect from here; the filesystem lives in the first. */
  readonly nodeSubnets: readonly Subnet[];
  /** `s3://bucket/prefix/` linked to `/data` on the filesystem. */
  readonly dataRepositoryPath: string;
}

/**
 * FSx for Lustre for Spark shuffle and scratch data: a security group (used by the static
 * filesystem and by the dynamic StorageClass), and when `storage.fsx.static` is on a PERSISTENT_2
 * filesystem (encrypted at rest; in transit on Nitro clients) linked to S3 under `/data`.
 */
export class FsxLustre extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly fileSystem?: FsxLustreFileSystem;

  constructor(scope: Construct, id: string, props: FsxLustreProps) {
    super(scope, id);
    const { env } = props;
    const { vpc: net, name } = env.cluster;
    const clients = net.nodeSubnets;
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${name}-fsx`,
      description: 'Lustre traffic from the node subnets to FSx, and between FSx servers',
      vpcId: props.vpc.id,
      ingress: LUSTRE_PORTS.flatMap((ports) => [
        { description: 'Lustre from node subnets', protocol: 'tcp', cidrBlocks: clients, ...ports },
        { description: 'Lustre between file servers', protocol: 'tcp', selfAttribute: true, ...ports },
      ]),
      egress: LUSTRE_PORTS.map((ports) => ({
        description: 'Lustre to node subnets and peers',
        protocol: 'tcp',
        cidrBlocks: clients,
        selfAttribute: true,
        ...ports,
      })),
      tags: { Name: `${name}-fsx` },
    });

    const staticFs = env.storage.fsx.static;
    if (!staticFs.enabled) return;
    this.fileSystem = new FsxLustreFileSystem(this, 'file-system', {
      deploymentType: 'PERSISTENT_2',
      storageType: 'SSD',
      storageCapacity: staticFs.storageCapacityGiB,
      perUnitStorageThroughput: staticFs.perUnitStorageThroughput,
      dataCompressionType: 'LZ4',
      subnetIds: [props.nodeSubnets[0]?.id ?? ''],
      securityGroupIds: [this.securityGroup.id],
      logConfiguration: { level: 'WARN_ERROR' },
      tags: { Name: fsxFilesystemName(env) },
    });
    new FsxDataRepositoryAssociation(this, 'data-repository', {
      fileSystemId: this.fileSystem.id,
      fileSystemPath: '/data',
      dataRepositoryPath: props.dataRepositoryPath,
      s3: {
        autoExportPolicy: { events: ['NEW', 'CHANGED', 'DELETED'] },
        autoImportPolicy: { events: ['NEW', 'CHANGED', 'DELETED'] },
      },
    });
  }
}
