import type { Environment, NodePool } from '../config';

/** Names shared by several charts (one place, so a reference can never drift from its target). */
export const YUNIKORN_NAMESPACE = 'yunikorn';
/** Namespace of kube-prometheus-stack, which scrapes Spark drivers. */
export const MONITORING_NAMESPACE = 'kube-prometheus-stack';
export const GP3_STORAGE_CLASS = 'gp3';
export const SPARK_EBS_STORAGE_CLASS = 'spark-ebs';
export const FSX_STORAGE_CLASS = 'fsx';
export const SPARK_DRIVER_PVC = 'spark-driver-pvc';
export const FSX_STATIC_PVC = 'fsx-static-pvc';
export const FSX_DYNAMIC_PVC = 'fsx-dynamic-pvc';
export const POD_TEMPLATES_CONFIG_MAP = 'spark-pod-templates';
/** User EMR on EKS acts as inside a virtual cluster's namespace (its access entry's username). */
export const EMR_CONTAINERS_USER = 'emr-containers';

export function fsxStaticVolumeName(namespace: string): string {
  return `fsx-static-${namespace}`;
}

/** Where Spark keeps shuffle and spill data. */
export type StorageVariant = 'nvme' | 'ebs' | 'fsx-static' | 'fsx-dynamic';

/** The storage variants a pool supports in an environment, in a stable order. */
export function storageVariants(env: Environment, pool: NodePool): StorageVariant[] {
  const { storage } = env;
  return [
    ...(storage.nvme.enabled && pool.instanceStorePolicy === 'RAID0' ? (['nvme'] as const) : []),
    ...(storage.ebs.enabled ? (['ebs'] as const) : []),
    ...(storage.fsx.static.enabled ? (['fsx-static'] as const) : []),
    ...(storage.fsx.dynamic.enabled ? (['fsx-dynamic'] as const) : []),
  ];
}

/** File name of a pod template in the team's ConfigMap and in S3. */
export function podTemplateFile(pool: string, variant: StorageVariant, role: 'driver' | 'executor'): string {
  return `${pool}-${variant}-${role}.yaml`;
}
