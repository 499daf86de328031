import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LAUNCHER_SCRIPT } from '../../manifests/launcher/launcher-script';

/** The launcher exactly as shipped in its ConfigMap, loaded as a CommonJS module (main not run). */
interface Launcher {
  hex8(text: string): string;
  tickLabel(ms: number): string;
  scheduledTick(kubeJob: string, cronJob: string, now: number): string;
  runName(job: string, key: string, attempt: number): string;
  observe(item: unknown): Run;
  planTick(config: Config, job: string, tick: string, runs: Run[], template: Template): Action[];
  planFollowUp(config: Config, runs: Run[], now: number, templates: (job: string) => Template): Action[];
}
interface Run {
  name: string;
  job?: string;
  hash?: string;
  run?: string;
  tick?: string;
  attempt: number;
  launched: boolean;
  state: string;
  created: number;
  changed: number;
}
interface Action {
  op: 'create' | 'delete' | 'skip';
  name?: string;
  why?: string;
  object?: {
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: { name: string };
  };
}
interface Template {
  apiVersion: string;
  kind: string;
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
}
interface Config {
  team: string;
  namespace: string;
  jobs: Record<string, unknown>;
}

function load(): Launcher {
  const module = { exports: {} as Launcher };
  const require = createRequire(__filename);
  runInNewContext(LAUNCHER_SCRIPT, { module, exports: module.exports, require, console, Buffer, process });
  return module.exports;
}
const launcher = load();

const template: Template = {
  apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
  kind: 'JobRun',
  metadata: {
    labels: { 'emr-eks-gitops/team': 'team-a', 'emr-eks-gitops/job': 'ingest' },
    annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
  },
  spec: { releaseLabel: 'emr-7.12.0-latest' },
};
const MIN = 60_000;
const T0 = Date.parse('2026-12-07T02:00:00Z');

/** A JobRun as the API server lists it. */
function item(name: string, labels: Record<string, string>, state: string, created = T0, changed?: number) {
  return {
    metadata: { name, labels, creationTimestamp: new Date(created).toISOString() },
    status: {
      state,
      conditions:
        changed === undefined
          ? []
          : [{ type: 'ACK.ResourceSynced', lastTransitionTime: new Date(changed).toISOString() }],
    },
  };
}
function runOf(
  job: string,
  tick: string,
  attempt: number,
  state: string,
  hash = 'aaaaaaaa',
  extra: Partial<Run> = {},
): Run {
  const key = tick === 'once' ? hash : launcher.hex8(`${hash}/${tick}`);
  return {
    ...launcher.observe(
      item(
        launcher.runName(job, key, attempt),
        {
          'emr-eks-gitops/job': job,
          'emr-eks-gitops/hash': hash,
          'emr-eks-gitops/run': key,
          'emr-eks-gitops/tick': tick,
          'emr-eks-gitops/attempt': String(attempt),
          'emr-eks-gitops/launched-by': 'launcher',
        },
        state,
      ),
    ),
    ...extra,
  };
}

const scheduled = (policy: string, keep = 2): Config => ({
  team: 'team-a',
  namespace: 'team-a',
  jobs: {
    ingest: { hash: 'aaaaaaaa', oneShot: false, after: [], schedule: { concurrencyPolicy: policy, keep } },
  },
});

