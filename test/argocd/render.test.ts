import { describe, expect, it } from 'vitest';
import { renderArgoCd } from '../../argocd/render';
import { applicationWave, SYNC_WAVE_ANNOTATION, withSyncWaves } from '../../argocd/sync-waves';
import type { Application, AppProject } from '../../argocd/types';
import { teamNamespace } from '../../config/naming';
import type { Environment } from '../../config/schema';
import { renderManifests, type K8sApp, type K8sObject } from '../../manifests/render';
import { toYaml } from '../../lib/serialize';
import { validateSet } from '../../validation/validate';
import { SAMPLE_OUTPUTS } from '../helpers/manifests';
import { appsWithJobs, ENVIRONMENTS } from './helpers';
import { environmentModel } from '../helpers/model';

const [defaultEnv] = ENVIRONMENTS;
if (defaultEnv === undefined) throw new Error('no default environment');

function render(
  env: Environment,
  apps: readonly K8sApp[] = renderManifests(environmentModel(env, SAMPLE_OUTPUTS)),
) {
  return renderArgoCd(environmentModel(env, SAMPLE_OUTPUTS), apps);
}

const applications = (env: Environment, apps?: readonly K8sApp[]) =>
  render(env, apps)
    .map((file) => file.object)
    .filter((object): object is K8sObject & Application => object.kind === 'Application');
const projects = (env: Environment) =>
  render(env)
    .map((file) => file.object)
    .filter((object): object is K8sObject & AppProject => object.kind === 'AppProject');

function byName<T extends { metadata: { name: string } }>(objects: readonly T[], name: string): T {
  const found = objects.find((o) => o.metadata.name === name);
  if (found === undefined)
    throw new Error(`no ${name} (have ${objects.map((o) => o.metadata.name).join(', ')})`);
  return found;
}

/** Allow-lists whose empty value means something: "no kind at all" (absent means "every kind"). */
const MEANINGFUL_EMPTY = new Set(['clusterResourceWhitelist', 'namespaceResourceWhitelist']);

