import { describe, expect, it } from 'vitest';
import {
  globMatch,
  isDestinationPermitted,
  isGroupKindPermitted,
  isObjectPermitted,
  isSourcePermitted,
} from '../../argocd/permissions';
import { platformProject, teamNamespacedKinds, teamProject } from '../../argocd/projects';
import { SYNC_PHASES } from '../../argocd/sync-waves';
import { IN_CLUSTER_SERVER, type AppProjectSpec } from '../../argocd/types';
import { teamNamespace } from '../../config/naming';
import { CLUSTER_SCOPED_KINDS, type K8sObject } from '../../manifests/render';
import { appsWithJobs, ENVIRONMENTS } from './helpers';

const server = IN_CLUSTER_SERVER;

function spec(overrides: Partial<AppProjectSpec>): AppProjectSpec {
  return {
    description: 'test',
    sourceRepos: ['https://git.example.com/repo.git'],
    destinations: [{ server, namespace: 'a' }],
    clusterResourceWhitelist: [],
    ...overrides,
  };
}

function object(apiVersion: string, kind: string, name: string, namespace?: string): K8sObject {
  return { apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } };
}

/** The apiVersion of a cluster-scoped kind, from the sync-wave table (which knows its group). */
function clusterScopedObjects(name: string): K8sObject[] {
  return [...CLUSTER_SCOPED_KINDS].map((kind) => {
    const group = SYNC_PHASES.flatMap((phase) => phase.kinds).find((k) => k.kind === kind)?.group;
    if (group === undefined) throw new Error(`no group for ${kind}`);
    return object(group === '' ? 'v1' : `${group}/v1`, kind, name);
  });
}

