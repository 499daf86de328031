import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep, shellLine } from '../ops/command-step';
import { sampleDataPlan } from '../ops/sample-data';
import { parseOptions, UsageError } from '../pipeline/cli';
import { selectEnvironment } from '../pipeline/config-file';

const HELP = `Usage: npm run sample-data -- --env NAME [--dry-run] [--config FILE]

Puts the NYC taxi sample input where the taxi example jobs read it:
s3://<team bucket>/data/nyc-taxi/input/, for every team that has jobs. Downloads one
month of trip records with curl, then copies it ten times with the aws CLI (credentials that may
write the team prefixes). Prints each step as it runs.

  --env NAME     the environment (required)
  --dry-run      print the commands, run nothing
  --config FILE  a YAML/JSON platform description instead of the embedded one
  --help         show this help`;

/** `emr-eks-gitops sample-data`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('sample-data', args, {
    env: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = selectEnvironment('sample-data', values.config, values.env);
  const work = values['dry-run'] ? 'nyc-taxi' : mkdtempSync(join(tmpdir(), 'nyc-taxi-'));
  const steps = sampleDataPlan(env, work);
  try {
    for (const [i, step] of steps.entries()) {
      process.stdout.write(`${i + 1}/${steps.length} ${step.title}: ${shellLine(step.command)}\n`);
      if (values['dry-run']) continue;
      const run = runStep(step);
      if (run.error !== undefined)
        throw new UsageError(
          `sample-data: ${step.command[0] ?? ''} is not available (${run.error.message}).`,
        );
      if (run.status !== 0)
        throw new UsageError(
          `sample-data: step ${i + 1} failed (exit ${String(run.status)}); nothing after it ran.`,
        );
    }
  } finally {
    if (!values['dry-run']) rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(
    values['dry-run'] ? 'dry run: nothing was downloaded or copied.\n' : 'sample data is in place.\n',
  );
  return 0;
}
