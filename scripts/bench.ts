import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOptions, UsageError } from '../pipeline/cli';
import { writeFileAtomic } from '../pipeline/safe-output';
import { table } from '../lib/table';

const HELP = `Usage: npm run bench [-- --runs N] [--large-runs N] [--cdktf-cli DIR | --skip-cdktf] [--json FILE]

Times the precompiled CLI in fresh processes and checks the budgets, all measured in this run
(the machine's load moves every number; ratios measured side by side are what to compare):

  startup        emr-eks-gitops --version (node start-up, launcher, dispatcher)
  synth          emr-eks-gitops synth of the embedded default: render, validation gate, write
  cdktf-synth    cdktf synth of the same app (its Terraform side, cdktf.json), with cdktf-cli
                 installed into a temporary folder (it is not a dependency)
  teams-100      synth of a generated platform: 100 teams with 10 jobs each (1000 JobRuns)
  teams-1000     the same with 1000 teams (10 000 JobRuns)
  validate       validating the default render, after start-up (the validator cache warm)

Budgets (issue 20): synth <= 1/3 of cdktf-synth; teams-100 <= 4 s; teams-1000 <= 20 s and
<= 1 GiB peak RSS, growing at most linearly from teams-100 (work above start-up <= 10x);
validate <= 150 ms.
Runs the cases in rounds (each case once per round, teams-1000 after the rest), so a machine
that speeds up or slows down moves every case alike. Reports medians; exit code 1 when a budget
is missed.

  --runs N        runs per case (default 5, at least 3)
  --large-runs N  runs of teams-1000 (default 1)
  --cdktf-cli DIR use the cdktf-cli installed under DIR (DIR/node_modules/.bin/cdktf)
  --skip-cdktf    do not measure cdktf synth (its budget is then not checked: exit 1)
  --json FILE     also write the results as JSON
  --help          show this help`;

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'emr-eks-gitops.js');
const LAUNCH = join(ROOT, 'bin', 'launch.js');

interface Case {
  readonly name: string;
  /** What the case measures, for the table. */
  readonly what: string;
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The process prints `{ maxRssMiB, workMs }` (the bench child). */
  readonly reports?: boolean;
  readonly large?: boolean;
}

interface Result {
  readonly name: string;
  readonly what: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxRssMiB: number;
  /** Median in-process time of the measured work (bench child cases only). */
  readonly workMs?: number;
  /** Median CPU time (user + system) of the measured work: what the machine's load moves least. */
  readonly workCpuMs?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** What the runs of one case measured so far. */
interface Samples {
  readonly times: number[];
  readonly work: number[];
  readonly workCpu: number[];
  rss: number;
}

/** Runs a case once (run `index` of `runs`), adding what it measured to `samples`. */
function runOnce(testCase: Case, index: number, runs: number, scratch: string, samples: Samples): void {
  process.stderr.write(`bench: ${testCase.name} ${index + 1}/${runs}\n`);
  const [command = '', ...args] = testCase.command;
  // Outputs stay until the bench ends: removing thousands of files makes the next run's file
  // creations many times slower for seconds on some filesystems (ext4 with discard), which a
  // synth does not do to itself (it hard-links the files that did not change).
  const out = join(scratch, `${testCase.name}-${index}`);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const child = spawnSync(command, args, {
    cwd: testCase.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, EMR_EKS_GITOPS_BENCH_OUT: out, ...testCase.env },
    maxBuffer: 1 << 28,
  });
  samples.times.push(performance.now() - started);
  if (child.status !== 0) {
    const reason = (child.stderr || child.stdout || String(child.error ?? '')).trim().split('\n').at(-1);
    throw new Error(`bench: ${testCase.name} failed (exit ${String(child.status)}): ${reason ?? ''}`);
  }
  if (testCase.reports) {
    const reported = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      maxRssMiB: number;
      workMs: number;
      workCpuMs: number;
    };
    samples.rss = Math.max(samples.rss, reported.maxRssMiB);
    samples.work.push(reported.workMs);
    samples.workCpu.push(reported.workCpuMs);
  }
}

/**
 * Runs the cases in rounds, each case once per round (the large ones after the rest), so a
 * machine that speeds up or slows down during the bench moves every case alike and the ratios
 * between them hold.
 */
