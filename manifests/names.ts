import { ADDONS } from '../config/addons';
import type { StorageVariant } from '../config/jobs';

export { storageVariants, type StorageVariant } from '../config/jobs';

/** Names shared by several charts (one place, so a reference can never drift from its target). */
export const YUNIKORN_NAMESPACE = ADDONS.yunikorn.namespace;
/** Namespace of kube-prometheus-stack, which scrapes Spark drivers. */
export const MONITORING_NAMESPACE = ADDONS.prometheus.namespace;
export const GP3_STORAGE_CLASS = 'gp3';
export const SPARK_EBS_STORAGE_CLASS = 'spark-ebs';
export const FSX_STORAGE_CLASS = 'fsx';
export const FSX_STATIC_PVC = 'fsx-static-pvc';
export const FSX_DYNAMIC_PVC = 'fsx-dynamic-pvc';
export const POD_TEMPLATES_CONFIG_MAP = 'spark-pod-templates';
/**
 * On a driver template of a pool that opted out of on-demand drivers (`driverOnDemand: false`)
 * and may launch Spot: says the risk was accepted, so the validator does not report it.
 */
export const SPOT_DRIVER_ANNOTATION = 'emr-eks-gitops/spot-driver';
/** ConfigMap with a team's job files (scripts, small data), uploaded to S3 next to the pod templates. */
export const JOB_FILES_CONFIG_MAP = 'spark-job-files';
/**
 * Size of the on-demand EBS scratch volume Spark creates for the driver and for each executor
 * of an EBS job (the seed's 50Gi driver claim and executor volumes).
 */
export const EBS_SCRATCH_VOLUME_SIZE = '50Gi';
/** Prefix of the content-addressed Job that uploads a team's artifacts: `<prefix>-<8 hex>`. */
export const ARTIFACT_UPLOAD_JOB_PREFIX = 'upload-artifacts';
/** User EMR on EKS acts as inside a virtual cluster's namespace (its access entry's username). */
export const EMR_CONTAINERS_USER = 'emr-containers';

export function fsxStaticVolumeName(namespace: string): string {
  return `fsx-static-${namespace}`;
}

/** File name of a pod template in the team's ConfigMap and in S3. */
export function podTemplateFile(pool: string, variant: StorageVariant, role: 'driver' | 'executor'): string {
  return `${pool}-${variant}-${role}.yaml`;
}