describe('the matcher follows Argo CD', () => {
  it('globs like filepath.Match: * and ? stop at the separator, everything else is literal', () => {
    expect(globMatch('*', 'anything/at/all', '/')).toBe(true);
    expect(globMatch('team-*', 'team-a', '/')).toBe(true);
    expect(globMatch('team-*', 'team-a/b', '/')).toBe(false);
    expect(globMatch('team-*', 'team-a/b')).toBe(true);
    expect(globMatch('team-?', 'team-ab')).toBe(false);
    expect(globMatch('rbac.authorization.k8s.io', 'rbacXauthorization.k8s.io')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(() => globMatch('team-[ab]', 'team-a')).toThrow('Unsupported glob "team-[ab]"');
  });

  it('matches a destination on server and namespace; an empty namespace only matches cluster-scoped apps', () => {
    const project = spec({ destinations: [{ server, namespace: 'a' }, { server }] });
    expect(isDestinationPermitted(project, { server, namespace: 'a' })).toBe(true);
    expect(isDestinationPermitted(project, { server })).toBe(true);
    expect(isDestinationPermitted(project, { server, namespace: 'b' })).toBe(false);
    expect(isDestinationPermitted(project, { server: 'https://other', namespace: 'a' })).toBe(false);
    expect(isDestinationPermitted(spec({}), { server })).toBe(false);
  });

  it('lets a ! destination exclude what another allows', () => {
    const project = spec({
      destinations: [
        { server, namespace: '*' },
        { server, namespace: '!kube-*' },
      ],
    });
    expect(isDestinationPermitted(project, { server, namespace: 'team-a' })).toBe(true);
    expect(isDestinationPermitted(project, { server, namespace: 'kube-system' })).toBe(false);
  });

  it('allows every namespaced kind without an allow-list, none with an empty one', () => {
    const configMap = { group: '', kind: 'ConfigMap', name: 'x' };
    expect(isGroupKindPermitted(spec({}), configMap, true)).toBe(true);
    expect(isGroupKindPermitted(spec({ namespaceResourceWhitelist: [] }), configMap, true)).toBe(false);
    const listed = spec({ namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }] });
    expect(isGroupKindPermitted(listed, configMap, true)).toBe(true);
    expect(isGroupKindPermitted(listed, { ...configMap, group: 'example.com' }, true)).toBe(false);
  });

  it('allows a cluster-scoped kind only when listed, and only the listed name when one is given', () => {
    const namespace = { group: '', kind: 'Namespace', name: 'a' };
    expect(isGroupKindPermitted(spec({}), namespace, false)).toBe(false);
    const anyName = spec({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
    expect(isGroupKindPermitted(anyName, { ...namespace, name: 'kube-system' }, false)).toBe(true);
    const named = spec({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'a' }] });
    expect(isGroupKindPermitted(named, namespace, false)).toBe(true);
    expect(isGroupKindPermitted(named, { ...namespace, name: 'b' }, false)).toBe(false);
    expect(isGroupKindPermitted(named, { ...namespace, name: 'a-b' }, false)).toBe(false);
  });

  it('checks the namespace of namespaced objects only', () => {
    const project = spec({
      clusterResourceWhitelist: [{ group: 'storage.k8s.io', kind: 'StorageClass' }],
      namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }],
    });
    expect(isObjectPermitted(project, object('v1', 'ConfigMap', 'x', 'a'), server)).toBe(true);
    expect(isObjectPermitted(project, object('v1', 'ConfigMap', 'x', 'b'), server)).toBe(false);
    expect(isObjectPermitted(project, object('v1', 'ConfigMap', 'x'), server)).toBe(false);
    expect(isObjectPermitted(project, object('storage.k8s.io/v1', 'StorageClass', 'gp3'), server)).toBe(true);
  });

  it('allows listed source repositories only', () => {
    expect(isSourcePermitted(spec({}), 'https://git.example.com/repo.git')).toBe(true);
    expect(isSourcePermitted(spec({}), 'https://git.example.com/other.git')).toBe(false);
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))(
  'AppProjects of environment %s',
  (_, env) => {
    const apps = appsWithJobs(env);
    const teamAppNames = new Set(env.teams.map((team) => `team-${team.name}`));
    const platform = platformProject(
      env,
      apps.filter((app) => !teamAppNames.has(app.name)),
    ).spec;

    describe.each(env.teams.map((team) => [team.name, team] as const))('team %s', (__, team) => {
      const project = teamProject(env, team).spec;
      const namespace = teamNamespace(team);
      const own = apps.find((app) => app.name === `team-${team.name}`);
      const others = env.teams.filter((other) => other !== team);

      it('permits every object of its own app', () => {
        const denied = (own?.objects ?? [])
          .filter(({ object }) => !isObjectPermitted(project, object, server))
          .map(({ path }) => path);
        expect(denied).toEqual([]);
        expect(isDestinationPermitted(project, { server, namespace })).toBe(true);
      });

      it("rejects every other team's namespace and every object of their apps", () => {
        for (const other of others) {
          expect(isDestinationPermitted(project, { server, namespace: teamNamespace(other) })).toBe(false);
          const theirs = apps.find((app) => app.name === `team-${other.name}`)?.objects ?? [];
          expect(theirs.length).toBeGreaterThan(0);
          const permitted = theirs
            .filter(({ object }) => isObjectPermitted(project, object, server))
            .map((o) => o.path);
          expect(permitted).toEqual([]);
        }
      });

      it('rejects every platform object and the platform namespaces', () => {
        const platformObjects = apps
          .filter((app) => !teamAppNames.has(app.name))
          .flatMap((app) => app.objects);
        const permitted = platformObjects
          .filter(({ object }) => isObjectPermitted(project, object, server))
          .map((o) => o.path);
        expect(permitted).toEqual([]);
        for (const other of ['yunikorn', 'kube-system', 'argocd', 'default']) {
          expect(isDestinationPermitted(project, { server, namespace: other })).toBe(false);
        }
        expect(isDestinationPermitted(project, { server })).toBe(false);
      });

      it('rejects every cluster-scoped kind except its own Namespace, by name', () => {
        for (const name of [namespace, 'kube-system', `${namespace}-x`, ...others.map(teamNamespace)]) {
          const permitted = clusterScopedObjects(name)
            .filter((o) => isObjectPermitted(project, o, server))
            .map((o) => `${o.kind}/${o.metadata.name}`);
          expect(permitted).toEqual(name === namespace ? [`Namespace/${namespace}`] : []);
        }
      });

      it('rejects namespaced kinds it does not list, even in its own namespace', () => {
        for (const [apiVersion, kind] of [
          ['v1', 'Secret'],
          ['v1', 'Pod'],
          ['apps/v1', 'StatefulSet'],
          ['apps/v1', 'DaemonSet'],
          ['argoproj.io/v1alpha1', 'Application'],
          ['karpenter.sh/v1', 'NodeClaim'],
          ['services.k8s.aws/v1alpha1', 'FieldExport'],
        ] as const) {
          expect(isObjectPermitted(project, object(apiVersion, kind, 'x', namespace), server), kind).toBe(
            false,
          );
        }
      });
    });

    it('lists for teams exactly the kinds team apps contain (JobRun and Job included)', () => {
      const contained = new Set(
        apps
          .filter((app) => teamAppNames.has(app.name))
          .flatMap((app) => app.objects)
          .filter(({ object }) => !CLUSTER_SCOPED_KINDS.has(object.kind))
          .map(({ object }) => object.kind),
      );
      expect([...contained].sort()).toEqual(
        teamNamespacedKinds(env)
          .map((k) => k.kind)
          .sort(),
      );
    });

    it('lets the platform project manage the platform apps and no team namespace', () => {
      const denied = apps
        .filter((app) => !teamAppNames.has(app.name))
        .flatMap((app) => app.objects)
        .filter(({ object }) => !isObjectPermitted(platform, object, server))
        .map(({ path }) => path);
      expect(denied).toEqual([]);
      for (const team of env.teams) {
        expect(isDestinationPermitted(platform, { server, namespace: teamNamespace(team) })).toBe(false);
        expect(isObjectPermitted(platform, object('v1', 'Namespace', teamNamespace(team)), server)).toBe(
          false,
        );
      }
    });
  },
);