function measureAll(
  cases: readonly Case[],
  runs: number,
  largeRuns: number,
  scratch: string,
): Map<string, Result> {
  const samples = new Map<string, Samples>(
    cases.map((c) => [c.name, { times: [], work: [], workCpu: [], rss: 0 }]),
  );
  const rounds = (group: readonly Case[], count: number) => {
    for (let index = 0; index < count; index++) {
      for (const testCase of group)
        runOnce(testCase, index, count, scratch, samples.get(testCase.name) as Samples);
    }
  };
  rounds(
    cases.filter((c) => !c.large),
    runs,
  );
  rounds(
    cases.filter((c) => c.large),
    largeRuns,
  );
  return new Map(
    cases.map((testCase) => {
      const { times, work, workCpu, rss } = samples.get(testCase.name) as Samples;
      const result: Result = {
        name: testCase.name,
        what: testCase.what,
        runs: times.length,
        medianMs: median(times),
        minMs: Math.min(...times),
        maxRssMiB: rss,
        ...(testCase.reports ? { workMs: median(work), workCpuMs: median(workCpu) } : {}),
      };
      return [testCase.name, result];
    }),
  );
}

/**
 * Microseconds to create one empty file, over 2000 files in a new folder of `scratch` (removed with
 * it when the bench ends, so the probe frees no inodes while the bench runs). What the teams-*
 * cases' writes cost depends on it (docs/performance.md, "The file system").
 */
function fileCreationMicros(scratch: string, label: string): number {
  const count = 2000;
  const dir = join(scratch, `file-creation-${label}`);
  mkdirSync(dir);
  const started = performance.now();
  for (let i = 0; i < count; i++) closeSync(openSync(join(dir, String(i)), 'wx'));
  return ((performance.now() - started) * 1000) / count;
}

/** The cdktf-cli matching our cdktf, installed once into a temporary folder (or the one given). */
function cdktfCli(given: string | undefined): { bin: string; version: string } {
  const version = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  ).dependencies.cdktf;
  if (version === undefined)
    throw new UsageError('bench: package.json has no cdktf dependency to compare with.');
  const dir =
    given !== undefined ? resolve(given) : join(tmpdir(), 'emr-eks-gitops-bench', `cdktf-cli-${version}`);
  const bin = join(dir, 'node_modules', '.bin', 'cdktf');
  if (!existsSync(bin)) {
    if (given !== undefined)
      throw new UsageError(`bench: --cdktf-cli ${given} has no node_modules/.bin/cdktf.`);
    process.stderr.write(`bench: installing cdktf-cli@${version} into ${dir} (once; not a dependency)\n`);
    mkdirSync(dir, { recursive: true });
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `cdktf-cli@${version}`],
      { encoding: 'utf8' },
    );
    if (install.status !== 0 || !existsSync(bin)) {
      throw new UsageError(
        `bench: could not install cdktf-cli@${version} (${install.stderr.trim().split('\n').at(-1) ?? ''}); pass --cdktf-cli DIR or --skip-cdktf.`,
      );
    }
  }
  const installed = JSON.parse(
    readFileSync(join(dir, 'node_modules', 'cdktf-cli', 'package.json'), 'utf8'),
  ) as { version: string };
  return { bin, version: installed.version };
}

