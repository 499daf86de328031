import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { loadPlatform } from '../../config/load';
import type { EnvironmentInput } from '../../config/schema';
import { InputFileError } from '../../lib/structured-input';
import { NO_JOB_FILES, readJobFiles } from '../../config/job-files';
import type { JobInput } from '../../config/jobs';
import { closest, editDistance } from '../../config/suggest';
import { seedEnvironmentInput, seedPlatformInput } from '../fixtures';

const scratch = mkdtempSync(join(tmpdir(), 'job-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repos = 0;

/** A scratch repository holding these files (path → text). */
function repo(files: Record<string, string>): string {
  const root = join(scratch, String(repos++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The problems of a platform with the job files of `files`, one sentence each. */
function problemsOf(files: Record<string, string>, platform: unknown = seedPlatformInput()): string[] {
  try {
    loadPlatform(platform, readJobFiles(repo(files)));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const FILE = 'jobs/emr-data-team-b/daily-report.yaml';

/** A valid job file of team b; `lines` replace or add top-level lines by key. */
function jobFile(lines: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    name: 'name: daily-report',
    script: 'script: local:///usr/lib/spark/examples/src/main/python/pi.py',
    nodePool: 'nodePool: spark-compute-optimized',
    storage: 'storage: nvme',
    executor: 'executor: { instances: 2 }',
    ...lines,
  };
  return [
    '# yaml-language-server: $schema=../job.schema.json',
    '# The daily report.',
    ...Object.values(base).filter((line) => line !== undefined),
    '',
  ].join('\n');
}

describe('job files', () => {
  it('load into their team, after its TypeScript jobs, with every default filled in', () => {
    const root = repo({ [FILE]: jobFile() });
    const team = loadPlatform(seedPlatformInput(), readJobFiles(root)).environments[0]?.teams[1];
    expect(team?.name).toBe('emr-data-team-b');
    expect(team?.jobs).toEqual([
      {
        name: 'daily-report',
        description: '',
        script: 'local:///usr/lib/spark/examples/src/main/python/pi.py',
        arguments: [],
        files: [],
        rerun: 0,
        nodePool: 'spark-compute-optimized',
        storage: 'nvme',
        executor: { instances: 2 },
      },
    ]);
  });

  it('are the seed examples of the default platform', () => {
    const files = readJobFiles();
    expect(files.problems).toEqual([]);
    expect(files.files.map((file) => file.path)).toEqual([
      'jobs/emr-data-team-a/delta-create.yaml',
      'jobs/emr-data-team-a/delta-merge.yaml',
      'jobs/emr-data-team-a/sample-pi.yaml',
      'jobs/emr-data-team-a/taxi-ebs.yaml',
      'jobs/emr-data-team-a/taxi-nvme-compute.yaml',
      'jobs/emr-data-team-a/taxi-nvme-graviton.yaml',
      'jobs/emr-data-team-a/taxi-nvme-memory.yaml',
      'jobs/emr-data-team-a/taxi-yunikorn-gang.yaml',
    ]);
    const team = loadPlatform(seedPlatformInput()).environments[0]?.teams[0];
    expect(team?.jobs.map((job) => job.name)).toEqual(files.files.map((file) => file.job.name));
    expect(loadPlatform(seedPlatformInput(), NO_JOB_FILES).environments[0]?.teams[0]?.jobs).toEqual([]);
  });

  it('are none in a repository without a jobs/ folder', () => {
    const root = repo({ 'README.md': 'no jobs\n' });
    expect(readJobFiles(root)).toEqual({ ...NO_JOB_FILES, root });
  });

  /** The default platform with one job in TypeScript, as a generated job would be. */
  const withTypeScriptJob = {
    environments: [
      {
        ...structuredClone(seedEnvironmentInput()),
        teams: seedEnvironmentInput().teams.map((team, i) =>
          i === 0
            ? {
                ...team,
                jobs: [
                  { name: 'sample-pi', script: 'local:///usr/lib/spark/examples/src/main/python/pi.py' },
                ],
              }
            : team,
        ),
      },
    ],
  };

  const broken: [string, Record<string, string>, string[], unknown?][] = [
    [
      'a bad value',
      { [FILE]: jobFile({ executor: 'executor: { instances: two }' }) },
      [`${FILE}:7:24: executor.instances: "two" must be a number.`],
    ],
    [
      'a misspelt key (did you mean)',
      { [FILE]: jobFile({ nodePool: 'nodepool: spark-compute-optimized' }) },
      [`${FILE}:5:1: nodepool: "spark-compute-optimized" is not a job field; did you mean nodePool?`],
    ],
    [
      'a misspelt nested key (did you mean)',
      { [FILE]: jobFile({ executor: 'executor: { instance: 2 }' }) },
      [`${FILE}:7:13: executor.instance: 2 is not a field of executor; did you mean instances?`],
    ],
    [
      'an unknown key with no close field',
      { [FILE]: jobFile({ colour: 'colour: blue' }) },
      [
        `${FILE}:8:1: colour: "blue" is not a job field (known: name, description, script, arguments, files, rerun, schedule, after, retry, nodePool, storage, driver, executor, dynamicAllocation, sparkConf, releaseLabel, monitoring, gangScheduling, environments); see jobs/README.md.`,
      ],
    ],
    [
      'a missing required field',
      { [FILE]: jobFile({ script: undefined }) },
      [`${FILE}:3:1: script: missing is required (a string).`],
    ],
    [
      'a job in a folder that names no team (did you mean)',
      { 'jobs/emr-data-teamb/daily-report.yaml': jobFile() },
      [
        'jobs/emr-data-teamb/daily-report.yaml:3:1: is in jobs/emr-data-teamb/, but the platform has no team emr-data-teamb (did you mean jobs/emr-data-team-b/?): a job file lives in the folder of its team (teams: emr-data-team-a, emr-data-team-b).',
      ],
    ],
    [
      'a job file outside any team folder',
      { 'jobs/daily-report.yaml': jobFile() },
      [
        "jobs/daily-report.yaml:1:1: is not in a team folder: a job file lives in its team's folder, jobs/<team>/daily-report.yaml.",
      ],
    ],
    [
      'a job file in a subfolder of a team folder',
      { 'jobs/emr-data-team-b/old/daily-report.yaml': jobFile() },
      [
        'jobs/emr-data-team-b/old/daily-report.yaml:1:1: is in a subfolder: job files and the files they ship sit directly in jobs/emr-data-team-b/, so move it there.',
      ],
    ],
    [
      'a job definition named .yml',
      { 'jobs/emr-data-team-b/daily-report.yml': jobFile() },
      [
        'jobs/emr-data-team-b/daily-report.yml:1:1: looks like a job definition but is not read as one: job files end in .yaml, so rename it to daily-report.yaml.',
      ],
    ],
    [
      'a script outside the team folder',
      { [FILE]: jobFile({ script: 'script: jobs/emr-data-team-a/taxi-trip.py' }) },
      [
        `${FILE}:4:9: script: "jobs/emr-data-team-a/taxi-trip.py" must be a file directly in jobs/emr-data-team-b/ (such as jobs/emr-data-team-b/etl.py) or a local:/// path in the EMR image (job daily-report).`,
      ],
    ],
    [
      'a name that does not match the file name',
      { [FILE]: jobFile({ name: 'name: daily' }) },
      [
        `${FILE}:3:7: name: "daily" does not match the file name daily-report.yaml: a job file is named after its job, so rename the file to daily.yaml or set name: daily-report.`,
      ],
    ],
    [
      'duplicate names across files (a copied file)',
      { [FILE]: jobFile(), 'jobs/emr-data-team-b/daily-report-copy.yaml': jobFile() },
      [
        'jobs/emr-data-team-b/daily-report-copy.yaml:3:7: name: "daily-report" does not match the file name daily-report-copy.yaml: a job file is named after its job, so rename the file to daily-report.yaml or set name: daily-report-copy.',
        'jobs/emr-data-team-b/daily-report-copy.yaml:3:7: name: "daily-report" is also the name of jobs/emr-data-team-b/daily-report.yaml; give each job of team emr-data-team-b its own name and file.',
      ],
    ],
    [
      'a name also defined in TypeScript',
      {
        'jobs/emr-data-team-a/sample-pi.yaml': jobFile({
          name: 'name: sample-pi',
          nodePool: undefined,
          storage: undefined,
        }),
      },
      [
        'jobs/emr-data-team-a/sample-pi.yaml:3:7: name: "sample-pi" is also a job of team emr-data-team-a in the platform config (environments[0].teams[0].jobs[0], environment default); rename or delete one of the two.',
      ],
      withTypeScriptJob,
    ],
    [
      'an environment the platform does not have (did you mean)',
      { [FILE]: jobFile({ environments: 'environments: [defualt]' }) },
      [
        `${FILE}:8:16: environments[0]: "defualt" names no environment of the platform; did you mean default? (environments: default).`,
      ],
    ],
    [
      'an environment listed twice',
      { [FILE]: jobFile({ environments: 'environments: [default, default]' }) },
      [`${FILE}:8:25: environments[1]: "default" is listed twice; list each environment once.`],
    ],
    [
      'a node pool the team may not use (a platform rule, at the line of the file)',
      { [FILE]: jobFile({ nodePool: 'nodePool: spark-gpu' }) },
      [
        `${FILE}:5:11: nodePool: "spark-gpu" names no node pool of this environment (job daily-report); use one of team emr-data-team-b's pools: spark-compute-optimized, spark-memory-optimized, spark-graviton-memory-optimized.`,
      ],
    ],
    [
      'a Spark property the typed fields own',
      { [FILE]: jobFile({ sparkConf: "sparkConf:\n  spark.executor.instances: '4'" }) },
      [
        `${FILE}:9:29: sparkConf["spark.executor.instances"]: "4" is rendered from the typed field executor.instances (job daily-report); set that field instead.`,
      ],
    ],
  ];

  it.each(broken)(
    'report %s at file:line:col with the field, the value and the fix',
    (_what, files, expected, platform) => {
      expect(problemsOf(files, platform)).toEqual(expected);
    },
  );

  it('report every broken file at once, next to the problems of the platform config', () => {
    const platform = {
      environments: [{ ...structuredClone(seedEnvironmentInput()), logObjectExpirationDays: 0 }],
    };
    expect(
      problemsOf(
        {
          [FILE]: jobFile({ nodePool: 'nodepool: spark-compute-optimized' }),
          'jobs/emr-data-team-b/weekly.yaml': jobFile({ name: 'name: weekly', storage: 'storage: ssd' }),
        },
        platform,
      ),
    ).toEqual([
      'Invalid config at environments[0].logObjectExpirationDays: 0 must be > 0.',
      `${FILE}:5:1: nodepool: "spark-compute-optimized" is not a job field; did you mean nodePool?`,
      'jobs/emr-data-team-b/weekly.yaml:6:10: storage: "ssd" must be one of "nvme", "ebs", "fsx-static", "fsx-dynamic".',
    ]);
  });

  describe('with several environments', () => {
    const staging: EnvironmentInput = {
      ...structuredClone(seedEnvironmentInput()),
      name: 'staging',
      cluster: { ...structuredClone(seedEnvironmentInput().cluster), name: 'emr-eks-staging' },
      teams: [structuredClone(seedEnvironmentInput().teams[1]!)],
    };
    const platform = { environments: [structuredClone(seedEnvironmentInput()), staging] };

    it('run in every environment that has the team, or in the ones they list', () => {
      const root = repo({
        [FILE]: jobFile(),
        'jobs/emr-data-team-b/staging-only.yaml': jobFile({
          name: 'name: staging-only',
          environments: 'environments: [staging]',
        }),
        'jobs/emr-data-team-a/team-a-only.yaml': jobFile({
          name: 'name: team-a-only',
          nodePool: undefined,
          storage: undefined,
        }),
      });
      const loaded = loadPlatform(platform, readJobFiles(root));
      const jobs = loaded.environments.map((env) =>
        env.teams.map((team) => `${team.name}: ${team.jobs.map((job: JobInput) => job.name).join(' ')}`),
      );
      expect(jobs).toEqual([
        ['emr-data-team-a: team-a-only', 'emr-data-team-b: daily-report'],
        ['emr-data-team-b: daily-report staging-only'],
      ]);
    });

    it('name the environments a problem holds in, once', () => {
      expect(problemsOf({ [FILE]: jobFile({ nodePool: 'nodePool: spark-gpu' }) }, platform)).toEqual([
        `${FILE}:5:11: nodePool (environments default, staging): "spark-gpu" names no node pool of this environment (job daily-report); use one of team emr-data-team-b's pools: spark-compute-optimized, spark-memory-optimized, spark-graviton-memory-optimized.`,
      ]);
    });

    it('refuse an environment without the team', () => {
      expect(
        problemsOf(
          {
            'jobs/emr-data-team-a/team-a-only.yaml': jobFile({
              name: 'name: team-a-only',
              environments: 'environments: [default, staging]',
            }),
          },
          platform,
        ),
      ).toEqual([
        'jobs/emr-data-team-a/team-a-only.yaml:8:25: environments[1]: "staging" has no team emr-data-team-a; remove it from environments, or ask the platform team to add the team there.',
      ]);
    });
  });

  describe('get the hostile-input limits of every input file', () => {
    const thrown = (files: Record<string, string>): string => {
      try {
        readJobFiles(repo(files));
      } catch (error) {
        if (error instanceof InputFileError) return error.message;
        throw error;
      }
      return 'no error';
    };

    it('refuse a file over the size limit, naming it as the repository has it', () => {
      const big = `${jobFile()}# ${'x'.repeat(4 * 1024 * 1024)}\n`;
      expect(thrown({ [FILE]: big })).toBe(
        `job file ${FILE} is ${Buffer.byteLength(big)} bytes, over the 4194304-byte limit for input files: split it or remove what it does not need.`,
      );
    });

    it('refuse an alias bomb', () => {
      const bomb = [
        'name: daily-report',
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        '',
      ].join('\n');
      expect(thrown({ [FILE]: bomb })).toBe(
        `job file ${FILE} expands aliases more than 100 times, the limit for input files: write the values out instead of nesting aliases.`,
      );
    });

    it('refuse nesting deeper than the limit', () => {
      expect(thrown({ [FILE]: `name: daily-report\nsparkConf: ${'['.repeat(70)}${']'.repeat(70)}\n` })).toBe(
        `${FILE}:2:76: job file nests deeper than 64 levels, the limit for input files: flatten it.`,
      );
    });

    it('refuse YAML that does not parse, at its line', () => {
      expect(thrown({ [FILE]: 'name: daily-report\nscript: [unclosed\n' })).toMatch(
        new RegExp(`^${FILE.replace(/\./g, '\\.')}:\\d+:\\d+: job file is not valid YAML: .+\\.$`),
      );
    });
  });
});

describe('did you mean', () => {
  it.each([
    ['nodepool', ['nodePool', 'storage'], 'nodePool'],
    ['instance', ['cores', 'memory', 'memoryOverhead', 'instances'], 'instances'],
    ['stroage', ['nodePool', 'storage'], 'storage'],
    ['defualt', ['default', 'prod'], 'default'],
    ['colour', ['name', 'script', 'storage'], undefined],
    ['x', ['y'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it('counts a case change as half an edit and a transposition as one', () => {
    expect(editDistance('nodepool', 'nodePool')).toBe(0.5);
    expect(editDistance('stroage', 'storage')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
