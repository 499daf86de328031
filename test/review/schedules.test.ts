import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { withSyncWaves } from '../../argocd/sync-waves';
import { renderManifests } from '../../manifests/render';
import { diffTrees } from '../../review/diff';
import { environmentModel } from '../helpers/model';
import { devWithJobs, type InputTree } from '../helpers/platform-with-jobs';

const PI = 'local:///usr/lib/spark/examples/src/main/python/pi.py';
const NOW = Date.parse('2026-12-07T18:00:00Z');

/** The dev environment's k8s/ tree with these jobs for team a. */
function treeOf(jobs: readonly InputTree[]): Map<string, string> {
  const apps = withSyncWaves(renderManifests(environmentModel(devWithJobs(jobs))));
  return new Map(
    apps.flatMap((app) =>
      app.objects.map(({ path, object }): [string, string] => [`dev/k8s/${path}`, dump(object)]),
    ),
  );
}

const reasons = (before: readonly InputTree[], after: readonly InputTree[]) =>
  diffTrees(treeOf(before), treeOf(after), undefined, NOW)
    .warnings.filter((w) => w.subject.startsWith('CronJob') || w.subject.includes('job-launcher-'))
    .map((w) => `${w.severity}: ${w.subject}: ${w.reason}`);

describe('the review of schedules and retries', () => {
  it('estimates the compute of a job that runs from the launcher, per day for a scheduled one', () => {
    const estimates = (jobs: readonly InputTree[]) =>
      diffTrees(treeOf([]), treeOf(jobs), undefined, NOW)
        .warnings.filter((w) => /^ConfigMap emr-data-team-a\/jobrun-/.test(w.subject))
        .map((w) => `${w.severity}: ${w.reason}`);
    const hourly = estimates([{ name: 'ingest', script: PI, schedule: { cron: '0 * * * *' } }]);
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toMatch(/^notice: job ingest: .*vCPU-hours .*; at 24 run\(s\) a day, /);
    // A job that runs after another has no schedule: its estimate is per run only.
    const chained = estimates([
      { name: 'first', script: PI },
      { name: 'second', script: PI, after: ['first'] },
    ]);
    expect(chained).toHaveLength(1);
    expect(chained[0]).toMatch(/^notice: job second: /);
    expect(chained[0]).not.toContain('a day');
  });

  it('shows the next three runs of a new schedule, in its time zone', () => {
    expect(
      reasons(
        [{ name: 'ingest', script: PI }],
        [{ name: 'ingest', script: PI, schedule: { cron: '30 2 * * *', timeZone: 'Europe/Berlin' } }],
      ),
    ).toEqual([
      'notice: CronJob emr-data-team-a/launch-ingest: new schedule "30 2 * * *" (Europe/Berlin); next runs: 2026-12-08 02:30 Europe/Berlin (01:30 UTC); 2026-12-09 02:30 Europe/Berlin (01:30 UTC); 2026-12-10 02:30 Europe/Berlin (01:30 UTC)',
    ]);
  });

  it('warns when a job will run more often than before, and not when less often', () => {
    const daily = [{ name: 'ingest', script: PI, schedule: { cron: '0 2 * * *' } }];
    const hourly = [{ name: 'ingest', script: PI, schedule: { cron: '0 * * * *' } }];
    expect(reasons(daily, hourly)).toEqual([
      'notice: CronJob emr-data-team-a/launch-ingest: schedule "0 2 * * *" (UTC) → "0 * * * *" (UTC); next runs: 2026-12-07 19:00 UTC; 2026-12-07 20:00 UTC; 2026-12-07 21:00 UTC',
      'rerun: CronJob emr-data-team-a/launch-ingest: runs more often than before: about 7 a week → 168 a week',
    ]);
    expect(reasons(hourly, daily).filter((r) => r.startsWith('rerun'))).toEqual([]);
    // An unchanged schedule says nothing.
    expect(reasons(daily, daily)).toEqual([]);
  });

  it('warns when a retried job writes its team data without saying the write is idempotent', () => {
    const job = (retry: InputTree) => [
      { name: 'etl', script: PI, arguments: ['{{teamS3}}/data/out/', '{{teamS3}}/inputs/x/'], retry },
    ];
    const found = reasons([], job({ attempts: 3 }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^notice: ConfigMap emr-data-team-a\/job-launcher-[0-9a-f]{8}: job etl retries \(3 attempts\) and passes team data locations \(s3:\/\/[^ ]+\/data\/out\/\): /,
    );
    expect(found[0]).toContain('retry.idempotent: true');
    expect(reasons([], job({ attempts: 3, idempotent: true }))).toEqual([]);
  });
});
