import type { K8sApp, K8sObject } from '../manifests/render';
import { MONITORING_NAMESPACE, YUNIKORN_NAMESPACE } from '../manifests/names';

/** The annotation Argo CD orders a sync by (lower waves are applied, and healthy, first). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A Kubernetes kind by API group (`''` is the core group), optionally narrowed to one namespace. */
export interface KindSelector {
  readonly group: string;
  readonly kind: string;
  /**
   * Only objects in this namespace. A selector with a namespace wins over one without, so a kind
   * can sit in one phase in general and in an earlier one where it configures a controller.
   * @default every namespace
   */
  readonly namespace?: string;
}

/** One step of the apply order: its kinds are applied once every earlier phase is healthy. */
export interface SyncPhase {
  readonly name: string;
  /** What in this phase needs the earlier phases (the reason it is not earlier). */
  readonly needs: string;
  readonly kinds: readonly KindSelector[];
}

const core = (kind: string): KindSelector => ({ group: '', kind });
const rbac = (kind: string): KindSelector => ({ group: 'rbac.authorization.k8s.io', kind });

/**
 * The one dependency table: every kind the project renders, in the order it must come up. Wave
 * numbers are the phase's position, so inserting a phase renumbers the later ones and no object
 * is ever numbered by hand. Objects of one phase have no dependencies on each other.
 *
 * Waves order objects inside one Application; the Applications themselves are ordered by the
 * earliest wave of their contents (see `applicationWave`), so the same table orders the apps.
 * Argo CD Sync hooks (the team Jobs, `manifests/jobs/sync-hook.ts`) take their wave from this
 * table like any object: a sync runs its PreSync, Sync and PostSync phases in turn and orders
 * each phase by wave, hooks and plain resources alike.
 */
