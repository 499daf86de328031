import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { parseJsonInput } from '../lib/structured-input';
import { readInputText } from '../config/input-file';
import { outputsDir } from '../config/outputs';
import { repoRoot } from '../config/repo-root';
import { parseOptions, UsageError } from '../pipeline/cli';
import { selectEnvironment } from '../pipeline/config-file';
import { toJson } from '../lib/serialize';
import { writeFileAtomic } from '../pipeline/safe-output';
import { table } from '../lib/table';
import { contractFromTerraform, FEATURES, waitingFeatures } from '../ops/outputs';

const HELP = `Usage: npm run outputs -- --env NAME [--from FILE] [--config FILE]

Records the values only Terraform knows (FSx filesystem id, DNS and mount names, its subnet and
security group) in the committed contract file config/outputs/<env>.json, after checking them
against the typed contract. Reads \`terraform output -json\` of dist/<env>/terraform/base, or a
file saved from it. Then run npm run synth.

  --env NAME     the environment (required)
  --from FILE    a saved \`terraform output -json\` instead of running terraform
  --config FILE  a YAML/JSON platform description instead of the embedded one
  --help         show this help`;

/** `emr-eks-gitops outputs`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('outputs', args, {
    env: { type: 'string' },
    from: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = selectEnvironment('outputs', values.config, values.env);
  let text: string;
  let source: string;
  const what = 'terraform output';
  const fix = 'save the output of `terraform output -json` in the base stack and pass it with --from';
  if (values.from !== undefined) {
    source = values.from;
    text = readInputText(values.from, what);
  } else {
    const dir = join('dist', env.name, 'terraform', 'base');
    source = `terraform -chdir=${dir} output -json`;
    const run = spawnSync('terraform', [`-chdir=${dir}`, 'output', '-json'], { encoding: 'utf8' });
    if (run.error !== undefined || run.status !== 0) {
      throw new UsageError(
        `outputs: \`${source}\` failed (${run.error?.message ?? run.stderr.trim().split('\n')[0] ?? ''}); save its output where terraform works and pass --from FILE.`,
      );
    }
    text = run.stdout;
  }
  const json = parseJsonInput(source, text, what, fix);
  const contract = contractFromTerraform(env, json, source);
  const file = join(outputsDir(repoRoot()), `${env.name}.json`);
  writeFileAtomic(file, toJson(contract));
  const rows = Object.entries(FEATURES).map(([field, feature]) => [
    field,
    field in contract ? 'recorded' : '-',
    feature,
  ]);
  process.stdout.write(`${table(['field', 'state', 'used by'], rows)}\n`);
  const waiting = waitingFeatures(env, contract);
  process.stdout.write(
    `wrote ${relative(process.cwd(), file)}; ${waiting.length === 0 ? 'nothing is waiting for outputs' : `still waiting: ${waiting.join('; ')}`}. Next: npm run synth\n`,
  );
  return 0;
}
