#!/usr/bin/env node
// @ts-check
/**
 * The corpus of user changes (decision 16, docs/decisions.md): plays, in a scratch clone of this checkout,
 * each change the README and jobs/README.md tell users to make, the way they say to make it, and
 * runs the repository's own platform gate (.ci/gate) after each one. Every step must pass. Then
 * it runs `npm test` in the changed clone: the tool's tests own their platforms, so a user's
 * config/, jobs/ and dist/ can never break them.
 *
 * Usage: node .ci/user-changes.mjs [--keep] [--no-test]
 *   --keep     leave the scratch clone in place (its path is printed)
 *   --no-test  skip the final `npm test` in the changed clone
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

const HELP = `Usage: node .ci/user-changes.mjs [--keep] [--no-test]

Plays the documented user changes (a team, a node pool, an environment, a first job for a team
without jobs, a changed, rerun and retired job, a chart bump, FSx turned on) in a scratch clone
of this checkout, running .ci/gate after each, then npm test in the changed clone.`;

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const unknown = args.filter((a) => a !== '--keep' && a !== '--no-test');
if (unknown.length > 0) {
  process.stderr.write(`user-changes: unknown option ${unknown[0]} (see --help).\n`);
  process.exit(64);
}

const checkout = resolve(dirname(new URL(import.meta.url).pathname), '..');
const scratch = mkdtempSync(join(tmpdir(), 'user-changes-'));
const repo = join(scratch, 'repo');

/**
 * Runs a command in the clone; returns its exit status, printing its output only on failure.
 * @param {string} file
 * @param {readonly string[]} argv
 * @param {{ env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
 */
function run(file, argv, options = {}) {
  const result = spawnSync(file, argv, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0 && !options.quiet) {
    process.stderr.write(`$ ${file} ${argv.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`);
  }
  return result.status ?? 1;
}

