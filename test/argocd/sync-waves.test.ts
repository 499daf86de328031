import { describe, expect, it } from 'vitest';
import { TEAM_NAMESPACED_KINDS } from '../../argocd/projects';
import {
  apiGroup,
  applicationWave,
  SYNC_PHASES,
  SYNC_WAVE_ANNOTATION,
  syncWave,
  withSyncWaves,
} from '../../argocd/sync-waves';
import { EMR_CONTAINERS_USER, YUNIKORN_NAMESPACE } from '../../manifests/names';
import { CLUSTER_SCOPED_KINDS, type K8sApp, type K8sObject } from '../../manifests/render';
import { appsWithJobs, ENVIRONMENTS } from './helpers';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** An object found by kind, namespace and name among all apps of an environment. */
interface Located {
  readonly app: string;
  readonly object: K8sObject;
}

/** A dependency read from the objects themselves: `dependent` needs `dependency` to exist first. */
interface Dependency {
  readonly dependent: Located;
  readonly dependency: Located;
  readonly why: string;
}

/**
 * Every dependency between rendered objects that can be read from their fields: namespaced
 * objects need their Namespace, NodePools their EC2NodeClass, claims their StorageClass and
 * volume, RoleBindings their Role and service accounts, VirtualClusters the `emr-containers`
 * RBAC, Jobs their service account and ConfigMaps, JobRuns their VirtualCluster, the artifact
 * Jobs of their namespace and the YuniKorn queues.
 */
function dependencies(apps: readonly K8sApp[]): Dependency[] {
  const all: Located[] = apps.flatMap((app) => app.objects.map(({ object }) => ({ app: app.name, object })));
  const find = (kind: string, name: string | undefined, namespace?: string): Located[] =>
    all.filter(
      ({ object }) =>
        object.kind === kind &&
        (name === undefined || object.metadata.name === name) &&
        object.metadata.namespace === namespace,
    );
  const found: Dependency[] = [];
  const add = (dependent: Located, targets: Located[], why: string) => {
    for (const dependency of targets) found.push({ dependent, dependency, why });
  };
  for (const located of all) {
    const { object } = located;
    const namespace = object.metadata.namespace;
    const spec = obj(object.spec);
    if (namespace !== undefined) add(located, find('Namespace', namespace), 'its namespace');
    switch (object.kind) {
      case 'NodePool':
        add(
          located,
          find('EC2NodeClass', str(obj(obj(obj(spec.template).spec).nodeClassRef).name)),
          'nodeClassRef',
        );
        break;
      case 'PersistentVolumeClaim': {
        const storageClass = str(spec.storageClassName);
        if (storageClass) add(located, find('StorageClass', storageClass), 'storageClassName');
        if (str(spec.volumeName)) add(located, find('PersistentVolume', str(spec.volumeName)), 'volumeName');
        break;
      }
      case 'RoleBinding':
        add(
          located,
          find(str(obj(object.roleRef).kind) ?? '', str(obj(object.roleRef).name), namespace),
          'roleRef',
        );
        for (const subject of arr(object.subjects)
          .map(obj)
          .filter((s) => s.kind === 'ServiceAccount')) {
          add(
            located,
            find('ServiceAccount', str(subject.name), str(subject.namespace) ?? namespace),
            'subject',
          );
        }
        break;
      case 'VirtualCluster':
        add(located, find('Role', EMR_CONTAINERS_USER, namespace), 'EMR checks the namespace RBAC');
        add(located, find('RoleBinding', EMR_CONTAINERS_USER, namespace), 'EMR checks the namespace RBAC');
        break;
      case 'Job': {
        const pod = obj(obj(spec.template).spec);
        add(located, find('ServiceAccount', str(pod.serviceAccountName), namespace), 'serviceAccountName');
        for (const volume of arr(pod.volumes).map(obj)) {
          const configMap = str(obj(volume.configMap).name);
          if (configMap) add(located, find('ConfigMap', configMap, namespace), 'configMap volume');
        }
        break;
      }
      case 'JobRun': {
        const from = obj(obj(spec.virtualClusterRef).from);
        add(
          located,
          find('VirtualCluster', str(from.name), str(from.namespace) ?? namespace),
          'virtualClusterRef',
        );
        add(located, find('Job', undefined, namespace), 'its artifacts are uploaded first');
        add(located, find('ConfigMap', undefined, YUNIKORN_NAMESPACE), 'its YuniKorn queue');
        break;
      }
    }
  }
  return found;
}

