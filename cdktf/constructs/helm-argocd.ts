import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from '../framework';
import type { Environment } from '../../config';
import { charts } from '../../config/versions';
import { resourceHealthChecks } from '../../argocd/health-checks';
import {
  ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  type AppProjectSpec,
  type ApplicationSpec,
} from '../../argocd/types';
import { CORE_NODE_SELECTOR, jsonValue, pinnedRelease, type HelmValue } from './helm-release';

/** The AppProject of the root Application, created by Terraform with it. */
export const BOOTSTRAP_PROJECT = 'bootstrap';
/** The Application that syncs `dist/<env>/argocd/` (the app of apps). */
export const ROOT_APPLICATION = 'root';
/** Prefix of Argo CD's object names (`argocd-server`, `argocd-repo-server`, …), as upstream's manifests. */
export const ARGOCD_FULLNAME = 'argocd';

/** Props for {@link HelmArgocd}. */
export interface HelmArgocdProps {
  readonly env: Environment;
  /**
   * Releases the root Application waits for: the controllers and CRDs the synced objects need
   * (Karpenter, ACK, YuniKorn, …), so the first sync does not fail on unknown kinds.
   */
  readonly rootDependsOn: readonly ITerraformDependable[];
}

/** The subset of the argo-cd chart's values this project sets. */
type ArgocdValues = {
  readonly fullnameOverride: string;
  readonly global: { readonly nodeSelector: typeof CORE_NODE_SELECTOR };
  readonly crds: { readonly install: true; readonly keep: true };
  /** `argocd-cm` keys, merged with the chart's defaults. */
  readonly configs: { readonly cm: Readonly<Record<string, string>> };
  readonly dex: { readonly enabled: false };
  readonly notifications: { readonly enabled: false };
  readonly server: { readonly service: { readonly type: 'ClusterIP' } };
};

/** The argocd-apps chart's values: AppProjects and Applications by name. */
type ArgocdAppsValues = {
  readonly projects: Readonly<Record<string, HelmValue>>;
  readonly applications: Readonly<Record<string, HelmValue>>;
};

/** Where the root Application reads from: the environment's Argo CD objects (dist/ contract). */
export function rootApplicationPath(env: Environment): string {
  return `dist/${env.name}/argocd`;
}

/**
 * The `bootstrap` AppProject: the root Application may create only AppProjects and Applications,
 * only in Argo CD's namespace, only from the configured repository, and no cluster-scoped object.
 * Not `default`, which allows every repository, destination and kind: whoever can push to
 * `dist/<env>/argocd/` would get cluster-admin through it. Each child Application is then held to
 * its own project (`platform`, `team-<name>`).
 */
export function bootstrapProject(env: Environment): AppProjectSpec {
  return {
    description: `Bootstrap of ${env.name}: the root Application and the projects and applications it syncs`,
    sourceRepos: [env.gitops.repoUrl],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: ARGOCD_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
    ],
  };
}

/** The root Application: `dist/<env>/argocd/` at the configured revision, pruned and self-healed. */
export function rootApplication(env: Environment): ApplicationSpec {
  return {
    project: BOOTSTRAP_PROJECT,
    source: {
      repoURL: env.gitops.repoUrl,
      targetRevision: env.gitops.revision,
      path: rootApplicationPath(env),
      directory: { recurse: true },
    },
    destination: { server: IN_CLUSTER_SERVER, namespace: ARGOCD_NAMESPACE },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      // A project or application removed from git is deleted after the rest of the sync applied.
      syncOptions: ['PruneLast=true'],
    },
  };
}

/**
 * Argo CD and its root Application. Argo CD runs on the core nodes, its API server stays inside
 * the cluster (ClusterIP; reach it with `kubectl port-forward`), Dex and notifications are off
 * (local admin, no SSO or notification receivers configured), and `argocd-cm` carries one Lua
 * health check per custom kind (`argocd/health-checks.ts`) so sync waves wait for JobRuns and
 * VirtualClusters to be really ready.
 *
 * The root Application comes from a second release (argocd-apps) because Helm cannot create an
 * `Application` in the release that installs its CRD. It has no resources finalizer: deleting it
 * (or replacing the release) orphans the child Applications instead of deleting every workload.
 */
export class HelmArgocd extends Construct {
  readonly release: Release;
  readonly root: Release;

  constructor(scope: Construct, id: string, props: HelmArgocdProps) {
    super(scope, id);
    const { env } = props;
    const healthChecks = Object.fromEntries(
      Object.entries(resourceHealthChecks).map(([key, lua]) => [
        `resource.customizations.health.${key}`,
        lua,
      ]),
    );
    const values: ArgocdValues = {
      fullnameOverride: ARGOCD_FULLNAME,
      global: { nodeSelector: CORE_NODE_SELECTOR },
      crds: { install: true, keep: true },
      configs: { cm: healthChecks },
      dex: { enabled: false },
      notifications: { enabled: false },
      server: { service: { type: 'ClusterIP' } },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.argocd,
      name: 'argo-cd',
      namespace: ARGOCD_NAMESPACE,
      values,
    });

    const apps: ArgocdAppsValues = {
      projects: {
        [BOOTSTRAP_PROJECT]: jsonValue({ namespace: ARGOCD_NAMESPACE, ...bootstrapProject(env) }),
      },
      applications: {
        [ROOT_APPLICATION]: jsonValue({ namespace: ARGOCD_NAMESPACE, ...rootApplication(env) }),
      },
    };
    this.root = pinnedRelease(this, 'root', {
      chart: charts.argocdApps,
      name: 'argocd-root',
      namespace: ARGOCD_NAMESPACE,
      values: apps,
      dependsOn: [this.release, ...props.rootDependsOn],
    });
  }
}
