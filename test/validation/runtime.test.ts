/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   the tests edit rendered YAML trees in place. */
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../config/schema';
import { renderArgoCd } from '../../argocd/render';
import { withSyncWaves } from '../../argocd/sync-waves';
import { renderManifests } from '../../manifests/render';
import type { PodTemplate } from '../../validation/cross-checks';
import { FindingSink } from '../../validation/findings';
import { admitPods, effective } from '../../validation/kinds/pod/admission';
import { uploads } from '../../validation/kinds/jobrun/content-address';
import { jobRunPods } from '../../validation/kinds/jobrun/pods';
import type { ModelContainer } from '../../validation/kinds/pod/model';
import { RuntimeObjects } from '../../validation/runtime/objects';
import { validateSet, type SourceDocument, type ValidationSet } from '../../validation/validate';
import { ENVIRONMENTS } from '../argocd/helpers';
import { SAMPLE_OUTPUTS } from '../helpers/manifests';
import { synthStacks } from '../helpers/terraform';
import { defaultSet, fileEnding, findings, mutate, type Tree } from './helpers';
import { environmentModel } from '../helpers/model';

const MI = 2 ** 20;
const RUNTIME_RULES = /^(sync|admission|content|pod|cross\.fit|yunikorn\.task-groups-overhead)/;

function container(name: string, cpu: number, memoryMiB: number, sidecar = false): ModelContainer {
  return {
    name,
    requests: new Map([
      ['cpu', cpu],
      ['memory', memoryMiB * MI],
    ]),
    limits: new Map(),
    sidecar,
    origin: 'template',
  };
}

function objectsOf(set: ValidationSet): RuntimeObjects {
  return new RuntimeObjects(set.documents.map((d) => ({ file: d.file, object: d.object as Tree })));
}

const rules = (set: ValidationSet, pattern: RegExp) => findings(set).filter((f) => pattern.test(f.rule));

describe("Kubernetes' effective pod request", () => {
  it('is the sum of the containers, or the largest init container when that is larger', () => {
    const sum = effective(
      [container('init', 0.5, 100)],
      [container('a', 1, 1000), container('b', 0.1, 512)],
      'requests',
    );
    expect(sum.get('cpu')).toBeCloseTo(1.1);
    expect(sum.get('memory')).toBe(1512 * MI);
    const init = effective([container('init', 4, 8000)], [container('a', 1, 1000)], 'requests');
    expect(init.get('cpu')).toBe(4);
    expect(init.get('memory')).toBe(8000 * MI);
  });

  it('adds native sidecars to the containers and to every init container started after them', () => {
    const pod = effective(
      [container('before', 2, 100), container('sidecar', 0.1, 512, true), container('after', 1, 100)],
      [container('main', 1, 1000)],
      'requests',
    );
    // main + sidecar = 1.1 / 1512; "before" alone = 2 / 100; "after" + sidecar = 1.1 / 612.
    expect(pod.get('cpu')).toBe(2);
    expect(pod.get('memory')).toBe(1512 * MI);
  });
});