/** Empty arrays and objects anywhere in a value, by path. */
function emptyFields(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return MEANINGFUL_EMPTY.has(path.split('.').pop() ?? '') ? [] : [path];
    return value.flatMap((v, i) => emptyFields(v, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [path];
    return entries.flatMap(([k, v]) => emptyFields(v, `${path}.${k}`));
  }
  return typeof value === 'string' && value === '' && !path.endsWith('.group') ? [path] : [];
}

describe('renderArgoCd for the default environment', () => {
  const files = render(defaultEnv);

  it('matches the snapshot', () => {
    expect(files.map(({ path, object }) => `# ${path}\n${toYaml(object)}`).join('---\n')).toMatchSnapshot();
  });

  it('renders the projects first, then one Application per app, named <Kind>.<name>.yaml', () => {
    expect(files.map((file) => file.path)).toEqual([
      'AppProject.platform.yaml',
      'AppProject.team-emr-data-team-a.yaml',
      'AppProject.team-emr-data-team-b.yaml',
      'Application.karpenter.yaml',
      'Application.storage.yaml',
      'Application.yunikorn.yaml',
      'Application.team-emr-data-team-a.yaml',
      'Application.team-emr-data-team-b.yaml',
    ]);
    for (const { object } of files) expect(object.metadata.namespace).toBe('argocd');
  });

  it('gives the platform project exactly the cluster-scoped kinds of the platform apps', () => {
    const platform = byName(projects(defaultEnv), 'platform');
    expect(platform.spec.clusterResourceWhitelist).toEqual([
      { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
      { group: 'karpenter.sh', kind: 'NodePool' },
      { group: 'storage.k8s.io', kind: 'StorageClass' },
    ]);
    expect(platform.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc' },
      { server: 'https://kubernetes.default.svc', namespace: 'yunikorn' },
    ]);
    expect(platform.spec.sourceRepos).toEqual([defaultEnv.gitops.repoUrl]);
  });

  it('confines a team project to its namespace and its own Namespace object', () => {
    const project = byName(projects(defaultEnv), 'team-emr-data-team-a');
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'emr-data-team-a' },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'emr-data-team-a' },
    ]);
    expect(project.spec.orphanedResources?.warn).toBe(true);
    const { destinations, clusterResourceWhitelist, namespaceResourceWhitelist } = project.spec;
    expect(
      JSON.stringify([destinations, clusterResourceWhitelist, namespaceResourceWhitelist]),
    ).not.toContain('*');
  });

  it('syncs a team app with pruning, self-heal, backoff and the JobRun field ACK writes ignored', () => {
    const app = byName(applications(defaultEnv), 'team-emr-data-team-a');
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.spec.project).toBe('team-emr-data-team-a');
    expect(app.spec.source).toEqual({
      repoURL: defaultEnv.gitops.repoUrl,
      targetRevision: defaultEnv.gitops.revision,
      path: 'dist/default/k8s/team-emr-data-team-a',
      directory: { recurse: true },
    });
    expect(app.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'emr-data-team-a',
    });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.retry).toEqual({
      limit: 5,
      backoff: { duration: '10s', factor: 2, maxDuration: '3m' },
    });
    expect(app.spec.syncPolicy.syncOptions).toEqual([
      'FailOnSharedResource=true',
      'PrunePropagationPolicy=foreground',
      'RespectIgnoreDifferences=true',
      'ServerSideApply=true',
    ]);
    expect(app.spec.ignoreDifferences).toEqual([
      {
        group: 'emrcontainers.services.k8s.aws',
        kind: 'JobRun',
        jsonPointers: ['/spec/configurationOverrides'],
      },
    ]);
    expect(JSON.stringify(app)).not.toContain('Prune=false');
  });

  it('uses server-side apply only for apps with ConfigMaps, and no namespace for cluster-scoped apps', () => {
    const apps = applications(defaultEnv);
    expect(byName(apps, 'karpenter').spec.syncPolicy.syncOptions).toBeUndefined();
    expect(byName(apps, 'karpenter').spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
    expect(byName(apps, 'storage').spec.syncPolicy.syncOptions).toBeUndefined();
    expect(byName(apps, 'yunikorn').spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
    expect(byName(apps, 'yunikorn').spec.ignoreDifferences).toBeUndefined();
  });

  it('orders projects before platform apps before team apps', () => {
    const wave = (object: K8sObject) =>
      Number(
        object.metadata.annotations &&
          (object.metadata.annotations as Record<string, string>)[SYNC_WAVE_ANNOTATION],
      );
    const waves = new Map(
      files.map(({ object }) => [`${object.kind}/${object.metadata.name}`, wave(object)]),
    );
    expect(Object.fromEntries(waves)).toEqual({
      'AppProject/platform': 0,
      'AppProject/team-emr-data-team-a': 0,
      'AppProject/team-emr-data-team-b': 0,
      'Application/karpenter': 2,
      'Application/storage': 4,
      'Application/yunikorn': 4,
      'Application/team-emr-data-team-a': 5,
      'Application/team-emr-data-team-b': 5,
    });
  });

  it('is valid against the pinned Argo CD CRDs and the project checks', () => {
    const documents = [
      ...withSyncWaves(renderManifests(environmentModel(defaultEnv, SAMPLE_OUTPUTS))).flatMap((app) =>
        app.objects.map(({ path, object }) => ({ file: `dist/default/k8s/${path}`, object })),
      ),
      ...files.map(({ path, object }) => ({ file: `dist/default/argocd/${path}`, object })),
    ];
    const findings = validateSet({ documents }).filter((finding) => finding.file.includes('/argocd/'));
    expect(findings).toEqual([]);
  });

  it('does not depend on anything but its inputs', () => {
    expect(render(defaultEnv)).toEqual(files);
    const apps = renderManifests(environmentModel(defaultEnv, SAMPLE_OUTPUTS));
    const before = structuredClone(apps);
    renderArgoCd(environmentModel(defaultEnv, SAMPLE_OUTPUTS), apps);
    expect(apps).toEqual(before);
  });
});

