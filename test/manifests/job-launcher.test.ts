import { describe, expect, it } from 'vitest';
import { teamProject } from '../../argocd/projects';
import { SYNC_PHASES, syncWave } from '../../argocd/sync-waves';
import { versions } from '../../config/versions';
import type { K8sObject } from '../../manifests/render';
import { apps, get, objectsOf } from '../helpers/manifests';
import { devWithJobs } from '../helpers/platform-with-jobs';

const PI = 'local:///usr/lib/spark/examples/src/main/python/pi.py';
const JOBS = [
  { name: 'ingest', script: PI, schedule: { cron: '0 2 * * *', timeZone: 'Europe/Berlin', keep: 3 } },
  { name: 'aggregate', script: PI, after: ['ingest'], retry: { attempts: 3, backoff: '10m' } },
  { name: 'backfill', script: PI, retry: { attempts: 2 } },
  { name: 'plain', script: PI },
];
const env = devWithJobs(JOBS);
const objects = objectsOf(apps(env).get('team-emr-data-team-a'));
const all = [...objects.values()];
const named = (kind: string, prefix: string) =>
  all.filter((o) => o.kind === kind && o.metadata.name.startsWith(prefix));

/** Loosely typed views of the objects this test reads. */
interface CronJobJson {
  spec: {
    schedule: string;
    timeZone: string;
    jobTemplate: {
      spec: {
        template: {
          spec: {
            serviceAccountName: string;
            automountServiceAccountToken: boolean;
            securityContext: Record<string, unknown>;
            containers: { image: string; command: string[]; securityContext: Record<string, unknown> }[];
            volumes: { projected: { sources: { configMap: { name: string } }[] } }[];
          };
        };
      };
    };
  };
}
const cron = (name: string) => get(objects, `CronJob/${name}`) as unknown as K8sObject & CronJobJson;
const podOf = (name: string) => cron(name).spec.jobTemplate.spec.template.spec;
const template = (job: string) => {
  const [map] = named('ConfigMap', `jobrun-${job}-`);
  return JSON.parse((map?.data as Record<string, string>)['jobrun.json'] ?? '{}') as K8sObject & {
    spec: object;
  };
};

