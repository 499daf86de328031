import type { Container, PodSpec, SecurityContext, Toleration, Volume } from '../imports/k8s';
import { versions, type NodePool } from '../../config';
import { FSX_DYNAMIC_PVC, FSX_STATIC_PVC, SPOT_DRIVER_ANNOTATION, type StorageVariant } from '../names';
import { nodePoolLabels, nodePoolTaints } from './spark-node-pool';

/** Spark's user and group in EMR images. */
export const SPARK_UID = 999;
export const SPARK_GID = 1000;
/** Scratch mount inside Spark containers (`spark.local.dir`); `/mnt` is reserved by EMR. */
export const SPARK_LOCAL_DIR = '/data1';

/**
 * Requests and limits as plain quantity strings: a template is serialized as it is (no cdk8s
 * resolution), so cdk8s `Quantity` objects cannot appear in it.
 */
export interface TemplateResources {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/** A container of a pod template. */
export type TemplateContainer = Omit<Container, 'resources'> & { readonly resources?: TemplateResources };

/** The pod spec of a template. */
export type TemplatePodSpec = Omit<PodSpec, 'containers' | 'initContainers'> & {
  readonly containers: TemplateContainer[];
  readonly initContainers?: TemplateContainer[];
};

/** A Spark pod template (`kind: Pod`) as EMR on EKS reads it from S3. */
export interface SparkPodTemplate {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: {
    readonly labels: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: TemplatePodSpec;
}

/** Spark's own container in a driver or executor pod (EMR on EKS and Spark look for these names). */
export const SPARK_CONTAINER = {
  driver: 'spark-kubernetes-driver',
  executor: 'spark-kubernetes-executor',
} as const;

/**
 * What the init container that hands a scratch volume to Spark reserves: a `chown` of one
 * directory. Explicit, so the pod's size never depends on the namespace's LimitRange defaults.
 */
export const VOLUME_PERMISSIONS_RESOURCES: TemplateResources = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { memory: '64Mi' },
};

/** Inputs of {@link sparkPodTemplate}. */
export interface SparkPodTemplateProps {
  readonly pool: NodePool;
  readonly variant: StorageVariant;
  readonly role: 'driver' | 'executor';
}

interface Scratch {
  readonly volumes: Volume[];
  readonly mountPath: string;
  readonly subPath?: string;
  /** Runs as root to give the volume to Spark's uid/gid, where fsGroup cannot (Lustre). */
  readonly chown: boolean;
}

/**
 * Spark's own container: as Spark's uid/gid (numeric, so the kubelet can check `runAsNonRoot`
 * against EMR images whose user is a name), no privilege escalation, no capabilities. Pod
 * Security `restricted` asks this of every container; EMR's own (job-runner, logging) are not
 * the template's to set, so team namespaces warn on `restricted` and enforce `baseline`.
 */
export const SPARK_CONTAINER_SECURITY: SecurityContext = {
  runAsNonRoot: true,
  runAsUser: SPARK_UID,
  runAsGroup: SPARK_GID,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/**
 * The init container that hands a Lustre scratch directory to Spark: root (the volume is
 * root-owned and Lustre ignores fsGroup), but with only the capability `chown` needs.
 */
export const VOLUME_PERMISSIONS_SECURITY: SecurityContext = {
  runAsUser: 0,
  runAsNonRoot: false,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'], add: ['CHOWN'] },
};

function scratchFor(variant: StorageVariant): Scratch {
  const claim = (claimName: string): Volume[] => [
    { name: 'spark-local-dir-1', persistentVolumeClaim: { claimName } },
  ];
  switch (variant) {
    case 'nvme':
      // An emptyDir lives under /var/lib/kubelet, which the AL2023 AMI bind-mounts onto the
      // instance-store RAID0 array when the EC2NodeClass sets `instanceStorePolicy: RAID0`
      // (docs/decisions.md): NVMe scratch of this pod only, counted against the node's
      // ephemeral storage by the kubelet and deleted with the pod. Writable by any uid.
      return {
        volumes: [{ name: 'spark-local-dir-1', emptyDir: {} }],
        mountPath: SPARK_LOCAL_DIR,
        chown: false,
      };
    case 'ebs':
      // The driver and every executor get their own on-demand PVC from Spark's configuration
      // (`…volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName=OnDemand`), created
      // with the pod, in the pod's zone, mounted at the same path and made writable by fsGroup.
      // A fixed claim would stay Pending under WaitForFirstConsumer until a job mounts it (so
      // Argo CD's sync would never get past it), pin every job to one zone, and serialize jobs.
      return { volumes: [], mountPath: SPARK_LOCAL_DIR, chown: false };
    case 'fsx-static':
      return { volumes: claim(FSX_STATIC_PVC), mountPath: '/static', subPath: 'data', chown: true };
    case 'fsx-dynamic':
      return { volumes: claim(FSX_DYNAMIC_PVC), mountPath: '/dynamic', chown: true };
  }
}

/**
 * Builds a driver or executor pod template for one node pool and storage variant. Node selector
 * and tolerations come from the pool itself, so a template can never target labels or taints the
 * pool does not have. Container names are the ones EMR on EKS looks for.
 */
export function sparkPodTemplate(props: SparkPodTemplateProps): SparkPodTemplate {
  const { pool, variant, role } = props;
  const scratch = scratchFor(variant);
  const mount =
    scratch && scratch.volumes.length > 0
      ? [
          {
            name: 'spark-local-dir-1',
            mountPath: scratch.mountPath,
            ...(scratch.subPath ? { subPath: scratch.subPath } : {}),
          },
        ]
      : [];
  const main: TemplateContainer = {
    name: SPARK_CONTAINER[role],
    securityContext: SPARK_CONTAINER_SECURITY,
    ...(mount.length > 0 ? { volumeMounts: mount } : {}),
  };
  const init: TemplateContainer[] =
    scratch?.chown === true
      ? [
          {
            name: 'volume-permissions',
            image: versions.busyboxImage,
            command: ['sh', '-c', `chown ${SPARK_UID}:${SPARK_GID} ${scratch.mountPath}`],
            resources: VOLUME_PERMISSIONS_RESOURCES,
            securityContext: VOLUME_PERMISSIONS_SECURITY,
            volumeMounts: mount,
          },
        ]
      : [];
  const tolerations: Toleration[] = nodePoolTaints(pool).map((t) => ({
    key: t.key,
    operator: 'Equal',
    value: t.value,
    effect: t.effect,
  }));
  const onDemand: Record<string, string> =
    role === 'driver' && pool.driverOnDemand ? { 'karpenter.sh/capacity-type': 'on-demand' } : {};
  // A pool that opted out of on-demand drivers says so on the driver: a Spot reclaim fails the job.
  const spotDriver = role === 'driver' && !pool.driverOnDemand && pool.capacityTypes.includes('spot');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      labels: { 'emr-eks-gitops/node-pool': pool.name, 'emr-eks-gitops/storage': variant },
      // A running driver holds the whole job: Karpenter must not consolidate its node away.
      ...(role === 'driver'
        ? {
            annotations: {
              'karpenter.sh/do-not-disrupt': 'true',
              ...(spotDriver ? { [SPOT_DRIVER_ANNOTATION]: 'accepted' } : {}),
            },
          }
        : {}),
    },
    spec: {
      nodeSelector: { NodeGroupType: nodePoolLabels(pool).NodeGroupType ?? '', ...onDemand },
      ...(tolerations.length > 0 ? { tolerations } : {}),
      securityContext: {
        seccompProfile: { type: 'RuntimeDefault' },
        ...(scratch.chown ? {} : { fsGroup: SPARK_GID }),
      },
      ...(scratch && scratch.volumes.length > 0 ? { volumes: scratch.volumes } : {}),
      ...(init.length > 0 ? { initContainers: init } : {}),
      containers: [main],
    },
  };
}
