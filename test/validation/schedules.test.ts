/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { describe, expect, it } from 'vitest';
import { devWithJobs } from '../helpers/platform-with-jobs';
import type { Environment } from '../../config/schema';
import type { ValidationSet } from '../../validation/validate';
import { validateSet } from '../../validation/validate';
import { edited, findingsOf, fixtureSet } from './fixture-runtime';
import type { Tree } from './helpers';

const A = 'emr-data-team-a';
const PI = 'local:///usr/lib/spark/examples/src/main/python/pi.py';

const devWith = (jobs: readonly Tree[], change?: (env: Tree) => void): Environment =>
  devWithJobs(jobs, change);

const sized = (instances: number) => ({ executor: { cores: 4, memory: '8g', instances } });
const JOBS: Tree[] = [
  { name: 'ingest', script: PI, schedule: { cron: '0 2 * * *', timeZone: 'Europe/Berlin' } },
  { name: 'aggregate', script: PI, after: ['ingest'], retry: { attempts: 3, backoff: '10m' } },
  { name: 'backfill', script: PI, retry: { attempts: 2 } },
];
const base = fixtureSet(devWith(JOBS));
const CRON = `${A}/CronJob.launch-ingest.yaml`;
const ROLE = `${A}/Role.job-launcher.yaml`;
const LAUNCHER = new RegExp(`/${A}/ConfigMap\\.job-launcher-[0-9a-f]{8}\\.yaml$`);
const TEMPLATE = new RegExp(`/${A}/ConfigMap\\.jobrun-ingest-[0-9a-f]{8}\\.yaml$`);

const rules = (set: ValidationSet) => validateSet(set).map((f) => f.rule);
const podOf = (o: Tree) => o.spec.jobTemplate.spec.template.spec;

