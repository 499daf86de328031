import { CLUSTER_SCOPED_KINDS, type K8sObject } from '../manifests/render';
import { apiGroup } from './sync-waves';
import type { AppProjectSpec, ApplicationDestination, ClusterResourceRestriction, GroupKind } from './types';
import { wildcardMatch } from '../lib/wildcard';

/**
 * A small re-implementation of how Argo CD v3.5 decides whether a project permits a destination
 * or a resource (`AppProject.IsDestinationPermitted` / `IsGroupKindNamePermitted` /
 * `IsResourcePermitted` in `pkg/apis/application/v1alpha1`), so render and tests can check
 * every rendered object against its project before Argo CD does. Only what the project's
 * AppProjects use is covered: allow-lists (no blacklists), literal and `*`/`?` globs, `!` deny
 * patterns in destinations, no `name`-based destinations.
 */

/**
 * Go-style glob match: `*` is any run of characters and `?` one character, neither crossing
 * `separator` when given (`filepath.Match` uses `/`; destination patterns use none). Character
 * classes are not supported: a pattern with `[` or `\` throws rather than guessing.
 */
export function globMatch(pattern: string, value: string, separator?: string): boolean {
  if (pattern === '*') return true;
  if (/[[\\]/.test(pattern)) throw new Error(`Unsupported glob "${pattern}": only * and ? are implemented.`);
  return wildcardMatch(pattern, value, separator === undefined ? {} : { separator });
}

function groupKindIn(list: readonly GroupKind[], group: string, kind: string): boolean {
  return list.some((item) => globMatch(item.kind, kind, '/') && globMatch(item.group, group, '/'));
}

function namedResourceIn(
  list: readonly ClusterResourceRestriction[],
  group: string,
  kind: string,
  name: string,
): boolean {
  return list.some(
    (item) =>
      groupKindIn([item], group, kind) &&
      (item.name === undefined || item.name === '' || globMatch(item.name, name, '/')),
  );
}

/**
 * Whether a project lets an Application (or a namespaced resource) target `destination`: some
 * entry matches server and namespace (`''` only matches `''`), and no `!` entry excludes it.
 */
export function isDestinationPermitted(
  project: AppProjectSpec,
  destination: ApplicationDestination,
): boolean {
  const namespace = destination.namespace ?? '';
  let matched = false;
  for (const item of project.destinations) {
    const serverMatched = matchesPattern(item.server, destination.server);
    const namespaceMatched = matchesPattern(item.namespace ?? '', namespace);
    if (serverMatched && namespaceMatched) matched = true;
    else if (
      (!serverMatched && item.server.startsWith('!')) ||
      (!namespaceMatched && (item.namespace ?? '').startsWith('!'))
    )
      return false;
  }
  return matched;
}

function matchesPattern(pattern: string, value: string): boolean {
  return pattern.startsWith('!') ? !globMatch(pattern.slice(1), value) : globMatch(pattern, value);
}

/**
 * Whether a project allows a kind: a namespaced kind when the namespace allow-list is absent or
 * lists it; a cluster-scoped kind only when the cluster allow-list lists it (and its name, if the
 * entry names one).
 */
export function isGroupKindPermitted(
  project: AppProjectSpec,
  resource: GroupKind & { readonly name: string },
  namespaced: boolean,
): boolean {
  if (namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    return whitelist === undefined || groupKindIn(whitelist, resource.group, resource.kind);
  }
  return namedResourceIn(project.clusterResourceWhitelist, resource.group, resource.kind, resource.name);
}

/**
 * Whether a project lets an Application on `server` manage `object`: its kind must be allowed,
 * and a namespaced object's namespace must be an allowed destination. (Argo CD checks the
 * destination only for namespaced objects: a cluster-scoped object is limited by kind and name.)
 */
export function isObjectPermitted(project: AppProjectSpec, object: K8sObject, server: string): boolean {
  const namespace = object.metadata.namespace;
  const namespaced = !CLUSTER_SCOPED_KINDS.has(object.kind);
  const resource = { group: apiGroup(object.apiVersion), kind: object.kind, name: object.metadata.name };
  if (!isGroupKindPermitted(project, resource, namespaced)) return false;
  return !namespaced || (namespace !== undefined && isDestinationPermitted(project, { server, namespace }));
}

/** Whether a project lets Applications read from `repoURL` (exact URL or `*`). */
export function isSourcePermitted(project: AppProjectSpec, repoURL: string): boolean {
  return project.sourceRepos.some((pattern) => pattern === '*' || pattern === repoURL);
}
