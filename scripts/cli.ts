/**
 * `emr-eks-gitops <verb> [options]`: the one entry point. Each verb lives in `scripts/<verb>.ts`
 * and exports `run(args)`, which returns the exit code; its module is loaded only when the verb
 * runs, so `validate` never pays for loading CDKTF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../pipeline/cli';

/** What a verb module exports. */
export interface VerbModule {
  run(args: readonly string[]): number | Promise<number>;
}

interface Verb {
  readonly summary: string;
  readonly load: () => Promise<VerbModule>;
}

/** Every verb, in the order `--help` lists them. */
export const VERBS: Readonly<Record<string, Verb>> = {
  synth: { summary: 'render and validate the platform into dist/', load: () => import('./synth.js') },
  validate: {
    summary: 'check folders of rendered YAML and Terraform JSON',
    load: () => import('./validate.js'),
  },
  diff: { summary: 'what a change does, for review (text or a PR comment)', load: () => import('./diff.js') },
  outputs: {
    summary: 'record terraform outputs in config/outputs/<env>.json',
    load: () => import('./outputs.js'),
  },
  teardown: { summary: 'print or run the safe teardown order', load: () => import('./teardown.js') },
  rerun: { summary: "run a job again: bump its file's rerun counter", load: () => import('./rerun.js') },
  schemas: { summary: 'fetch or verify the pinned upstream schemas', load: () => import('./schemas.js') },
  bench: { summary: 'time synth and validation against the budgets', load: () => import('./bench.js') },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...Object.keys(VERBS).map((name) => name.length));
  return [
    'Usage: emr-eks-gitops <command> [options]   (or: npm run <command> -- [options])',
    '',
    'Commands:',
    ...Object.entries(VERBS).map(([name, verb]) => `  ${name.padEnd(width)}  ${verb.summary}`),
    '',
    'Run `emr-eks-gitops <command> --help` for its options. --version prints the version.',
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
runCli(name ?? 'emr-eks-gitops', async () => {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const verb = VERBS[name];
  if (verb === undefined) {
    process.stderr.write(
      `emr-eks-gitops: unknown command ${name} (known: ${Object.keys(VERBS).join(', ')}; --help lists them).\n`,
    );
    return 1;
  }
  const module = await verb.load();
  return module.run(rest);
});
