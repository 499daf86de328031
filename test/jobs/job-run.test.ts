import { describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { renderPlatform } from '../../pipeline/render';
import {
  jobFilesFor,
  jobRunTemplates,
  jobRuns,
  loaded,
  platformWith,
  specOf,
  teamObjects,
  type EnvironmentDraft,
} from './helpers';
import { seedPlatformInput } from '../fixtures';
import { platformModel } from '../helpers/model';

const env = loaded();
const objects = teamObjects(env);
const runs = jobRuns(objects);

/**
 * `<job>-<8 hex>` of every job: its JobRun's name, or for a job the launcher starts the name its
 * one-shot JobRun would have (the template ConfigMap carries the same 8 hex).
 */
function namesOf(input: unknown): Map<string, string> {
  const objects = teamObjects(loaded(input));
  const templates = [...objects.values()]
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('jobrun-'))
    .map((o): [string, string] => {
      const [, job = '', hash = ''] = /^jobrun-(.+)-([0-9a-f]{8})$/.exec(o.metadata.name) ?? [];
      return [job, `${job}-${hash}`];
    });
  return new Map([
    ...templates,
    ...[...jobRuns(objects)].map(([job, run]): [string, string] => [job, run.metadata.name]),
  ]);
}

function jobOf(draft: EnvironmentDraft, name: string) {
  const found = draft.teams[0]?.jobs?.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

/** Job names whose JobRun name differs between two renders. */
function renamed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([job, name]) => after.get(job) !== name).map(([job]) => job);
}

describe('JobRun', () => {
  it('renders one JobRun per job of the team (job files by name), and none for a team without jobs', () => {
    // delta-merge runs after delta-create, so the team's launcher starts it from its template.
    expect([...jobRunTemplates(objects).keys()]).toEqual(['delta-merge']);
    expect([...runs.keys()]).toEqual([
      'delta-create',
      'sample-pi',
      'taxi-ebs',
      'taxi-nvme-compute',
      'taxi-nvme-graviton',
      'taxi-nvme-memory',
      'taxi-yunikorn-gang',
    ]);
    expect(jobRuns(teamObjects(env, 'emr-data-team-b')).size).toBe(0);
  });

  it('is named <job>-<8 hex> in metadata and spec, at most 63 characters', () => {
    for (const [job, run] of runs) {
      expect(run.metadata.name).toMatch(new RegExp(`^${job}-[0-9a-f]{8}$`));
      expect(specOf(run).name).toBe(run.metadata.name);
      expect(run.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });

  it('keeps its names stable (a change here re-runs every job)', () => {
    expect(Object.fromEntries(namesOf(seedPlatformInput()))).toMatchSnapshot();
  });

  it('gets the same name from the same definition, on every render', () => {
    expect(namesOf(structuredClone(seedPlatformInput()))).toEqual(namesOf(seedPlatformInput()));
  });

  it('gets a new name when the rerun counter is bumped, and only that job does', () => {
    const after = namesOf(platformWith((d) => void (jobOf(d, 'taxi-ebs').rerun = 1)));
    expect(renamed(namesOf(seedPlatformInput()), after)).toEqual(['taxi-ebs']);
  });

  it('gets a new name when any part of the spec changes', () => {
    const before = namesOf(seedPlatformInput());
    const changes: [string, (d: EnvironmentDraft) => void][] = [
      ['release label', (d) => void (jobOf(d, 'sample-pi').releaseLabel = 'emr-7.11.0-latest')],
      ['argument', (d) => void (jobOf(d, 'sample-pi').arguments = ['20'])],
      [
        'spark property',
        (d) => void (jobOf(d, 'sample-pi').sparkConf = { 'spark.sql.shuffle.partitions': '8' }),
      ],
      ['log stream prefix', (d) => void (jobOf(d, 'sample-pi').monitoring = { logStreamNamePrefix: 'pi' })],
      ['executor memory', (d) => void (jobOf(d, 'sample-pi').executor = { memory: '3g', instances: 2 })],
    ];
    for (const [what, change] of changes) {
      expect(renamed(before, namesOf(platformWith(change))), what).toEqual(['sample-pi']);
    }
  });

  it('gets a new name when a pod template it uses changes (content-addressed URI)', () => {
    const after = namesOf(platformWith((d) => void (d.nodePools[1]!.driverOnDemand = false)));
    expect(renamed(namesOf(seedPlatformInput()), after).sort()).toEqual([
      'taxi-nvme-memory',
      'taxi-yunikorn-gang',
    ]);
  });

  it('changes exactly one file pair in dist/ when one job changes its executor count', () => {
    const before = renderPlatform(platformModel(loadPlatform(seedPlatformInput()))).files;
    const changed8 = platformWith((d) => void (jobOf(d, 'taxi-ebs').executor = { instances: 8 }));
    const after = renderPlatform(platformModel(loadPlatform(changed8, jobFilesFor(changed8)))).files;
    const removed = [...before.keys()].filter((path) => !after.has(path));
    const added = [...after.keys()].filter((path) => !before.has(path));
    const changed = [...before.keys()].filter(
      (path) => after.has(path) && after.get(path) !== before.get(path),
    );
    expect(removed).toEqual([
      expect.stringMatching(
        /^default\/k8s\/team-emr-data-team-a\/emr-data-team-a\/JobRun\.taxi-ebs-[0-9a-f]{8}\.yaml$/,
      ),
    ]);
    expect(added).toEqual([
      expect.stringMatching(
        /^default\/k8s\/team-emr-data-team-a\/emr-data-team-a\/JobRun\.taxi-ebs-[0-9a-f]{8}\.yaml$/,
      ),
    ]);
    // Only the generated overview, which lists each job's executors and current JobRun.
    expect(changed).toEqual(['default/README.md']);
  });

  it('keeps the AWS job running when the object is pruned (ACK deletion policy retain)', () => {
    for (const run of runs.values()) {
      expect(run.metadata.annotations).toMatchObject({
        'services.k8s.aws/deletion-policy': 'retain',
        'emr-eks-gitops/rerun': '0',
      });
    }
    expect(runs.get('taxi-ebs')?.metadata.labels).toEqual({
      'emr-eks-gitops/team': 'emr-data-team-a',
      'emr-eks-gitops/job': 'taxi-ebs',
    });
  });

  it("refers to the team's virtual cluster, execution role and release label", () => {
    const virtualCluster = objects.get('VirtualCluster/emr-eks-karpenter-emr-data-team-a');
    expect(virtualCluster).toBeDefined();
    for (const [job, run] of runs) {
      expect(specOf(run)).toMatchObject({
        virtualClusterRef: { from: { name: 'emr-eks-karpenter-emr-data-team-a' } },
        executionRoleARN: 'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a',
        releaseLabel: 'emr-7.12.0-latest',
        tags: { team: 'emr-data-team-a', job },
      });
      expect(run.metadata.namespace).toBe('emr-data-team-a');
    }
  });

  it('matches the snapshot (gang-scheduled example)', () => {
    expect(runs.get('taxi-yunikorn-gang')).toMatchSnapshot();
  });
});
