import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { readJobFiles } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import { seedPlatformInput } from '../fixtures';

const scratch = mkdtempSync(join(tmpdir(), 'job-chains-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repos = 0;

const TEAM_B = 'jobs/emr-data-team-b';

/** A job file of team b named `name`, with more top-level lines. */
function jobFile(name: string, ...lines: string[]): string {
  return [
    '# yaml-language-server: $schema=../job.schema.json',
    `name: ${name}`,
    'script: local:///usr/lib/spark/examples/src/main/python/pi.py',
    'nodePool: spark-compute-optimized',
    'storage: nvme',
    ...lines,
    '',
  ].join('\n');
}

function load(files: Record<string, string>) {
  const root = join(scratch, String(repos++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return loadPlatform(seedPlatformInput(), readJobFiles(root));
}

/** The problems, one sentence each (empty when the platform loads). */
function problemsOf(files: Record<string, string>): string[] {
  try {
    load(files);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('schedule, after and retry in job files', () => {
  it('load with their defaults filled in', () => {
    const env = load({
      [`${TEAM_B}/ingest.yaml`]: jobFile(
        'ingest',
        "schedule: { cron: '0 2 * * *', timeZone: Europe/Berlin }",
      ),
      [`${TEAM_B}/aggregate.yaml`]: jobFile('aggregate', 'after: [ingest]', 'retry: { attempts: 3 }'),
    }).environments[0];
    const jobs = env?.teams[1]?.jobs ?? [];
    expect(jobs.find((j) => j.name === 'ingest')?.schedule).toEqual({
      cron: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      keep: 5,
    });
    const aggregate = jobs.find((j) => j.name === 'aggregate');
    expect(aggregate?.after).toEqual(['ingest']);
    expect(aggregate?.retry).toEqual({ attempts: 3, backoff: '5m', idempotent: false });
  });

  const cases: [string, Record<string, string>, string[]][] = [
    [
      'a cron with four fields',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', "schedule: { cron: '0 2 * *' }") },
      [
        `${TEAM_B}/a.yaml:6:19: schedule.cron: "0 2 * *" has 4 fields; a schedule has five: minute hour day-of-month month day-of-week, e.g. 0 2 * * *.`,
      ],
    ],
    [
      'an hour out of range',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', 'schedule:', "  cron: '0 24 * * *'") },
      [`${TEAM_B}/a.yaml:7:9: schedule.cron: "0 24 * * *" has 24 in hour, outside 0-23.`],
    ],
    [
      'an unknown time zone',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', "schedule: { cron: '@daily', timeZone: Europe/Berlim }") },
      [
        `${TEAM_B}/a.yaml:6:39: schedule.timeZone: "Europe/Berlim" is not an IANA time zone name such as UTC, Europe/Berlin or America/New_York.`,
      ],
    ],
    [
      'an unknown job in after',
      {
        [`${TEAM_B}/a.yaml`]: jobFile('a'),
        [`${TEAM_B}/b.yaml`]: jobFile('b', 'after: [aa]'),
      },
      [
        `${TEAM_B}/b.yaml:6:9: after[0]: "aa" names no job of team emr-data-team-b; did you mean a? (jobs: a, b).`,
      ],
    ],
    [
      "another team's job in after",
      {
        [`${TEAM_B}/b.yaml`]: jobFile('b', 'after: [delta-create]'),
        'jobs/emr-data-team-a/delta-create.yaml': jobFile('delta-create'),
      },
      [
        `${TEAM_B}/b.yaml:6:9: after[0]: "delta-create" is a job of team emr-data-team-a, not of team emr-data-team-b: after orders jobs of one team only; name a job of jobs/emr-data-team-b/.`,
      ],
    ],
    [
      'a team/job reference in after',
      { [`${TEAM_B}/b.yaml`]: jobFile('b', 'after:', '  - emr-data-team-a/delta-create') },
      [
        `${TEAM_B}/b.yaml:7:5: after[0]: "emr-data-team-a/delta-create" names a job of another team: after orders jobs of team emr-data-team-b only (a team cannot wait on another team's runs); name a job of jobs/emr-data-team-b/.`,
      ],
    ],
    [
      'a cycle',
      {
        [`${TEAM_B}/a.yaml`]: jobFile('a', 'after: [c]'),
        [`${TEAM_B}/b.yaml`]: jobFile('b', 'after: [a]'),
        [`${TEAM_B}/c.yaml`]: jobFile('c', 'after: [b]'),
      },
      [
        `${TEAM_B}/b.yaml:6:9: after[0]: "a" makes a cycle: a runs after c runs after b runs after a, so none of them could ever start; remove one of these after entries.`,
      ],
    ],
    [
      'a job after itself',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', 'after: [a]') },
      [`${TEAM_B}/a.yaml:6:9: after[0]: "a" is job a itself; a job cannot run after itself.`],
    ],
    [
      'after with a schedule of its own',
      {
        [`${TEAM_B}/a.yaml`]: jobFile('a', "schedule: { cron: '@daily' }"),
        [`${TEAM_B}/b.yaml`]: jobFile('b', 'after: [a]', "schedule: { cron: '@hourly' }"),
      },
      [
        `${TEAM_B}/b.yaml:7:11: schedule: "@hourly" is set on job b, which also has after: a job with after runs in the ticks of the jobs it follows, so remove schedule (or after).`,
      ],
    ],
    [
      'dependencies on different schedules',
      {
        [`${TEAM_B}/a.yaml`]: jobFile('a', "schedule: { cron: '@daily' }"),
        [`${TEAM_B}/b.yaml`]: jobFile('b'),
        [`${TEAM_B}/c.yaml`]: jobFile('c', 'after: [a, b]'),
      },
      [
        `${TEAM_B}/c.yaml:6:12: after[1]: "b" runs once (no schedule), but a runs on "@daily" in UTC (Forbid): the jobs a job runs after must share one schedule (or all run once), so that each run has one tick to follow.`,
      ],
    ],
    [
      'a retry of one attempt',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', 'retry: { attempts: 1 }') },
      [
        `${TEAM_B}/a.yaml:6:20: retry.attempts: 1 must be at least 2 (the first attempt and one retry); leave retry out for none.`,
      ],
    ],
    [
      'a backoff that is not a duration',
      { [`${TEAM_B}/a.yaml`]: jobFile('a', 'retry: { attempts: 3, backoff: 5 minutes }') },
      [`${TEAM_B}/a.yaml:6:32: retry.backoff: "5 minutes" must be a duration such as 90s, 5m or 1h.`],
    ],
    [
      'a scheduled job whose launcher name is too long',
      {
        [`${TEAM_B}/${'x'.repeat(46)}.yaml`]: jobFile('x'.repeat(46), "schedule: { cron: '@daily' }"),
      },
      [
        `${TEAM_B}/${'x'.repeat(46)}.yaml:2:7: name: "${'x'.repeat(46)}" is longer than 45 characters, so the CronJob launch-${'x'.repeat(46)} that launches it would exceed Kubernetes' 52; shorten the name of this scheduled job.`,
      ],
    ],
  ];
  it.each(cases)('refuse %s at the file, line and column', (_, files, expected) => {
    expect(problemsOf(files)).toEqual(expected);
  });
});
