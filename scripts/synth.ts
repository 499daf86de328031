import { resolve } from 'node:path';
import { loadPlatform } from '../config';
import { parseOptions, runCli, UsageError } from '../pipeline/cli';
import { readPlatformInput } from '../pipeline/config-file';
import { renderPlatform } from '../pipeline/render';
import { synthSummary } from '../pipeline/summary';
import { replaceDirectory } from '../pipeline/write';

const HELP = `Usage: npm run synth [-- --env NAME ...] [--config FILE] [--out DIR] [--quiet]

Renders every environment of the platform description into dist/ (Terraform JSON, Kubernetes
YAML, Argo CD objects), validated in memory first. dist/ is replaced atomically: on any error
it is left exactly as it was.

  --env NAME     render only this environment (repeatable); other environments stay as they are
  --config FILE  a YAML/JSON platform description instead of the embedded one (config/)
  --out DIR      output directory (default: dist)
  --quiet        print nothing but errors
  --help         show this help`;

runCli('synth', () => {
  const { values } = parseOptions('synth', process.argv.slice(2), {
    env: { type: 'string', multiple: true },
    config: { type: 'string' },
    out: { type: 'string', default: 'dist' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const started = performance.now();
  const platform = loadPlatform(readPlatformInput(values.config));
  const known = platform.environments.map((e) => e.name);
  for (const name of values.env ?? []) {
    if (!known.includes(name)) {
      throw new UsageError(`synth: --env ${name} names no environment (known: ${known.join(', ')}).`);
    }
  }
  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(`${line}\n`);
  };
  log(`synth: rendering ${(values.env ?? known).join(', ')}`);
  const result = renderPlatform(platform, values.env);
  const keep = values.env ? known.filter((name) => !values.env?.includes(name)) : [];
  replaceDirectory(resolve(values.out), result.files, { keep });
  if (!values.quiet) {
    process.stdout.write(
      `${synthSummary(result.summaries, result.files.size, performance.now() - started)}\n`,
    );
  }
  return 0;
});