describe('the launcher, tick', () => {
  it('reads the scheduled time from the Job name the CronJob controller gives, or ticks now by hand', () => {
    const minutes = T0 / MIN;
    expect(launcher.scheduledTick(`launch-ingest-${minutes}`, 'launch-ingest', T0 + 5 * MIN)).toBe(
      '20261207T0200Z',
    );
    expect(launcher.scheduledTick('ingest-now', 'launch-ingest', T0 + 5 * MIN + 1234)).toBe(
      '20261207T0205Z-manual',
    );
  });

  it('creates the tick run named from the job, its hash and the scheduled time, with the attempt label', () => {
    const actions = launcher.planTick(scheduled('Forbid'), 'ingest', '20261207T0200Z', [], template);
    expect(actions).toHaveLength(1);
    const made = actions[0]!;
    const key = launcher.hex8('aaaaaaaa/20261207T0200Z');
    expect(made.op).toBe('create');
    expect(made.object?.metadata.name).toBe(`ingest-${key}`);
    expect(made.object?.spec.name).toBe(`ingest-${key}`);
    expect(made.object?.metadata.labels).toEqual({
      'emr-eks-gitops/team': 'team-a',
      'emr-eks-gitops/job': 'ingest',
      'emr-eks-gitops/hash': 'aaaaaaaa',
      'emr-eks-gitops/run': key,
      'emr-eks-gitops/tick': '20261207T0200Z',
      'emr-eks-gitops/attempt': '1',
      'emr-eks-gitops/launched-by': 'launcher',
    });
    expect(made.object?.metadata.annotations).toEqual(template.metadata.annotations);
    // No Argo CD tracking annotation or label reaches the run.
    expect(JSON.stringify(made.object)).not.toMatch(/argocd\.argoproj\.io|app\.kubernetes\.io\/instance/);
  });

  it('does nothing when the tick already has its run (a retried launcher pod)', () => {
    const runs = [runOf('ingest', '20261207T0200Z', 1, 'RUNNING')];
    expect(
      launcher.planTick(scheduled('Allow'), 'ingest', '20261207T0200Z', runs, template).map((a) => a.op),
    ).toEqual(['skip']);
  });

  it('honours Forbid, Allow and Replace against the runs still going', () => {
    const going = [runOf('ingest', '20261206T0200Z', 1, 'RUNNING')];
    const tick = '20261207T0200Z';
    expect(launcher.planTick(scheduled('Forbid'), 'ingest', tick, going, template).map((a) => a.op)).toEqual([
      'skip',
    ]);
    expect(launcher.planTick(scheduled('Allow'), 'ingest', tick, going, template).map((a) => a.op)).toEqual([
      'create',
    ]);
    const replace = launcher.planTick(scheduled('Replace'), 'ingest', tick, going, template);
    expect(replace.map((a) => [a.op, a.name])).toEqual([
      ['delete', going[0]!.name],
      ['create', expect.stringMatching(/^ingest-[0-9a-f]{8}$/)],
    ]);
    // A finished run of an older definition does not count as going.
    const done = [runOf('ingest', '20261206T0200Z', 1, 'COMPLETED', 'bbbbbbbb')];
    expect(launcher.planTick(scheduled('Forbid'), 'ingest', tick, done, template).map((a) => a.op)).toEqual([
      'create',
    ]);
  });

  it('keeps the runs of the last keep ticks, and never deletes a run still going', () => {
    const runs = [
      runOf('ingest', '20261203T0200Z', 1, 'RUNNING'),
      runOf('ingest', '20261204T0200Z', 1, 'FAILED'),
      runOf('ingest', '20261204T0200Z', 2, 'COMPLETED'),
      runOf('ingest', '20261205T0200Z', 1, 'COMPLETED'),
      runOf('ingest', '20261206T0200Z', 1, 'COMPLETED'),
    ];
    const actions = launcher.planTick(scheduled('Allow', 2), 'ingest', '20261207T0200Z', runs, template);
    expect(
      actions
        .filter((a) => a.op === 'delete')
        .map((a) => a.name)
        .sort(),
    ).toEqual([runs[1]!.name, runs[2]!.name, runs[3]!.name].sort());
  });
});

