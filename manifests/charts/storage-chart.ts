import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubePersistentVolume, KubeStorageClass, Quantity } from '../imports/k8s';
import { teamNamespace, type Environment } from '../../config';
import { requireOutputs, type TerraformOutputs } from '../../config/outputs';
import {
  FSX_STATIC_PVC,
  FSX_STORAGE_CLASS,
  GP3_STORAGE_CLASS,
  SPARK_EBS_STORAGE_CLASS,
  fsxStaticVolumeName,
} from '../names';

/** Props for {@link StorageChart}. */
export interface StorageChartProps {
  readonly env: Environment;
  readonly outputs: TerraformOutputs;
}

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/**
 * App `storage`: the default gp3 class (encrypted, xfs, WaitForFirstConsumer, expandable), gp2
 * no longer default, the class for Spark's EBS scratch volumes, and FSx for Lustre: the dynamic
 * class and, per team, a static PV bound to the team's claim on the Terraform-made filesystem.
 */
export class StorageChart extends Chart {
  constructor(scope: Construct, id: string, props: StorageChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { env, outputs } = props;

    const ebsClass = (name: string, fsType: string, isDefault: boolean) =>
      new KubeStorageClass(this, name, {
        metadata: { name, annotations: { [DEFAULT_CLASS]: String(isDefault) } },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', fsType, encrypted: 'true' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      });
    ebsClass(GP3_STORAGE_CLASS, 'xfs', true);
    if (env.storage.ebs.enabled) ebsClass(SPARK_EBS_STORAGE_CLASS, 'xfs', false);

    // EKS creates gp2 itself; this copy only clears its default flag. Its fields equal EKS's, and
    // Prune=false keeps Argo CD from ever deleting the class EKS owns.
    new KubeStorageClass(this, 'gp2', {
      metadata: {
        name: 'gp2',
        annotations: { [DEFAULT_CLASS]: 'false', 'argocd.argoproj.io/sync-options': 'Prune=false' },
      },
      provisioner: 'kubernetes.io/aws-ebs',
      parameters: { type: 'gp2', fsType: 'ext4' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    });

    const fsx = env.storage.fsx;
    if (fsx.dynamic.enabled) {
      const { fsxSubnetId, fsxSecurityGroupId } = requireOutputs(outputs, env.name, 'storage.fsx.dynamic', [
        'fsxSubnetId',
        'fsxSecurityGroupId',
      ]);
      new KubeStorageClass(this, FSX_STORAGE_CLASS, {
        metadata: { name: FSX_STORAGE_CLASS },
        provisioner: 'fsx.csi.aws.com',
        parameters: {
          subnetId: fsxSubnetId,
          securityGroupIds: fsxSecurityGroupId,
          deploymentType: 'SCRATCH_2',
          dataCompressionType: 'LZ4',
        },
        mountOptions: ['flock'],
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
      });
    }
    if (fsx.static.enabled) {
      const { fsxFileSystemId, fsxDnsName, fsxMountName } = requireOutputs(
        outputs,
        env.name,
        'storage.fsx.static',
        ['fsxFileSystemId', 'fsxDnsName', 'fsxMountName'],
      );
      for (const team of env.teams) {
        const namespace = teamNamespace(team);
        new KubePersistentVolume(this, fsxStaticVolumeName(namespace), {
          metadata: { name: fsxStaticVolumeName(namespace) },
          spec: {
            capacity: { storage: Quantity.fromString(`${fsx.static.storageCapacityGiB}Gi`) },
            volumeMode: 'Filesystem',
            accessModes: ['ReadWriteMany'],
            storageClassName: '',
            mountOptions: ['flock'],
            persistentVolumeReclaimPolicy: 'Retain',
            claimRef: { namespace, name: FSX_STATIC_PVC },
            csi: {
              driver: 'fsx.csi.aws.com',
              volumeHandle: fsxFileSystemId,
              volumeAttributes: { dnsname: fsxDnsName, mountname: fsxMountName },
            },
          },
        });
      }
    }
  }
}
