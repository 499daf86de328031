/**
 * The parts of the Argo CD v3.5 `argoproj.io/v1alpha1` Application and AppProject schemas this
 * project writes. Field names follow the CRDs' openAPIV3Schema (the validator checks the rendered
 * objects against them); optional fields are left out rather than rendered empty.
 */

import { ADDONS } from '../config/addons';

/** Namespace Argo CD runs in; Applications and AppProjects live there. */
export const ARGOCD_NAMESPACE = ADDONS.argocd.namespace;

/** The API server of the cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * Finalizer that makes Argo CD delete an Application's resources before the Application (and
 * keeps an AppProject until no Application uses it).
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';

/** A kind by API group, as project allow-lists name it (`''` is the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A cluster-scoped kind, optionally restricted to one name (Go `filepath.Match` glob). */
export interface ClusterResourceRestriction extends GroupKind {
  readonly name?: string;
}

/** Where an Application may deploy: a cluster and a namespace (`''`/absent: cluster-scoped only). */
export interface ApplicationDestination {
  readonly server: string;
  readonly namespace?: string;
}

/** A resource left out of orphaned-resource monitoring (`name` may be a glob). */
export interface OrphanedResourceKey {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
}

export interface AppProjectSpec {
  readonly description: string;
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ApplicationDestination[];
  /** Cluster-scoped kinds the project may manage; an empty list allows none. */
  readonly clusterResourceWhitelist: readonly ClusterResourceRestriction[];
  /** Namespaced kinds the project may manage; absent allows all, an empty list none. */
  readonly namespaceResourceWhitelist?: readonly GroupKind[];
  readonly orphanedResources?: {
    readonly warn: boolean;
    readonly ignore?: readonly OrphanedResourceKey[];
  };
}

/** A type alias, not an interface, so Argo CD objects are assignable to `K8sObject`'s metadata. */
type ArgoMetadata = {
  readonly name: string;
  readonly namespace: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly finalizers: readonly string[];
};

export interface AppProject {
  readonly apiVersion: typeof ARGOCD_API_VERSION;
  readonly kind: 'AppProject';
  readonly metadata: ArgoMetadata;
  readonly spec: AppProjectSpec;
}

/** A field Argo CD does not compare, because a controller writes it back. */
export interface ResourceIgnoreDifferences {
  readonly group: string;
  readonly kind: string;
  readonly jsonPointers: readonly string[];
}

export interface ApplicationSpec {
  readonly project: string;
  readonly source: {
    readonly repoURL: string;
    readonly targetRevision: string;
    readonly path: string;
    readonly directory: { readonly recurse: boolean };
  };
  readonly destination: ApplicationDestination;
  readonly syncPolicy: {
    readonly automated: { readonly prune: boolean; readonly selfHeal: boolean };
    readonly retry: {
      readonly limit: number;
      readonly backoff: { readonly duration: string; readonly factor: number; readonly maxDuration: string };
    };
    readonly syncOptions?: readonly string[];
  };
  readonly ignoreDifferences?: readonly ResourceIgnoreDifferences[];
}

export interface Application {
  readonly apiVersion: typeof ARGOCD_API_VERSION;
  readonly kind: 'Application';
  readonly metadata: ArgoMetadata;
  readonly spec: ApplicationSpec;
}