describe('the job launcher, validated', () => {
  it('passes with a schedule, an after and a retry', () => {
    expect(validateSet(base)).toEqual([]);
  });

  it('refuses a Role wider than create, list, get and delete of JobRuns', () => {
    for (const change of [
      (o: Tree) => o.rules[0].verbs.push('patch'),
      (o: Tree) => o.rules[0].resources.push('pods'),
      (o: Tree) => o.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }),
    ]) {
      expect(findingsOf(edited(base, ROLE, change), 'launcher.rbac')).toHaveLength(1);
    }
  });

  it('refuses a launcher on the default service account, or bound to a ClusterRole', () => {
    const unbound = edited(base, CRON, (o) => (podOf(o).serviceAccountName = 'default'));
    expect(findingsOf(unbound, 'launcher.rbac')).toHaveLength(1);
    const cluster = edited(
      base,
      `${A}/RoleBinding.job-launcher.yaml`,
      (o) => (o.roleRef.kind = 'ClusterRole'),
    );
    expect(findingsOf(cluster, 'launcher.rbac').length).toBeGreaterThan(0);
  });

  it('refuses an image that is not pinned', () => {
    for (const image of ['node:latest', 'public.ecr.aws/docker/library/node', 'node:lts-alpine']) {
      const set = edited(base, CRON, (o) => (podOf(o).containers[0].image = image));
      expect(findingsOf(set, 'launcher.image'), image).toHaveLength(1);
    }
  });

  it('refuses a launcher pod that breaks Pod Security restricted', () => {
    const changes: [string, (spec: Tree) => void][] = [
      ['privilege escalation', (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation],
      ['capabilities', (s) => (s.containers[0].securityContext.capabilities.drop = [])],
      [
        'root',
        (s) => {
          delete s.securityContext.runAsNonRoot;
          delete s.containers[0].securityContext.runAsNonRoot;
        },
      ],
      ['seccomp', (s) => delete s.securityContext.seccompProfile],
      ['hostPath', (s) => s.volumes.push({ name: 'host', hostPath: { path: '/' } })],
    ];
    for (const [what, change] of changes) {
      const set = edited(base, CRON, (o) => change(podOf(o)));
      expect(findingsOf(set, 'launcher.pod-security-restricted').length, what).toBeGreaterThan(0);
    }
  });

  it('refuses a schedule that does not parse, a time zone that does not exist, a date that never comes', () => {
    expect(rules(edited(base, CRON, (o) => (o.spec.schedule = '0 2 * *')))).toContain('schedule.cron');
    expect(rules(edited(base, CRON, (o) => (o.spec.schedule = '0 0 30 2 *')))).toContain('schedule.cron');
    expect(rules(edited(base, CRON, (o) => (o.spec.timeZone = 'Mars/Olympus')))).toContain(
      'schedule.time-zone',
    );
  });

  it('refuses a template that Argo CD would track, and checks it as a JobRun', () => {
    const tracked = edited(base, TEMPLATE, (o) => {
      const template = JSON.parse(o.data['jobrun.json']);
      template.metadata.annotations['argocd.argoproj.io/tracking-id'] = 'team-emr-data-team-a:x';
      o.data['jobrun.json'] = JSON.stringify(template);
    });
    expect(findingsOf(tracked, 'launcher.template-tracked')).toHaveLength(1);
    const broken = edited(base, TEMPLATE, (o) => {
      const template = JSON.parse(o.data['jobrun.json']);
      delete template.spec.virtualClusterRef;
      o.data['jobrun.json'] = JSON.stringify(template);
    });
    expect(rules(broken).some((r) => r.startsWith('jobrun.'))).toBe(true);
  });

  it('refuses a cycle or an unknown job in the launcher order', () => {
    const cycle = edited(base, LAUNCHER, (o) => {
      const config = JSON.parse(o.data['launcher.json']);
      config.jobs.ingest = { ...config.jobs.backfill, after: ['aggregate'] };
      o.data['launcher.json'] = JSON.stringify(config);
    });
    expect(findingsOf(cycle, 'schedule.after-cycle')).toHaveLength(1);
    const unknown = edited(base, LAUNCHER, (o) => {
      const config = JSON.parse(o.data['launcher.json']);
      config.jobs.aggregate.after = ['ingets'];
      o.data['launcher.json'] = JSON.stringify(config);
    });
    expect(findingsOf(unknown, 'schedule.after-unknown')).toHaveLength(1);
  });

  it("reports a schedule that starts runs inside its node pool's disruption freeze", () => {
    const frozen = devWith(JOBS, (dev) => {
      (dev.nodePools as Tree[])[0]!.disruption = {
        maxUnavailable: '10%',
        freezeWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], startUtc: '00:00', hours: 3 }],
      };
    });
    const found = findingsOf(fixtureSet(frozen), 'schedule.freeze-overlap');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('launch-ingest');
    expect(found[0]?.message).toContain('NodePool spark-compute');
    const clear = devWith(JOBS, (dev) => {
      (dev.nodePools as Tree[])[0]!.disruption = {
        maxUnavailable: '10%',
        freezeWindows: [{ days: ['mon'], startUtc: '12:00', hours: 3 }],
      };
    });
    expect(findingsOf(fixtureSet(clear), 'schedule.freeze-overlap')).toEqual([]);
  });

  it('reports jobs that start in the same minute and together exceed the team quota', () => {
    // Each fits the 200-CPU budget alone (25 executors of 4 cores); together they do not.
    const twins = (second: string) =>
      devWith([
        { name: 'left', script: PI, ...sized(25), schedule: { cron: '0 3 * * *' } },
        { name: 'right', script: PI, ...sized(25), schedule: { cron: second } },
      ]);
    const found = findingsOf(fixtureSet(twins('0 3 * * *')), 'schedule.quota-same-minute');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/^left, right start in the same minute/);
    expect(findingsOf(fixtureSet(twins('30 3 * * *')), 'schedule.quota-same-minute')).toEqual([]);
  });
});