/** @param {string[]} argv */
function git(...argv) {
  execFileSync('git', argv, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** @param {string} path */
function read(path) {
  return readFileSync(join(repo, path), 'utf8');
}

/**
 * @param {string} path
 * @param {string} text
 */
function write(path, text) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

/**
 * Replaces the one occurrence of `anchor` in a file, failing loudly when the docs' anchor moved.
 * @param {string} path
 * @param {string} anchor
 * @param {string} text
 */
function insertAt(path, anchor, text, { after = true } = {}) {
  const content = read(path);
  const at = content.indexOf(anchor);
  if (at === -1 || content.indexOf(anchor, at + 1) !== -1) {
    throw new Error(`${path} must hold ${JSON.stringify(anchor)} exactly once for this change`);
  }
  const cut = after ? at + anchor.length : at;
  write(path, content.slice(0, cut) + text + content.slice(cut));
}

const ENV_FILE = 'config/environments/default.ts';
const JOB = 'jobs/emr-data-team-b/daily-report.yaml';
const JOB_TEXT = `# yaml-language-server: $schema=../job.schema.json
# Trips per day, from the trip records the team keeps in its bucket.
name: daily-report
description: Trips per day.
script: jobs/emr-data-team-b/daily-report.py
arguments:
  - '{{teamS3}}/data/trips/'
  - '{{teamS3}}/data/{{job}}/output/'
nodePool: spark-memory-optimized
storage: nvme
driver: { cores: 1, memory: 4g }
executor: { cores: 2, memory: 8g, instances: 2 }
`;

/**
 * The changes, in the order a platform lives through them. Each edits what its doc says to edit
 * (README "Adding things", jobs/README.md) and nothing else.
 */
const CHANGES = [
  {
    name: 'a team',
    doc: 'README: an entry in teams of config/environments/<env>.ts',
    apply() {
      insertAt(
        ENV_FILE,
        '\n  teams: [\n',
        `    {
      name: 'emr-data-team-c',
      budget: { cpu: 600, memoryGiB: 3000 },
      nodePools: ['spark-memory-optimized'],
    },
`,
      );
    },
  },
  {
    name: 'a node pool',
    doc: 'README: an entry in nodePools, listed in the teams that may use it',
    apply() {
      insertAt(
        ENV_FILE,
        '\n  nodePools: [\n',
        `    {
      name: 'spark-general-purpose',
      nodeGroupType: 'SparkGeneralPurpose',
      description: 'General-purpose x86 nodes with NVMe instance store.',
      instanceTypes: ['m5d.2xlarge', 'm5d.4xlarge'],
      arch: 'amd64',
      zones: ['us-west-2a', 'us-west-2b'],
      limits: { cpu: 400 },
    },
`,
      );
      write(
        ENV_FILE,
        read(ENV_FILE).replace(
          "name: 'emr-data-team-c',\n      budget: { cpu: 600, memoryGiB: 3000 },\n      nodePools: ['spark-memory-optimized'],",
          "name: 'emr-data-team-c',\n      budget: { cpu: 600, memoryGiB: 3000 },\n      nodePools: ['spark-memory-optimized', 'spark-general-purpose'],",
        ),
      );
    },
  },
  {
    name: 'an environment',
    doc: 'README: a file in config/environments/, listed in config/index.ts',
    apply() {
      write(
        'config/environments/staging.ts',
        `import type { EnvironmentInput } from '../schema';
import { defaultEnvironment } from './default';

/** A staging copy of the default platform in its own account. */
export const stagingEnvironment: EnvironmentInput = {
  ...defaultEnvironment,
  name: 'staging',
  cluster: { ...defaultEnvironment.cluster, name: 'emr-eks-staging', accountId: '444455556666' },
};
`,
      );
      insertAt(
        'config/index.ts',
        "import { defaultEnvironment } from './environments/default';\n",
        "import { stagingEnvironment } from './environments/staging';\n",
      );
      const index = read('config/index.ts');
      if (!index.includes('environments: [defaultEnvironment]')) {
        throw new Error('config/index.ts must list environments: [defaultEnvironment] for this change');
      }
      write(
        'config/index.ts',
        index.replace(
          'environments: [defaultEnvironment]',
          'environments: [defaultEnvironment, stagingEnvironment]',
        ),
      );
    },
  },
  {
    name: 'a first job for a team without jobs',
    doc: 'jobs/README.md "Add a job": daily-report for emr-data-team-b',
    apply() {
      mkdirSync(join(repo, 'jobs/emr-data-team-b'), { recursive: true });
      copyFileSync(
        join(repo, 'jobs/emr-data-team-a/taxi-trip.py'),
        join(repo, 'jobs/emr-data-team-b/daily-report.py'),
      );
      write(JOB, JOB_TEXT);
    },
  },
  {
    name: 'a first job with the built-in defaults',
    doc: 'jobs/README.md: a job for a new team that has no jobDefaults',
    apply() {
      mkdirSync(join(repo, 'jobs/emr-data-team-c'), { recursive: true });
      copyFileSync(
        join(repo, 'jobs/emr-data-team-a/taxi-trip.py'),
        join(repo, 'jobs/emr-data-team-c/trip-stats.py'),
      );
      write(
        'jobs/emr-data-team-c/trip-stats.yaml',
        `# yaml-language-server: $schema=../job.schema.json
name: trip-stats
script: jobs/emr-data-team-c/trip-stats.py
arguments: ['{{teamS3}}/data/trips/', '{{teamS3}}/data/{{job}}/output/']
`,
      );
    },
  },
  {
    name: 'a changed job',
    doc: 'jobs/README.md "Change a job": four executors',
    apply() {
      write(JOB, read(JOB).replace('instances: 2 }', 'instances: 4 }'));
    },
  },
  {
    name: 'a rerun job',
    doc: 'jobs/README.md "Run a job again": npm run rerun',
    apply() {
      if (run('npm', ['run', '-s', 'rerun', '--', 'emr-data-team-b/daily-report']) !== 0)
        throw new Error('npm run rerun failed');
    },
  },
  {
    name: 'a retired job',
    doc: 'jobs/README.md "Retire a job": git rm the job file and its script',
    apply() {
      git('rm', '-q', JOB, 'jobs/emr-data-team-b/daily-report.py');
    },
  },
  {
    name: 'a chart bump',
    doc: 'README: an add-on version in config/versions.ts (charts)',
    apply() {
      const versions = read('config/versions.ts');
      const bumped = versions.replace(
        /(chart: 'kube-prometheus-stack',\n\s*version: ')(\d+)\.(\d+)\.(\d+)'/,
        (_, head, major, minor, patch) => `${head}${major}.${minor}.${Number(patch) + 1}'`,
      );
      if (bumped === versions)
        throw new Error('config/versions.ts has no kube-prometheus-stack chart pin with an x.y.z version');
      write('config/versions.ts', bumped);
    },
  },
  {
    name: 'FSx turned on',
    doc: 'docs/bootstrap.md: storage.fsx and addons.fsxCsiDriver in an environment, before any terraform apply',
    apply() {
      const staging = read('config/environments/staging.ts');
      write(
        'config/environments/staging.ts',
        staging.replace(
          "  name: 'staging',\n",
          "  name: 'staging',\n  storage: { fsx: { static: { enabled: true }, dynamic: { enabled: true } } },\n  addons: { ...defaultEnvironment.addons, fsxCsiDriver: true },\n",
        ),
      );
    },
  },
];

/**
 * Puts the scratch clone's platform back to the seed (test/fixtures/seed: its environment as
 * `config/environments/default.ts`, its job files in `jobs/`), so the changes play on the shape
 * the docs describe, whatever this repository's own platform has become.
 */
function resetToSeed() {
  const seed = join(repo, 'test', 'fixtures', 'seed');
  const platform = parse(readFileSync(join(seed, 'platform.yaml'), 'utf8'));
  write(
    ENV_FILE,
    `import type { EnvironmentInput } from '../schema';\n\n/** The seed platform, as test/fixtures/seed/platform.yaml describes it. */\nexport const defaultEnvironment: EnvironmentInput = ${JSON.stringify(platform.environments[0], null, 2)};\n`,
  );
  for (const entry of readdirSync(join(repo, 'config', 'environments'))) {
    if (entry !== 'default.ts') rmSync(join(repo, 'config', 'environments', entry), { recursive: true });
  }
  const index = read('config/index.ts')
    .split('\n')
    .filter((line) => !/^import .* from '\.\/environments\/(?!default')/.test(line))
    .join('\n')
    .replace(
      /export const defaultPlatform: PlatformInput = \{[\s\S]*?\};/,
      'export const defaultPlatform: PlatformInput = { environments: [defaultEnvironment] };',
    );
  write('config/index.ts', index);
  rmSync(join(repo, 'config', 'outputs'), { recursive: true, force: true });
  for (const entry of readdirSync(join(repo, 'jobs'), { withFileTypes: true })) {
    if (entry.isDirectory()) rmSync(join(repo, 'jobs', entry.name), { recursive: true });
  }
  cpSync(join(seed, 'jobs'), join(repo, 'jobs'), { recursive: true });
  if (run('npx', ['prettier', '--write', ENV_FILE, 'config/index.ts']) !== 0)
    throw new Error('prettier failed');
}

const started = Date.now();
/** @type {[name: string, result: string, time: string][]} */
const rows = [];
let failed = false;
try {
  execFileSync('git', ['clone', '-q', checkout, repo], { stdio: 'inherit' });
  if (!existsSync(join(repo, 'node_modules'))) {
    symlinkSync(join(checkout, 'node_modules'), join(repo, 'node_modules'));
  }
  git('config', 'user.email', 'user-changes@example.com');
  git('config', 'user.name', 'user-changes');
  process.stderr.write('user-changes: the seed platform as the starting point\n');
  try {
    resetToSeed();
    if (run('npm', ['run', '-s', 'synth', '--', '--quiet']) !== 0) throw new Error('its synth failed');
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', 'user changes: the seed platform');
  } catch (error) {
    process.stderr.write(
      `user-changes: cannot start from the seed platform: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    failed = true;
    rows.push(['the seed platform', 'FAILED', '-']);
  }
  for (const change of failed ? [] : CHANGES) {
    const t0 = Date.now();
    process.stderr.write(`user-changes: ${change.name} (${change.doc})\n`);
    let result;
    try {
      change.apply();
      result =
        run('npm', ['run', '-s', 'synth', '--', '--quiet']) === 0 &&
        (git('add', '-A'), git('commit', '-q', '-m', `user change: ${change.name}`), true) &&
        run('bash', ['.ci/gate', 'HEAD~1']) === 0
          ? 'ok'
          : 'FAILED';
    } catch (error) {
      process.stderr.write(
        `user-changes: ${change.name}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      result = 'FAILED';
    }
    failed ||= result !== 'ok';
    rows.push([change.name, result, `${((Date.now() - t0) / 1000).toFixed(1)} s`]);
    if (result !== 'ok') break;
  }
  if (!failed && !args.includes('--no-test')) {
    const t0 = Date.now();
    process.stderr.write(
      'user-changes: npm test in the changed clone (the tests must not read config/, jobs/ or dist/)\n',
    );
    const result = run('npm', ['test', '--silent']) === 0 ? 'ok' : 'FAILED';
    failed ||= result !== 'ok';
    rows.push(['npm test in the changed clone', result, `${((Date.now() - t0) / 1000).toFixed(1)} s`]);
  }
} finally {
  if (args.includes('--keep')) process.stderr.write(`user-changes: kept ${repo}\n`);
  else rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0].length), 6);
process.stdout.write(`${'change'.padEnd(width)}  result  time\n${'-'.repeat(width)}  ------  ------\n`);
for (const [name, result, time] of rows)
  process.stdout.write(`${name.padEnd(width)}  ${result.padEnd(6)}  ${time}\n`);
process.stdout.write(`user changes: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.stdout.write(
  `${rows.filter((r) => r[1] === 'ok').length} passed, ${rows.filter((r) => r[1] !== 'ok').length} failed\n`,
);
process.exit(failed ? 1 : 0);
