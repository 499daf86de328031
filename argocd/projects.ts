import { teamNamespace, type Environment, type Team } from '../config';
import { launcherStarts } from '../config/job-chains';
import { CLUSTER_SCOPED_KINDS, type K8sApp } from '../manifests/render';
import { apiGroup, syncWave, SYNC_WAVE_ANNOTATION } from './sync-waves';
import {
  ARGOCD_API_VERSION,
  ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  RESOURCES_FINALIZER,
  type AppProject,
  type AppProjectSpec,
  type ApplicationDestination,
  type GroupKind,
  type OrphanedResourceKey,
} from './types';

/** The project of every app that is not a team's (Karpenter, storage, YuniKorn, …). */
export const PLATFORM_PROJECT = 'platform';

/** The project of a team's app: `team-<name>`. */
export function teamProjectName(team: Team): string {
  return `team-${team.name}`;
}

/**
 * The namespaced kinds a team app may contain, and nothing else: the namespace's RBAC, quota,
 * limits and network policies, its FSx claims and ConfigMaps (pod templates, job scripts), its
 * EMR virtual cluster, the artifact uploader Job, the JobRuns, and the team's Spark History
 * Server (its Deployment and Service). Listed rather than derived from
 * the render so a team gets no new kind by accident; render fails if a team app holds another.
 * {@link teamNamespacedKinds} narrows it to an environment.
 */