const label = ({ app, object }: Located) =>
  `${app}: ${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;

describe('SYNC_PHASES', () => {
  it('lists each kind (and namespace) in one phase only', () => {
    const selectors = SYNC_PHASES.flatMap((phase) =>
      phase.kinds.map((k) => `${k.group}/${k.kind}${k.namespace ? `@${k.namespace}` : ''}`),
    );
    expect(new Set(selectors).size).toBe(selectors.length);
  });

  it('has a phase for every cluster-scoped kind and every kind a team may deploy', () => {
    for (const kind of CLUSTER_SCOPED_KINDS) {
      const phase = SYNC_PHASES.find((p) => p.kinds.some((k) => k.kind === kind));
      expect(phase, kind).toBeDefined();
    }
    for (const { group, kind } of TEAM_NAMESPACED_KINDS) {
      const object = {
        apiVersion: group ? `${group}/v1` : 'v1',
        kind,
        metadata: { name: 'x', namespace: 'team' },
      };
      expect(() => syncWave(object)).not.toThrow();
    }
  });

  it('orders the phases as the platform comes up', () => {
    expect(SYNC_PHASES.map((phase) => phase.name)).toEqual([
      'argocd-projects',
      'cluster-definitions',
      'node-classes',
      'node-pools',
      'storage-and-queues',
      'namespaces',
      'namespace-config',
      'role-bindings',
      'virtual-clusters',
      'job-artifacts',
      'job-runs',
    ]);
  });
});

describe('syncWave', () => {
  const object = (apiVersion: string, kind: string, namespace?: string): K8sObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', ...(namespace === undefined ? {} : { namespace }) },
  });

  it('is the position of the phase in the table', () => {
    expect(syncWave(object('argoproj.io/v1alpha1', 'AppProject', 'argocd'))).toBe(0);
    expect(syncWave(object('karpenter.k8s.aws/v1', 'EC2NodeClass'))).toBe(2);
    expect(syncWave(object('emrcontainers.services.k8s.aws/v1alpha1', 'JobRun', 'a'))).toBe(
      SYNC_PHASES.length - 1,
    );
  });

  it('puts ConfigMaps in the YuniKorn namespace with the queues, other ConfigMaps with namespace config', () => {
    const phaseName = (o: K8sObject) => SYNC_PHASES[syncWave(o)]?.name;
    expect(phaseName(object('v1', 'ConfigMap', YUNIKORN_NAMESPACE))).toBe('storage-and-queues');
    expect(phaseName(object('v1', 'ConfigMap', 'emr-data-team-a'))).toBe('namespace-config');
  });

  it('matches the API group, not only the kind', () => {
    expect(() => syncWave(object('example.com/v1', 'Job', 'a'))).toThrow(
      'No sync wave for example.com/v1 Job "x" in namespace a: add its kind to SYNC_PHASES in argocd/sync-waves.ts, after the phases it depends on.',
    );
  });

  it('throws for a kind the table does not list', () => {
    expect(() => syncWave(object('v1', 'Secret', 'a'))).toThrow(
      /^No sync wave for v1 Secret "x" in namespace a/,
    );
    expect(() => syncWave(object('apps/v1', 'DaemonSet', 'a'))).toThrow(/SYNC_PHASES/);
  });

  it('reads the group of an apiVersion', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('rbac.authorization.k8s.io/v1')).toBe('rbac.authorization.k8s.io');
  });
});

describe('withSyncWaves', () => {
  const [env] = ENVIRONMENTS;
  if (env === undefined) throw new Error('no environment');
  const apps = appsWithJobs(env);

  it('annotates every object with its wave as a string and keeps other annotations', () => {
    const waved = withSyncWaves(apps);
    for (const [i, app] of waved.entries()) {
      for (const [j, { path, object }] of app.objects.entries()) {
        const original = apps[i]?.objects[j];
        expect(path).toBe(original?.path);
        const annotations = obj(object.metadata.annotations);
        expect(annotations[SYNC_WAVE_ANNOTATION]).toBe(String(syncWave(object)));
        expect({ ...annotations, [SYNC_WAVE_ANNOTATION]: undefined }).toEqual({
          ...obj(original?.object.metadata.annotations),
          [SYNC_WAVE_ANNOTATION]: undefined,
        });
      }
    }
    const jobRun = waved
      .flatMap((a) => a.objects)
      .find((o) => o.object.kind === 'JobRun' && o.object.metadata.name === 'taxi-0123abcd')?.object;
    expect(jobRun?.metadata.annotations).toEqual({
      [SYNC_WAVE_ANNOTATION]: '10',
      'services.k8s.aws/deletion-policy': 'retain',
    });
  });

  it('does not change its input', () => {
    const before = structuredClone(apps);
    withSyncWaves(apps);
    expect(apps).toEqual(before);
    expect(
      apps.flatMap((a) => a.objects).some((o) => SYNC_WAVE_ANNOTATION in obj(o.object.metadata.annotations)),
    ).toBe(false);
  });

  it('accepts an equal wave and rejects a different hand-set one', () => {
    const namespace: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } };
    const app = (wave: string): K8sApp[] => [
      {
        name: 'x',
        objects: [
          {
            path: 'x/_cluster/Namespace.a.yaml',
            object: {
              ...namespace,
              metadata: { ...namespace.metadata, annotations: { [SYNC_WAVE_ANNOTATION]: wave } },
            },
          },
        ],
      },
    ];
    expect(() => withSyncWaves(app('5'))).not.toThrow();
    expect(() => withSyncWaves(app('1'))).toThrow(
      'Namespace "a" sets argocd.argoproj.io/sync-wave: "1", but its phase in argocd/sync-waves.ts gives wave 5; remove the annotation or move the kind in SYNC_PHASES.',
    );
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('waves of environment %s', (_, env) => {
  const apps = appsWithJobs(env);
  const found = dependencies(apps);
  const appWaves = new Map(apps.map((app) => [app.name, applicationWave(app)]));

  it('finds the dependencies the table is about', () => {
    const kinds = new Set(found.map((d) => `${d.dependent.object.kind}->${d.dependency.object.kind}`));
    // Team apps hold claims only with FSx (EBS scratch claims are Spark's own, per pod).
    const claims = env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
    for (const edge of [
      'NodePool->EC2NodeClass',
      ...(claims ? ['PersistentVolumeClaim->StorageClass', 'PersistentVolumeClaim->PersistentVolume'] : []),
      'ConfigMap->Namespace',
      'RoleBinding->Role',
      'VirtualCluster->RoleBinding',
      'Job->ServiceAccount',
      'Job->ConfigMap',
      'JobRun->VirtualCluster',
      'JobRun->Job',
    ]) {
      expect(kinds, edge).toContain(edge);
    }
  });

  it('gives every dependency a lower wave than the object that needs it', () => {
    const violations = found
      .filter(({ dependent, dependency }) => syncWave(dependency.object) >= syncWave(dependent.object))
      .map((d) => `${label(d.dependent)} needs ${label(d.dependency)} (${d.why})`);
    expect(violations).toEqual([]);
  });

  it('syncs the app of a dependency in an earlier wave than the app that needs it', () => {
    const violations = found
      .filter(({ dependent, dependency }) => dependent.app !== dependency.app)
      .filter(
        ({ dependent, dependency }) =>
          (appWaves.get(dependency.app) ?? 0) >= (appWaves.get(dependent.app) ?? 0),
      )
      .map((d) => `${label(d.dependent)} needs ${label(d.dependency)}`);
    expect(violations).toEqual([]);
  });

  it('syncs every platform app before every team app', () => {
    const teamApps = new Set(env.teams.map((team) => `team-${team.name}`));
    const platform = apps.filter((app) => !teamApps.has(app.name)).map((app) => applicationWave(app));
    const teams = apps.filter((app) => teamApps.has(app.name)).map((app) => applicationWave(app));
    expect(Math.max(...platform)).toBeLessThan(Math.min(...teams));
  });
});