/** `emr-eks-gitops bench`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('bench', args, {
    runs: { type: 'string', default: '5' },
    'large-runs': { type: 'string', default: '1' },
    'cdktf-cli': { type: 'string' },
    'skip-cdktf': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const runs = Number(values.runs);
  const largeRuns = Number(values['large-runs']);
  if (!Number.isInteger(runs) || runs < 3)
    throw new UsageError(`bench: --runs ${values.runs} must be a whole number >= 3.`);
  if (!Number.isInteger(largeRuns) || largeRuns < 1) {
    throw new UsageError(`bench: --large-runs ${values['large-runs']} must be a whole number >= 1.`);
  }
  const cdktf = values['skip-cdktf'] ? undefined : cdktfCli(values['cdktf-cli']);
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const node = process.execPath;
  const child = (...childArgs: string[]) => [node, LAUNCH, 'bench-child', ...childArgs];
  const cases: Case[] = [
    { name: 'startup', what: 'emr-eks-gitops --version', command: [node, BIN, '--version'] },
    {
      name: 'synth',
      what: 'emr-eks-gitops synth (default config)',
      command: [node, BIN, 'synth', '--out', join(work, 'dist'), '--quiet'],
    },
    ...(cdktf === undefined
      ? []
      : [
          {
            name: 'cdktf-synth',
            what: `cdktf synth (cdktf-cli ${cdktf.version}, same app)`,
            command: [cdktf.bin, 'synth', '--output', join(work, 'cdktf.out')],
            env: { CHECKPOINT_DISABLE: '1' },
          },
        ]),
    {
      name: 'teams-100',
      what: 'synth, 100 teams x 10 jobs',
      command: child('synth', '100', '10'),
      reports: true,
    },
    {
      name: 'teams-1000',
      what: 'synth, 1000 teams x 10 jobs',
      command: child('synth', '1000', '10'),
      reports: true,
      large: true,
    },
    {
      name: 'validate',
      what: 'validate the default, after start-up',
      command: child('validate'),
      reports: true,
    },
  ];
  const load = loadavg();
  let results: Map<string, Result>;
  const creation: number[] = [];
  try {
    creation.push(fileCreationMicros(work, 'start'));
    results = measureAll(cases, runs, largeRuns, work);
    creation.push(fileCreationMicros(work, 'end'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const get = (name: string) => results.get(name);
  const ms = (name: string) => get(name)?.medianMs ?? NaN;
  const startup = ms('startup');
  const growth = (ms('teams-1000') - startup) / Math.max(1, ms('teams-100') - startup);
  const budgets: [string, string, boolean][] = [
    [
      'synth <= 1/3 of cdktf synth',
      cdktf === undefined
        ? 'not measured'
        : `${(ms('synth') / ms('cdktf-synth')).toFixed(2)} (x${(ms('cdktf-synth') / ms('synth')).toFixed(1)} faster)`,
      cdktf !== undefined && ms('synth') * 3 <= ms('cdktf-synth'),
    ],
    ['teams-100 <= 4 s', `${(ms('teams-100') / 1000).toFixed(2)} s`, ms('teams-100') <= 4000],
    ['teams-1000 <= 20 s', `${(ms('teams-1000') / 1000).toFixed(2)} s`, ms('teams-1000') <= 20_000],
    [
      'teams-1000 <= 1 GiB peak RSS',
      `${((get('teams-1000')?.maxRssMiB ?? NaN) / 1024).toFixed(2)} GiB`,
      (get('teams-1000')?.maxRssMiB ?? Infinity) <= 1024,
    ],
    ['100 -> 1000 teams <= linear (x10)', `x${growth.toFixed(1)}`, growth <= 10],
    [
      'validate <= 150 ms after start-up',
      `${(get('validate')?.workMs ?? NaN).toFixed(0)} ms`,
      (get('validate')?.workMs ?? Infinity) <= 150,
    ],
  ];
  process.stdout.write(
    `${table(
      ['case', 'what', 'runs', 'median ms', 'min ms', 'work ms', 'work CPU ms', 'peak RSS MiB'],
      [...results.values()].map((r) => [
        r.name,
        r.what,
        String(r.runs),
        r.medianMs.toFixed(0),
        r.minMs.toFixed(0),
        r.workMs === undefined ? '' : r.workMs.toFixed(0),
        r.workCpuMs === undefined ? '' : r.workCpuMs.toFixed(0),
        r.maxRssMiB > 0 ? r.maxRssMiB.toFixed(0) : '',
      ]),
    )}\n\n${table(
      ['budget', 'measured', 'ok'],
      budgets.map(([name, value, ok]) => [name, value, ok ? 'yes' : 'NO']),
    )}\n\nMeasured on Node ${process.version}, ${cpus().length} CPUs, load average ${load.map((l) => l.toFixed(2)).join(' ')} at the start and ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} at the end; creating an empty file took ${creation.map((us) => `${us.toFixed(0)} µs`).join(' and ')} (see docs/performance.md, "The file system"); ratios compare cases timed in this run.\n`,
  );
  if (values.json) {
    writeFileAtomic(
      values.json,
      `${JSON.stringify({ node: process.version, cpus: cpus().length, load, fileCreationMicros: creation, results: [...results.values()], budgets }, null, 2)}\n`,
    );
  }
  return budgets.every(([, , ok]) => ok) ? 0 : 1;
}