export const TEAM_NAMESPACED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'LimitRange' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'batch', kind: 'Job' },
  { group: 'emrcontainers.services.k8s.aws', kind: 'JobRun' },
  { group: 'emrcontainers.services.k8s.aws', kind: 'VirtualCluster' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/**
 * {@link TEAM_NAMESPACED_KINDS} for one environment: `PersistentVolumeClaim` only where FSx is
 * enabled, since EBS scratch volumes are Spark's own per-pod claims (created by EMR's service
 * accounts, not synced), so without FSx a team app holds no claim; `CronJob` only for a team
 * (or, without one, an environment with a team) whose jobs the job launcher starts.
 */
export function teamNamespacedKinds(env: Environment, team?: Team): readonly GroupKind[] {
  const claims = env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
  const launcher = (team === undefined ? env.teams : [team]).some((t) => launchedRunKinds(t).length > 0);
  return TEAM_NAMESPACED_KINDS.filter(
    (k) => (claims || k.kind !== 'PersistentVolumeClaim') && (launcher || k.kind !== 'CronJob'),
  );
}

/**
 * What EMR on EKS and Spark create in a team namespace while jobs run, with generated names:
 * the job submitter Job, driver/executor pods and services, Spark's ConfigMaps and on-demand
 * claims, and the per-job `emr-containers-*` service accounts, roles and bindings (the kinds the
 * `emr-containers` Role lets EMR manage). Orphaned-resource warnings skip them; anything else in
 * the namespace that no Application manages (a JobRun, NetworkPolicy or RoleBinding applied by
 * hand, say) is flagged.
 */
const EMR_RUNTIME_KINDS: readonly OrphanedResourceKey[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'Pod' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount', name: 'emr-containers-*' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'batch', kind: 'Job' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role', name: 'emr-containers-*' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', name: 'emr-containers-*' },
];

/**
 * The JobRuns the team's launcher creates (scheduled runs, jobs run after others, further
 * attempts), `<job>-*` for each such job: Argo CD does not track them (they carry no tracking
 * annotation), so without this it would list each as orphaned.
 */
function launchedRunKinds(team: Team): OrphanedResourceKey[] {
  return team.jobs
    .filter(launcherStarts)
    .map((job) => ({ group: 'emrcontainers.services.k8s.aws', kind: 'JobRun', name: `${job.name}-*` }));
}

function compareGroupKind(a: GroupKind, b: GroupKind): number {
  const left = `${a.group}/${a.kind}`;
  const right = `${b.group}/${b.kind}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The distinct group/kinds of `apps`' objects that are (or are not) cluster-scoped, sorted. */
function kindsOf(apps: readonly K8sApp[], clusterScoped: boolean): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const { object } of apps.flatMap((app) => app.objects)) {
    if (CLUSTER_SCOPED_KINDS.has(object.kind) !== clusterScoped) continue;
    const kind = { group: apiGroup(object.apiVersion), kind: object.kind };
    kinds.set(`${kind.group}/${kind.kind}`, kind);
  }
  return [...kinds.values()].sort(compareGroupKind);
}

/**
 * The namespace an Application of this app deploys to: the one namespace its namespaced
 * objects use, or none (`undefined`) when it holds cluster-scoped objects only.
 */
export function appNamespace(app: K8sApp): string | undefined {
  const namespaces = new Set(
    app.objects
      .filter(({ object }) => !CLUSTER_SCOPED_KINDS.has(object.kind))
      .map(({ object }) => object.metadata.namespace),
  );
  if (namespaces.size > 1) {
    throw new Error(
      `App ${app.name} spans several namespaces (${[...namespaces].join(', ')}); an Application deploys to one.`,
    );
  }
  return [...namespaces][0];
}

function appProject(name: string, spec: AppProjectSpec): AppProject {
  return {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'AppProject',
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      annotations: {
        [SYNC_WAVE_ANNOTATION]: String(
          syncWave({ apiVersion: ARGOCD_API_VERSION, kind: 'AppProject', metadata: { name } }),
        ),
      },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec,
  };
}

/**
 * AppProject `platform`: the platform apps (everything but the team apps). Destinations are this
 * cluster for cluster-scoped objects (no namespace) and the namespaces the platform apps use;
 * the allow-lists are exactly the kinds those apps contain. An empty namespaced allow-list is
 * kept, not dropped: absent would allow every namespaced kind. Orphaned resources are listed in
 * the UI but do not warn: the platform namespaces also hold the Helm releases Terraform owns.
 */
export function platformProject(env: Environment, platformApps: readonly K8sApp[]): AppProject {
  const namespaces = new Set(platformApps.map(appNamespace));
  const destinations: ApplicationDestination[] = [
    ...(namespaces.has(undefined) ? [{ server: IN_CLUSTER_SERVER }] : []),
    ...[...namespaces]
      .filter((namespace): namespace is string => namespace !== undefined)
      .sort()
      .map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace })),
  ];
  return appProject(PLATFORM_PROJECT, {
    description: `Platform of ${env.name}: node classes and pools, storage, scheduler queues, dashboards`,
    sourceRepos: [env.gitops.repoUrl],
    destinations,
    clusterResourceWhitelist: kindsOf(platformApps, true),
    namespaceResourceWhitelist: kindsOf(platformApps, false),
    orphanedResources: { warn: false },
  });
}

/**
 * AppProject `team-<name>`: the team's namespace on this cluster and nothing else, the namespaced
 * kinds of {@link teamNamespacedKinds}, and one cluster-scoped object: the team's own
 * Namespace, allowed by name.
 *
 * Why that cannot reach another team: Argo CD checks destinations only for namespaced objects,
 * so every namespaced object of the app must sit in the team's namespace; a cluster-scoped
 * object is limited by the whitelist alone, and the whitelist names exactly one object, the
 * Namespace called like the team's namespace. No other Namespace (another team's, `kube-system`)
 * and no other cluster-scoped kind (NodePool, StorageClass, ClusterRole…) can be created,
 * changed or deleted by the team's app.
 */
export function teamProject(env: Environment, team: Team): AppProject {
  const namespace = teamNamespace(team);
  return appProject(teamProjectName(team), {
    description: `EMR team ${team.name} in ${env.name}: namespace ${namespace} only`,
    sourceRepos: [env.gitops.repoUrl],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: namespace }],
    namespaceResourceWhitelist: teamNamespacedKinds(env, team),
    orphanedResources: { warn: true, ignore: [...EMR_RUNTIME_KINDS, ...launchedRunKinds(team)] },
  });
}
