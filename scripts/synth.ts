import { resolve } from 'node:path';
import { loadPlatform } from '../config';
import { parseOptions, UsageError } from '../pipeline/cli';
import { readPlatformInput } from '../pipeline/config-file';
import { renderPlatform } from '../pipeline/render';
import { synthSummary } from '../pipeline/summary';
import { writeCodeowners } from '../pipeline/codeowners';
import { validateRender } from '../pipeline/validate-render';
import { replaceDirectory } from '../pipeline/write';
import { formatFinding } from '../validation/findings';

const HELP = `Usage: npm run synth [-- --env NAME ...] [--config FILE] [--out DIR] [--quiet] [--format text|json]

Renders every environment of the platform description into dist/ (Terraform JSON, Kubernetes
YAML, Argo CD objects), validated in memory first. dist/ is replaced atomically: on any error
it is left exactly as it was.

  --env NAME     render only this environment (repeatable); other environments stay as they are
  --config FILE  a YAML/JSON platform description instead of the embedded one (config/)
  --out DIR      output directory (default: dist)
  --quiet        print nothing but errors
  --format json  print validation findings as a JSON array on stdout (for tools)
  --help         show this help`;

/** `emr-eks-gitops synth`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('synth', args, {
    env: { type: 'string', multiple: true },
    config: { type: 'string' },
    out: { type: 'string', default: 'dist' },
    quiet: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`synth: --format ${values.format} is not supported (use text or json).`);
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
  log(`synth: validating ${result.files.size} files`);
  const validation = validateRender(result.files, values.out, result.objects);
  if (validation.findings.length > 0) {
    if (values.format === 'json') process.stdout.write(`${JSON.stringify(validation.findings, null, 2)}\n`);
    else for (const finding of validation.findings) process.stderr.write(`${formatFinding(finding)}\n`);
    process.stderr.write(
      `synth: ${validation.findings.length} validation finding(s); ${values.out}/ was left unchanged.\n`,
    );
    return 1;
  }
  const keep = values.env ? known.filter((name) => !values.env?.includes(name)) : [];
  replaceDirectory(resolve(values.out), result.files, { keep });
  if (writeCodeowners(platform, resolve(values.out)) !== 'unchanged')
    log('synth: updated .github/CODEOWNERS');
  if (!values.quiet) {
    process.stdout.write(
      `${synthSummary(result.summaries, result.files.size, performance.now() - started, validation)}\n`,
    );
  }
  return 0;
}