describe('the schema check catches a misspelt field', () => {
  it('reports an unknown field of an Application', () => {
    const [file] = render(defaultEnv).filter((f) => f.object.kind === 'Application');
    if (file === undefined) throw new Error('no Application');
    const broken = structuredClone(file.object) as K8sObject & { spec: Record<string, unknown> };
    broken.spec.syncOptions = ['ServerSideApply=true'];
    const findings = validateSet({ documents: [{ file: 'dist/default/argocd/x.yaml', object: broken }] });
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('environment %s', (_, env) => {
  const apps = appsWithJobs(env);
  const files = render(env, apps);

  it('points every Application at a folder of the render, and every folder has one', () => {
    const folders = new Set(
      renderManifests(environmentModel(env, SAMPLE_OUTPUTS)).flatMap((app) =>
        app.objects.map(({ path }) => `dist/${env.name}/k8s/${path.split('/')[0] ?? ''}`),
      ),
    );
    const paths = applications(env, apps).map((app) => app.spec.source.path);
    expect(new Set(paths)).toEqual(folders);
    expect(paths.length).toBe(folders.size);
  });

  it('gives each team app its own project, namespace and wave after every platform app', () => {
    const all = applications(env, apps);
    for (const team of env.teams) {
      const app = byName(all, `team-${team.name}`);
      expect(app.spec.project).toBe(`team-${team.name}`);
      expect(app.spec.destination.namespace).toBe(teamNamespace(team));
    }
    const platformWaves = all
      .filter((a) => a.spec.project === 'platform')
      .map((a) => Number(a.metadata.annotations[SYNC_WAVE_ANNOTATION]));
    const teamWaves = all
      .filter((a) => a.spec.project !== 'platform')
      .map((a) => Number(a.metadata.annotations[SYNC_WAVE_ANNOTATION]));
    expect(Math.max(...platformWaves)).toBeLessThan(Math.min(...teamWaves));
    for (const app of apps) {
      expect(byName(all, app.name).metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe(
        String(applicationWave(app)),
      );
    }
  });

  it('renders no empty fields', () => {
    expect(files.flatMap(({ path, object }) => emptyFields(object, path))).toEqual([]);
  });

  it('is valid against the pinned Argo CD CRDs', () => {
    const findings = validateSet({
      documents: files.map(({ path, object }) => ({ file: `dist/${env.name}/argocd/${path}`, object })),
    });
    expect(findings).toEqual([]);
  });
});

describe('renderArgoCd refuses', () => {
  const apps = renderManifests(environmentModel(defaultEnv, SAMPLE_OUTPUTS));

  it('a team app with a kind its project does not allow', () => {
    const withSecret = apps.map((app) =>
      app.name !== 'team-emr-data-team-a'
        ? app
        : {
            ...app,
            objects: [
              ...app.objects,
              {
                path: 'team-emr-data-team-a/emr-data-team-a/Secret.x.yaml',
                object: {
                  apiVersion: 'v1',
                  kind: 'Secret',
                  metadata: { name: 'x', namespace: 'emr-data-team-a' },
                },
              },
            ],
          },
    );
    expect(() => renderArgoCd(environmentModel(defaultEnv, SAMPLE_OUTPUTS), withSecret)).toThrow(
      'AppProject team-emr-data-team-a does not permit app team-emr-data-team-a: v1 Secret x in emr-data-team-a. Allow the kind in argocd/projects.ts or move the object to another app.',
    );
  });

  it('a team app that reaches into another namespace', () => {
    const crossing = apps.map((app) =>
      app.name !== 'team-emr-data-team-a'
        ? app
        : {
            ...app,
            objects: [
              ...app.objects,
              {
                path: 'team-emr-data-team-a/emr-data-team-b/ConfigMap.x.yaml',
                object: {
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  metadata: { name: 'x', namespace: 'emr-data-team-b' },
                },
              },
            ],
          },
    );
    expect(() => renderArgoCd(environmentModel(defaultEnv, SAMPLE_OUTPUTS), crossing)).toThrow(
      'AppProject team-emr-data-team-a does not permit app team-emr-data-team-a: v1 ConfigMap x in emr-data-team-b.',
    );
  });

  it('an app that spans several namespaces', () => {
    const spread = apps.map((app) =>
      app.name !== 'yunikorn'
        ? app
        : {
            ...app,
            objects: [
              ...app.objects,
              {
                path: 'yunikorn/kube-system/ConfigMap.x.yaml',
                object: {
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  metadata: { name: 'x', namespace: 'kube-system' },
                },
              },
            ],
          },
    );
    expect(() => renderArgoCd(environmentModel(defaultEnv, SAMPLE_OUTPUTS), spread)).toThrow(
      'App yunikorn spans several namespaces (yunikorn, kube-system); an Application deploys to one.',
    );
  });

  it('a team without an app', () => {
    expect(() =>
      renderArgoCd(
        environmentModel(defaultEnv, SAMPLE_OUTPUTS),
        apps.filter((app) => app.name !== 'team-emr-data-team-b'),
      ),
    ).toThrow('Team emr-data-team-b has no app team-emr-data-team-b to deploy.');
  });
});
