/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus edits rendered trees in place. */
import { defaultSet } from '../helpers';
import { editObject, editTerraform, runCorpus, type MustCatch, type NearMiss } from './corpus';

const EBS = 'StorageClass.spark-ebs.yaml';
const FSX_FILE = 'default/k8s/storage/_cluster/StorageClass.fsx.yaml';

const ebs = (parameters: Record<string, string>) =>
  editObject(EBS, (o) => {
    o.parameters = { encrypted: 'true', fsType: 'xfs', ...parameters };
  });

function fsx(parameters: Record<string, string>): () => ReturnType<typeof defaultSet> {
  return () =>
    defaultSet([
      {
        file: FSX_FILE,
        object: {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'fsx', annotations: { 'argocd.argoproj.io/sync-wave': '4' } },
          provisioner: 'fsx.csi.aws.com',
          parameters: {
            subnetId: 'subnet-0123456789abcdef0',
            securityGroupIds: 'sg-0123456789abcdef0',
            ...parameters,
          },
          reclaimPolicy: 'Delete',
          volumeBindingMode: 'Immediate',
        },
      },
    ]);
}

const lustre = (body: Record<string, unknown>) =>
  editTerraform('base', (s) => {
    s.resource.aws_fsx_lustre_file_system = {
      'fsx_file-system': {
        storage_capacity: 1200,
        subnet_ids: ['${aws_subnet.network_node-us-west-2a.id}'],
        ...body,
      },
    };
  });

const mustCatch: MustCatch[] = [
  {
    name: 'an EBS volume type that does not exist',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['ebs.csi.aws.com', 'type gp4', 'gp3'],
    set: ebs({ type: 'gp4' }),
  },
  {
    name: 'gp3 iops below the minimum',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['iops 20', '3000–80000'],
    set: ebs({ type: 'gp3', iops: '20' }),
  },
  {
    name: 'gp3 throughput above the maximum',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['throughput 4000', '125–2000'],
    set: ebs({ type: 'gp3', throughput: '4000' }),
  },
  {
    name: 'throughput on io2',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['io2 takes no throughput'],
    set: ebs({ type: 'io2', iops: '10000', throughput: '500' }),
  },
  {
    name: 'iopsPerGB on gp3',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['only io1 and io2'],
    set: ebs({ type: 'gp3', iopsPerGB: '50' }),
  },
  {
    name: 'a misspelt parameter key',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['iopsPerGb is not a parameter'],
    set: ebs({ type: 'io1', iopsPerGb: '50' }),
  },
  {
    name: 'a filesystem the driver does not format',
    rule: 'system.storage-parameter',
    file: EBS,
    mentions: ['btrfs'],
    set: ebs({ type: 'gp3', fsType: 'btrfs' }),
  },
  {
    name: 'an FSx deployment type that does not exist',
    rule: 'system.storage-parameter',
    file: FSX_FILE,
    mentions: ['fsx.csi.aws.com', 'SCRATCH_3', 'PERSISTENT_2'],
    set: fsx({ deploymentType: 'SCRATCH_3' }),
  },
  {
    name: 'PERSISTENT_2 with a PERSISTENT_1 throughput',
    rule: 'system.storage-parameter',
    file: FSX_FILE,
    mentions: ['perUnitStorageThroughput 200', '125, 250, 500, 1000'],
    set: fsx({ deploymentType: 'PERSISTENT_2', perUnitStorageThroughput: '200' }),
  },
  {
    name: 'throughput on a SCRATCH file system',
    rule: 'system.storage-parameter',
    file: FSX_FILE,
    mentions: ['SCRATCH_2 takes none'],
    set: fsx({ deploymentType: 'SCRATCH_2', perUnitStorageThroughput: '125' }),
  },
  {
    name: 'Terraform Lustre file system with an HDD PERSISTENT_2',
    rule: 'system.storage-parameter',
    file: 'terraform/base/cdk.tf.json',
    mentions: ['aws_fsx_lustre_file_system.fsx_file-system', 'HDD'],
    set: lustre({ deployment_type: 'PERSISTENT_2', storage_type: 'HDD', per_unit_storage_throughput: 125 }),
  },
];

const nearMisses: NearMiss[] = [
  { name: 'gp3 at its maxima', set: ebs({ type: 'gp3', iops: '16000', throughput: '1000' }) },
  { name: 'io2 with iops', set: ebs({ type: 'io2', iops: '64000' }) },
  {
    name: 'io1 with iopsPerGB',
    set: ebs({ type: 'io1', iopsPerGB: '50', 'csi.storage.k8s.io/fstype': 'ext4' }),
  },
  {
    name: 'FSx SCRATCH_2 with compression',
    set: fsx({ deploymentType: 'SCRATCH_2', dataCompressionType: 'LZ4' }),
  },
  {
    name: 'FSx PERSISTENT_1 on HDD',
    set: fsx({ deploymentType: 'PERSISTENT_1', storageType: 'HDD', perUnitStorageThroughput: '40' }),
  },
  {
    name: 'Terraform PERSISTENT_2 file system at 250 MB/s/TiB',
    set: lustre({ deployment_type: 'PERSISTENT_2', storage_type: 'SSD', per_unit_storage_throughput: 250 }),
  },
];

runCorpus('system model: storage parameters', mustCatch, nearMisses);