export const SYNC_PHASES: readonly SyncPhase[] = [
  {
    name: 'argocd-projects',
    needs: 'nothing; every Application names its AppProject, so projects come first',
    kinds: [{ group: 'argoproj.io', kind: 'AppProject' }],
  },
  {
    name: 'cluster-definitions',
    needs: 'nothing; CRDs, cluster roles and priority classes are what later objects are made of or refer to',
    kinds: [
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      rbac('ClusterRole'),
      { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
    ],
  },
  {
    name: 'node-classes',
    needs: 'the Karpenter CRDs and controller (installed by Terraform before Argo CD)',
    kinds: [{ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' }],
  },
  {
    name: 'node-pools',
    needs:
      'the EC2NodeClass its nodeClassRef names (Karpenter marks it Ready once it resolved AMIs and subnets)',
    kinds: [{ group: 'karpenter.sh', kind: 'NodePool' }],
  },
  {
    name: 'storage-and-queues',
    needs:
      'nothing inside the cluster, but team claims bind to these classes and volumes and team pods are placed into these queues, so they precede every team namespace',
    kinds: [
      { group: 'storage.k8s.io', kind: 'StorageClass' },
      core('PersistentVolume'),
      { group: '', kind: 'ConfigMap', namespace: YUNIKORN_NAMESPACE },
      // The platform's Grafana dashboards: they need nothing, and every platform app syncs
      // before the team apps.
      { group: '', kind: 'ConfigMap', namespace: MONITORING_NAMESPACE },
    ],
  },
  {
    name: 'namespaces',
    needs: 'the storage and queues its workloads use',
    kinds: [core('Namespace')],
  },
  {
    name: 'namespace-config',
    needs: 'its Namespace',
    kinds: [
      core('ServiceAccount'),
      rbac('Role'),
      core('ResourceQuota'),
      core('LimitRange'),
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      core('PersistentVolumeClaim'),
      core('ConfigMap'),
    ],
  },
  {
    name: 'role-bindings',
    needs: 'the Roles, ClusterRoles and ServiceAccounts they bind',
    kinds: [rbac('RoleBinding'), rbac('ClusterRoleBinding')],
  },
  {
    name: 'virtual-clusters',
    needs:
      'the namespace and the `emr-containers` Role/RoleBinding EMR checks when it registers a virtual cluster',
    kinds: [{ group: 'emrcontainers.services.k8s.aws', kind: 'VirtualCluster' }],
  },
  {
    name: 'job-artifacts',
    needs: 'its ServiceAccount (the uploader role trusts it) and the ConfigMaps it copies to S3',
    kinds: [{ group: 'batch', kind: 'Job' }],
  },
  {
    name: 'job-runs',
    needs:
      "its VirtualCluster created in EMR and its pod templates and scripts uploaded to S3 (a launcher CronJob starts JobRuns too, and also needs its ServiceAccount, RoleBinding and ConfigMaps); the team's Spark History Server (Deployment, Service) is here too, so a slow or failing history server never holds up the jobs",
    kinds: [
      { group: 'emrcontainers.services.k8s.aws', kind: 'JobRun' },
      { group: 'batch', kind: 'CronJob' },
      { group: 'apps', kind: 'Deployment' },
      core('Service'),
    ],
  },
];

/** The API group of an `apiVersion` (`v1` → `''`, `batch/v1` → `batch`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function matches(selector: KindSelector, object: K8sObject): boolean {
  return (
    selector.group === apiGroup(object.apiVersion) &&
    selector.kind === object.kind &&
    (selector.namespace === undefined || selector.namespace === object.metadata.namespace)
  );
}

/** The index in {@link SYNC_PHASES} of the phase an object belongs to. */
function phaseIndex(object: K8sObject): number {
  let general: number | undefined;
  for (const [index, phase] of SYNC_PHASES.entries()) {
    for (const selector of phase.kinds) {
      if (!matches(selector, object)) continue;
      if (selector.namespace !== undefined) return index;
      general ??= index;
    }
  }
  if (general === undefined) {
    const where = object.metadata.namespace === undefined ? '' : ` in namespace ${object.metadata.namespace}`;
    throw new Error(
      `No sync wave for ${object.apiVersion} ${object.kind} "${object.metadata.name}"${where}: add its kind to SYNC_PHASES in argocd/sync-waves.ts, after the phases it depends on.`,
    );
  }
  return general;
}

/**
 * The sync wave of an object: the position of its phase in {@link SYNC_PHASES}. Throws for a
 * kind the table does not list.
 */
export function syncWave(object: K8sObject): number {
  return phaseIndex(object);
}

/**
 * The wave of the Application that syncs an app: the earliest wave of its objects, so an app
 * whose objects others depend on (node pools, storage, queues) is synced and healthy before the
 * apps that use them (the team apps).
 */
export function applicationWave(app: K8sApp): number {
  if (app.objects.length === 0) throw new Error(`App ${app.name} has no objects, so it has no sync wave.`);
  return Math.min(...app.objects.map(({ object }) => syncWave(object)));
}

/**
 * A copy of an object with its sync-wave annotation set from the table; other annotations are
 * kept. Only the top level and `metadata` are new: the rest is shared with the input (rendered
 * objects are never modified after rendering, and copying every spec cost more than the
 * annotation). An object that already carries a different wave is an error: waves come from
 * {@link SYNC_PHASES} only.
 */
export function withSyncWave(object: K8sObject): K8sObject {
  const wave = String(syncWave(object));
  const annotations = (object.metadata.annotations ?? {}) as Readonly<Record<string, string>>;
  const existing = annotations[SYNC_WAVE_ANNOTATION];
  if (existing !== undefined && existing !== wave) {
    throw new Error(
      `${object.kind} "${object.metadata.name}" sets ${SYNC_WAVE_ANNOTATION}: "${existing}", but its phase in argocd/sync-waves.ts gives wave ${wave}; remove the annotation or move the kind in SYNC_PHASES.`,
    );
  }
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { ...annotations, [SYNC_WAVE_ANNOTATION]: wave } },
  };
}

/** Copies of the apps whose objects carry their sync-wave annotation. The inputs are not changed. */
export function withSyncWaves(apps: readonly K8sApp[]): K8sApp[] {
  return apps.map((app) => ({
    name: app.name,
    objects: app.objects.map(({ path, object }) => ({ path, object: withSyncWave(object) })),
  }));
}