describe('the launcher, follow-up', () => {
  const oneShot: Config = {
    team: 'team-a',
    namespace: 'team-a',
    jobs: {
      'delta-merge': {
        hash: 'mmmmmmmm',
        oneShot: true,
        runKey: 'kkkkkkkk',
        upstream: { 'delta-create': 'cccccccc' },
        after: ['delta-create'],
      },
    },
  };
  const create = (state: string, hash = 'cccccccc') =>
    runOf('delta-create', 'once', 1, state, hash, { launched: false });

  it('starts a one-shot job once the run it follows completed, and only then', () => {
    expect(launcher.planFollowUp(oneShot, [create('RUNNING')], T0, () => template)).toEqual([]);
    expect(launcher.planFollowUp(oneShot, [create('FAILED')], T0, () => template)).toEqual([]);
    expect(launcher.planFollowUp(oneShot, [create('COMPLETED', 'oldoldol')], T0, () => template)).toEqual([]);
    const actions = launcher.planFollowUp(oneShot, [create('COMPLETED')], T0, () => template);
    expect(actions.map((a) => [a.op, a.name])).toEqual([['create', 'delta-merge-kkkkkkkk']]);
    expect(actions[0]?.object?.metadata.labels['emr-eks-gitops/tick']).toBe('once');
  });

  it('starts it once: a later pass finds its run', () => {
    const merge = runOf('delta-merge', 'once', 1, 'RUNNING', 'kkkkkkkk');
    expect(launcher.planFollowUp(oneShot, [create('COMPLETED'), merge], T0, () => template)).toEqual([]);
  });

  it('deletes finished runs it made for a definition that is gone', () => {
    const stale = runOf('delta-merge', 'once', 1, 'COMPLETED', 'zzzzzzzz');
    const actions = launcher.planFollowUp(oneShot, [create('RUNNING'), stale], T0, () => template);
    expect(actions.map((a) => [a.op, a.name])).toEqual([['delete', stale.name]]);
  });

  it('follows the latest tick of scheduled dependencies once all of them completed it', () => {
    const config: Config = {
      team: 'team-a',
      namespace: 'team-a',
      jobs: {
        report: {
          hash: 'rrrrrrrr',
          oneShot: false,
          after: ['a', 'b'],
          schedule: { concurrencyPolicy: 'Forbid', keep: 3 },
        },
      },
    };
    const tick = '20261207T0200Z';
    const partly = [runOf('a', tick, 1, 'COMPLETED'), runOf('b', tick, 1, 'RUNNING')];
    expect(launcher.planFollowUp(config, partly, T0, () => template)).toEqual([]);
    const both = [runOf('a', tick, 1, 'COMPLETED'), runOf('b', tick, 2, 'COMPLETED')];
    const actions = launcher.planFollowUp(config, both, T0, () => template);
    expect(actions.map((a) => a.op)).toEqual(['create']);
    expect(actions[0]?.object?.metadata.labels['emr-eks-gitops/tick']).toBe(tick);
    // An older tick completed while the newest is still going: nothing (it follows the latest only).
    const older = [
      runOf('a', '20261206T0200Z', 1, 'COMPLETED'),
      runOf('b', '20261206T0200Z', 1, 'COMPLETED'),
      runOf('a', tick, 1, 'RUNNING'),
    ];
    expect(launcher.planFollowUp(config, older, T0, () => template)).toEqual([]);
  });

  describe('retries', () => {
    const retrying: Config = {
      team: 'team-a',
      namespace: 'team-a',
      jobs: {
        etl: {
          hash: 'eeeeeeee',
          oneShot: true,
          runKey: 'eeeeeeee',
          after: [],
          retry: { attempts: 3, backoffSeconds: 300 },
        },
      },
    };
    const failed = (attempt: number, changed: number) => ({
      ...runOf('etl', 'once', attempt, 'FAILED', 'eeeeeeee', { launched: attempt > 1 }),
      changed,
    });

    it('start the next attempt of a failed committed run once the backoff passed', () => {
      const runs = [failed(1, T0)];
      expect(launcher.planFollowUp(retrying, runs, T0 + 4 * MIN, () => template).map((a) => a.op)).toEqual([
        'skip',
      ]);
      const actions = launcher.planFollowUp(retrying, runs, T0 + 5 * MIN, () => template);
      expect(actions.map((a) => [a.op, a.name])).toEqual([
        ['create', launcher.runName('etl', 'eeeeeeee', 2)],
      ]);
      expect(actions[0]?.object?.metadata.labels['emr-eks-gitops/attempt']).toBe('2');
    });

    it('double the backoff after each failure and stop at the limit', () => {
      const second = [failed(1, T0), failed(2, T0 + 10 * MIN)];
      expect(launcher.planFollowUp(retrying, second, T0 + 19 * MIN, () => template).map((a) => a.op)).toEqual(
        ['skip'],
      );
      expect(
        launcher.planFollowUp(retrying, second, T0 + 20 * MIN, () => template).map((a) => [a.op, a.name]),
      ).toEqual([['create', launcher.runName('etl', 'eeeeeeee', 3)]]);
      const third = [...second, failed(3, T0 + 30 * MIN)];
      const last = launcher.planFollowUp(retrying, third, T0 + 5 * 3600_000, () => template);
      expect(last.map((a) => a.op)).toEqual(['skip']);
      expect(last[0]?.why).toContain('no attempts left');
    });

    it('never retry a completed, running or cancelled run', () => {
      for (const state of ['COMPLETED', 'RUNNING', 'CANCELLED', '']) {
        const runs = [runOf('etl', 'once', 1, state, 'eeeeeeee', { launched: false })];
        expect(launcher.planFollowUp(retrying, runs, T0 + 3600_000, () => template)).toEqual([]);
      }
    });

    it('measure the backoff from the last change of the failed run', () => {
      const run = launcher.observe(
        item('etl-eeeeeeee', { 'emr-eks-gitops/job': 'etl' }, 'FAILED', T0, T0 + 40 * MIN),
      );
      expect(run.changed).toBe(T0 + 40 * MIN);
      expect(run.attempt).toBe(1);
    });
  });
});