describe('the job launcher, rendered', () => {
  it('renders one launch CronJob per scheduled job and one follow-up for after and retry', () => {
    expect(all.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name)).toEqual([
      'launch-ingest',
      'job-follow-up',
    ]);
    expect(cron('launch-ingest').spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Europe/Berlin' });
    expect(podOf('launch-ingest').containers[0]?.command).toEqual([
      'node',
      '/launcher/launcher.js',
      'tick',
      'ingest',
    ]);
    expect(cron('job-follow-up').spec).toMatchObject({ schedule: '* * * * *', timeZone: 'UTC' });
    expect(podOf('job-follow-up').containers[0]?.command).toEqual([
      'node',
      '/launcher/launcher.js',
      'follow-up',
    ]);
  });

  it('commits a JobRun only for jobs Argo CD starts; the launcher starts the others from their templates', () => {
    expect(
      named('JobRun', '').map((o) => (o.metadata.labels as Record<string, string>)['emr-eks-gitops/job']),
    ).toEqual(['backfill', 'plain']);
    expect(named('ConfigMap', 'jobrun-').map((o) => o.metadata.name.replace(/-[0-9a-f]{8}$/, ''))).toEqual([
      'jobrun-ingest',
      'jobrun-aggregate',
      'jobrun-backfill',
    ]);
    // A retried one-shot job: its committed JobRun is the first attempt, labelled for the launcher.
    const [backfill] = named('JobRun', 'backfill-');
    const hash = backfill?.metadata.name.slice('backfill-'.length) ?? '';
    expect(backfill?.metadata.labels).toEqual({
      'emr-eks-gitops/team': 'emr-data-team-a',
      'emr-eks-gitops/job': 'backfill',
      'emr-eks-gitops/hash': hash,
      'emr-eks-gitops/run': hash,
      'emr-eks-gitops/tick': 'once',
      'emr-eks-gitops/attempt': '1',
    });
    // Jobs outside any chain keep their JobRun exactly as before.
    expect(Object.keys(named('JobRun', 'plain-')[0]?.metadata.labels ?? {}).sort()).toEqual([
      'emr-eks-gitops/job',
      'emr-eks-gitops/team',
    ]);
  });

  it('makes the template exactly the one-shot JobRun without its name', () => {
    const oneShot = objectsOf(
      apps(devWithJobs([{ name: 'ingest', script: PI }])).get('team-emr-data-team-a'),
    );
    const [committed] = [...oneShot.values()].filter((o) => o.kind === 'JobRun');
    const { name, ...spec } = committed?.spec as { name: string };
    const t = template('ingest');
    expect(t.spec).toEqual(spec);
    expect(t.metadata).toEqual({
      namespace: committed?.metadata.namespace,
      labels: committed?.metadata.labels,
      annotations: committed?.metadata.annotations,
    });
    expect(named('ConfigMap', 'jobrun-ingest-')[0]?.metadata.name).toBe(`jobrun-${name}`);
  });

  it('changes the template name, and so the CronJob, with any change of the job', () => {
    const other = objectsOf(
      apps(devWithJobs([{ ...JOBS[0], arguments: ['20'] }, ...JOBS.slice(1)])).get('team-emr-data-team-a'),
    );
    const mounted = (from: typeof objects) =>
      (
        (get(from, 'CronJob/launch-ingest') as unknown as CronJobJson).spec.jobTemplate.spec.template.spec
          .volumes[0]?.projected.sources ?? []
      ).map((s) => s.configMap.name);
    expect(mounted(other)).not.toEqual(mounted(objects));
    expect(mounted(other).find((n) => n.startsWith('jobrun-ingest-'))).not.toBe(
      mounted(objects).find((n) => n.startsWith('jobrun-ingest-')),
    );
  });

  it('gives the launcher a Role that may only create, list, get and delete JobRuns', () => {
    expect(get(objects, 'Role/job-launcher')).toMatchObject({
      rules: [
        {
          apiGroups: ['emrcontainers.services.k8s.aws'],
          resources: ['jobruns'],
          verbs: ['create', 'delete', 'get', 'list'],
        },
      ],
    });
    expect((get(objects, 'Role/job-launcher') as unknown as { rules: unknown[] }).rules).toHaveLength(1);
    expect(get(objects, 'RoleBinding/job-launcher')).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'job-launcher', namespace: 'emr-data-team-a' }],
      roleRef: { kind: 'Role', name: 'job-launcher' },
    });
    expect(get(objects, 'ServiceAccount/job-launcher')).toMatchObject({
      automountServiceAccountToken: false,
    });
    for (const name of ['launch-ingest', 'job-follow-up']) {
      expect(podOf(name).serviceAccountName).toBe('job-launcher');
      expect(podOf(name).automountServiceAccountToken).toBe(true);
    }
  });

  it('runs the pinned Node.js image as Pod Security restricted', () => {
    expect(versions.nodeImage).toMatch(
      /^public\.ecr\.aws\/docker\/library\/node:\d+\.\d+\.\d+-alpine\d+\.\d+$/,
    );
    for (const name of ['launch-ingest', 'job-follow-up']) {
      const pod = podOf(name);
      expect(pod.containers.map((c) => c.image)).toEqual([versions.nodeImage]);
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.containers[0]?.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('syncs the CronJobs with the JobRuns, and Argo CD leaves the runs the launcher creates alone', () => {
    expect(SYNC_PHASES[syncWave(cron('launch-ingest'))]?.name).toBe('job-runs');
    const project = teamProject(env, env.teams[0]!);
    expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'batch', kind: 'CronJob' });
    expect(project.spec.orphanedResources?.ignore).toEqual(
      expect.arrayContaining(
        ['ingest', 'aggregate', 'backfill'].map((job) => ({
          group: 'emrcontainers.services.k8s.aws',
          kind: 'JobRun',
          name: `${job}-*`,
        })),
      ),
    );
    expect(project.spec.orphanedResources?.ignore).not.toContainEqual(
      expect.objectContaining({ kind: 'JobRun', name: 'plain-*' }),
    );
    // Team b has no launched job: no CronJob in its project.
    const b = teamProject(env, env.teams[1]!);
    expect(b.spec.namespaceResourceWhitelist).not.toContainEqual({ group: 'batch', kind: 'CronJob' });
  });
});
