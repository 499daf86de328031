import { App, type Chart } from 'cdk8s';
import type { EnvironmentModel } from '../model/platform-model';
import { KarpenterChart } from './charts/karpenter-chart';
import { MonitoringChart } from './charts/monitoring-chart';
import { StorageChart } from './charts/storage-chart';
import { TeamChart } from './charts/team-chart';
import { YunikornChart } from './charts/yunikorn-chart';

/** Kinds without a namespace; everything else we render must have one. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'EC2NodeClass',
  'Namespace',
  'NodePool',
  'PersistentVolume',
  'PriorityClass',
  'StorageClass',
]);

/** A rendered Kubernetes object (plain JSON, as cdk8s resolves it). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** One Argo CD application's objects, each with its path under `dist/<env>/k8s/`. */
export interface K8sApp {
  readonly name: string;
  readonly objects: readonly { readonly path: string; readonly object: K8sObject }[];
}

/** `<app>/<namespace|_cluster>/<Kind>.<name>.yaml`, the dist/ layout contract. */
export function objectPath(app: string, object: K8sObject): string {
  const scope = CLUSTER_SCOPED_KINDS.has(object.kind) ? '_cluster' : object.metadata.namespace;
  if (scope === undefined) {
    throw new Error(
      `${object.kind}/${object.metadata.name} in app ${app} is namespaced but has no namespace`,
    );
  }
  return `${app}/${scope}/${object.kind}.${object.metadata.name}.yaml`;
}

/**
 * Every Argo CD application of an environment with its objects, in a stable order. Each chart
 * gets a cdk8s App of its own: the charts are independent (one Argo CD application each), and
 * cdk8s resolves dependencies and validates the whole App every time one chart is synthesized,
 * which made one shared App quadratic in the number of teams.
 */
export function renderManifests(model: EnvironmentModel): K8sApp[] {
  const { cluster: env, outputs } = model;
  // Each chart is turned into objects as soon as it is built, so its construct tree is garbage
  // before the next one is made (a thousand team charts at once are most of the render's heap).
  const apps: K8sApp[] = [];
  const add = (name: string, chart: Chart): void => {
    apps.push({
      name,
      objects: (chart.toJson() as K8sObject[]).map((object) => ({ path: objectPath(name, object), object })),
    });
  };
  const appOf = (key: 'karpenter' | 'yunikorn' | 'prometheus') =>
    model.addons.find((addon) => addon.key === key)?.app;
  const karpenter = appOf('karpenter');
  if (karpenter) add(karpenter.name, new KarpenterChart(new App(), karpenter.name, { env }));
  add('storage', new StorageChart(new App(), 'storage', { env, outputs }));
  const yunikorn = appOf('yunikorn');
  if (yunikorn) add(yunikorn.name, new YunikornChart(new App(), yunikorn.name, { env }));
  const monitoring = appOf('prometheus');
  if (monitoring) add(monitoring.name, new MonitoringChart(new App(), monitoring.name, { env }));
  for (const team of model.teams) {
    add(`team-${team.name}`, new TeamChart(new App(), `team-${team.name}`, { env, team }));
  }
  return apps;
}
