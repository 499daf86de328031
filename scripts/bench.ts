import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseOptions } from '../pipeline/cli';
import { writeFileAtomic } from '../pipeline/safe-output';
import { table } from '../pipeline/summary';

const HELP = `Usage: npm run bench [-- --runs N] [--json FILE]

Times synth in fresh processes: the embedded default config and generated configs with 20 and
100 teams, against the floor (a process that loads the same modules and renders nothing).
Synth includes the validation gate. Two more cases time validating the default render after
start-up: with the compiled-validator cache (.cache/validators) warm, and cold (every schema
parsed and compiled in the process).
Reports the median wall time of N runs (default 5) and the peak RSS, and checks the budgets:
default <= 2x floor; 100 teams <= 10 s and <= 1 GiB; 20 -> 100 teams grows at most linearly;
validating the default < 1 s after start-up (warm validator cache).
Exit code 1 when a budget is missed.

  --runs N     runs per case (default 5, at least 3)
  --json FILE  also write the results as JSON
  --help       show this help`;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

interface Result {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxRssMiB: number;
  /** Median in-process time of the measured work (after module loading). */
  readonly workMs: number;
}

const CASES: readonly Case[] = [
  { name: 'floor', args: ['floor'] },
  { name: 'default', args: ['synth', '0'] },
  { name: 'teams-20', args: ['synth', '20'] },
  { name: 'teams-100', args: ['synth', '100'] },
  { name: 'validate', args: ['validate'] },
  { name: 'validate-cold', args: ['validate'], env: { EMR_EKS_GITOPS_NO_CACHE: '1' } },
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(testCase: Case, runs: number): Result {
  const times: number[] = [];
  const work: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, 'bench-child.ts'), ...testCase.args],
      { encoding: 'utf8', env: { ...process.env, ...testCase.env } },
    );
    times.push(performance.now() - started);
    if (child.status !== 0) throw new Error(`${testCase.name} failed: ${child.stderr.split('\n')[0] ?? ''}`);
    const reported = JSON.parse(child.stdout) as { maxRssMiB: number; workMs: number };
    rss = Math.max(rss, reported.maxRssMiB);
    work.push(reported.workMs);
  }
  return {
    name: testCase.name,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxRssMiB: rss,
    workMs: median(work),
  };
}

/** `emr-eks-gitops bench`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('bench', args, {
    runs: { type: 'string', default: '5' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const runs = Math.max(3, Number(values.runs) || 5);
  const results = new Map<string, Result>();
  for (const testCase of CASES) {
    process.stderr.write(`bench: ${testCase.name} x${runs}\n`);
    results.set(testCase.name, measure(testCase, runs));
  }
  const get = (name: string) =>
    results.get(name) ?? { name, medianMs: NaN, minMs: NaN, maxRssMiB: NaN, workMs: NaN };
  const floor = get('floor').medianMs;
  const t20 = get('teams-20');
  const t100 = get('teams-100');
  // Linear growth: the work above the floor for 100 teams is at most 5x (plus 20% noise) that for 20.
  const growth = (t100.medianMs - floor) / Math.max(1, t20.medianMs - floor);
  const budgets = [
    ['default <= 2x floor', get('default').medianMs / floor, get('default').medianMs <= 2 * floor],
    ['100 teams <= 10 s', t100.medianMs / 1000, t100.medianMs <= 10_000],
    ['100 teams <= 1 GiB RSS', t100.maxRssMiB / 1024, t100.maxRssMiB <= 1024],
    ['20 -> 100 teams <= linear (x5)', growth, growth <= 6],
    ['validate default < 1 s (warm cache)', get('validate').workMs / 1000, get('validate').workMs < 1000],
  ] as const;
  process.stdout.write(
    `${table(
      ['case', 'median ms', 'min ms', 'x floor', 'work ms', 'peak RSS MiB'],
      [...results.values()].map((r) => [
        r.name,
        r.medianMs.toFixed(0),
        r.minMs.toFixed(0),
        (r.medianMs / floor).toFixed(2),
        r.workMs.toFixed(0),
        r.maxRssMiB.toFixed(0),
      ]),
    )}\n\n${table(
      ['budget', 'measured', 'ok'],
      budgets.map(([name, value, ok]) => [name, value.toFixed(2), ok ? 'yes' : 'NO']),
    )}\n`,
  );
  if (values.json) {
    writeFileAtomic(
      values.json,
      `${JSON.stringify({ runs, results: [...results.values()], budgets }, null, 2)}\n`,
    );
  }
  return budgets.every(([, , ok]) => ok) ? 0 : 1;
}