describe('the pods EMR creates for a JobRun', () => {
  const set = defaultSet();
  const objects = objectsOf(set);
  const run = objects.ofKind('JobRun').find((o) => o.name.startsWith('taxi-yunikorn-gang-'));
  const templates = validateSetTemplates(set);
  const pods = run === undefined ? [] : jobRunPods(run, templates);
  const admitted = admitPods(new FindingSink(), pods, objects);
  const byRole = new Map(admitted.map((a) => [a.pod.role, a]));

  it('are a job submitter, a driver and the executors', () => {
    expect(pods.map((p) => [p.role, p.count])).toEqual([
      ['job-submitter', 1],
      ['driver', 1],
      ['executor', 2],
    ]);
  });

  it('size the driver as Spark with overhead plus the logging container: 1.1 CPU and 6246Mi', () => {
    const driver = byRole.get('driver');
    expect(driver?.containers.map((c) => c.name)).toEqual(['spark-kubernetes-driver', 'emr-logging']);
    expect(driver?.requests.get('cpu')).toBeCloseTo(1.1);
    expect(driver?.requests.get('memory')).toBe(6246 * MI);
    expect(driver?.pod.annotations['karpenter.sh/do-not-disrupt']).toBe('true');
  });

  it('place the job submitter on the core node group, kept from Cluster Autoscaler', () => {
    const submitter = byRole.get('job-submitter');
    expect(submitter?.pod.nodeSelector).toEqual({ NodeGroupType: 'core' });
    expect(submitter?.pod.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
    // job-runner has no documented resources: the LimitRange defaults its requests (100m / 256Mi)
    // and, with no default limit, gives neither EMR container a limit.
    expect(submitter?.containers.map((c) => [c.name, c.requests.get('cpu'), c.limits.get('memory')])).toEqual(
      [
        ['job-runner', 0.1, undefined],
        ['emr-logging', 0.1, undefined],
      ],
    );
  });
});

/** The Spark pod templates of a set, as the validator collects them from the ConfigMaps. */
function validateSetTemplates(set: ValidationSet): PodTemplate[] {
  const found: PodTemplate[] = [];
  for (const { file, object } of set.documents) {
    const o = object as Tree;
    if (o.kind !== 'ConfigMap' || o.metadata.name !== 'spark-pod-templates') continue;
    for (const [key, text] of Object.entries(o.data as Record<string, string>)) {
      found.push({
        file,
        path: `$.data['${key}']`,
        key,
        namespace: o.metadata.namespace,
        pod: load(text) as Tree,
      });
    }
  }
  return found;
}

/** One environment rendered as synth does (FSx outputs from the test sample), with its Terraform. */
function environmentSet(env: Environment): ValidationSet {
  const apps = withSyncWaves(renderManifests(environmentModel(env, SAMPLE_OUTPUTS)));
  const documents: SourceDocument[] = [
    ...apps.flatMap((app) =>
      app.objects.map(({ path, object }) => ({ file: `${env.name}/k8s/${path}`, object })),
    ),
    ...renderArgoCd(environmentModel(env, SAMPLE_OUTPUTS), apps).map(({ path, object }) => ({
      file: `${env.name}/argocd/${path}`,
      object,
    })),
  ];
  return { documents, terraform: Object.values(synthStacks(env)) };
}

describe('the first sync of an empty cluster', () => {
  it.each(ENVIRONMENTS.map((env) => [env.name, env] as const))(
    'reaches the last wave of every app of environment %s, and every pod is admitted and placed',
    (name, env) => {
      expect(
        validateSet(environmentSet(env)).filter((f) => RUNTIME_RULES.test(f.rule)),
        name,
      ).toEqual([]);
    },
  );

  it('holds the root application at the wave of an app that never becomes Healthy', () => {
    const set = defaultSet([
      {
        file: 'default/k8s/storage/kube-system/PersistentVolumeClaim.orphan.yaml',
        object: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: 'orphan',
            namespace: 'kube-system',
            annotations: { 'argocd.argoproj.io/sync-wave': '4' },
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'gp3',
            resources: { requests: { storage: '1Gi' } },
          },
        },
      },
    ]);
    const sync = rules(set, /^sync\./).map((f) => `${f.rule} ${f.file.split('/').pop()}`);
    expect(sync).toEqual([
      'sync.never-healthy PersistentVolumeClaim.orphan.yaml',
      'sync.wave-blocked Application.storage.yaml',
    ]);
    expect(rules(set, /^sync\./)[1]?.message).toContain('never applies wave 5 of the root application');
  });

  it('waits for any batch/v1 Job by its health: complete once its pods can start', () => {
    const seed = (spec: Tree): ValidationSet =>
      defaultSet([
        {
          file: 'default/k8s/team-emr-data-team-a/emr-data-team-a/Job.seed-input.yaml',
          object: {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: 'seed-input',
              namespace: 'emr-data-team-a',
              annotations: { 'argocd.argoproj.io/sync-wave': '9', 'argocd.argoproj.io/hook': 'Sync' },
            },
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [
                    {
                      name: 'copy',
                      image: 'public.ecr.aws/aws-cli/aws-cli:2.37.9',
                      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
                    },
                  ],
                  ...spec,
                },
              },
            },
          },
        },
      ]);
    expect(rules(seed({ serviceAccountName: 'emr-artifact-uploader' }), /^sync\./)).toEqual([]);
    const missing = rules(seed({ serviceAccountName: 'seed-input' }), /^sync\./);
    // The team app stops at wave 9, so the root application's Application never becomes Healthy.
    expect(missing.map((f) => [f.rule, f.file.split('/').pop()])).toEqual([
      ['sync.wave-blocked', 'Job.seed-input.yaml'],
      ['sync.never-healthy', 'Application.team-emr-data-team-a.yaml'],
    ]);
    expect(missing[0]?.message).toContain('never creates its pods: it runs as ServiceAccount seed-input');
    const withJob = seed({});
    const blocked = rules(
      mutate(withJob, fileEnding(withJob, 'Job.seed-input.yaml'), (o) => {
        o.spec.suspend = true;
      }),
      /^sync\./,
    );
    expect(blocked.map((f) => f.rule)).toEqual(['sync.wave-blocked', 'sync.never-healthy']);
    expect(blocked[0]?.message).toContain('is suspended');
  });
});

describe('the upload Jobs', () => {
  it('ship every artifact a JobRun reads, with the sha256 of the bytes in its ConfigMap', () => {
    const objects = objectsOf(defaultSet());
    const shipped = uploads(objects);
    const podTemplates = objects.find('ConfigMap', 'spark-pod-templates', 'emr-data-team-a');
    const jobFiles = objects.find('ConfigMap', 'spark-job-files', 'emr-data-team-a');
    const entries =
      Object.keys(podTemplates?.object.data ?? {}).length + Object.keys(jobFiles?.object.data ?? {}).length;
    expect(shipped.filter((u) => u.job.namespace === 'emr-data-team-a')).toHaveLength(entries);
    expect(shipped.every((u) => u.source !== undefined)).toBe(true);
  });
});
