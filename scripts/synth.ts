import { relative, resolve } from 'node:path';
import { loadPlatform } from '../config';
import { displayPath } from '../config/display-path';
import { readJobFiles } from '../config/job-files';
import { parseOptions, UsageError } from '../pipeline/cli';
import { planCodeowners } from '../pipeline/codeowners';
import { readPlatformInput } from '../pipeline/config-file';
import { placeJobFindings } from '../pipeline/job-findings';
import { faultInjection } from '../pipeline/fault-injection';
import { checkpoint, stopOnSignal } from '../pipeline/interrupt';
import { lockReleased, withOutputLock } from '../pipeline/output-lock';
import { checkOutputTarget } from '../pipeline/safe-output';
import { assertVersionsAgree } from '../pipeline/version-guards';
import { replaceDirectory } from '../pipeline/write';

const HELP = `Usage: npm run synth [-- --env NAME ...] [--config FILE] [--out DIR] [--quiet] [--format text|json]

Renders every environment of the platform description into dist/ (Terraform JSON, Kubernetes
YAML, Argo CD objects), validated in memory first. dist/ is replaced atomically: on any error
it is left exactly as it was. Synth only replaces a folder it made (or a new one), keeps
Terraform's working files (.terraform/, .terraform.lock.hcl, *.tfstate*) in stack folders, and
waits while another synth writes the same folder (see docs/safety.md).

  --env NAME     render only this environment (repeatable); other environments stay as they are
  --config FILE  a YAML/JSON platform description instead of the embedded one (config/)
  --out DIR      output directory (default: dist)
  --quiet        print nothing but errors and warnings
  --format json  print validation findings as a JSON array on stdout (for tools)
  --help         show this help`;

/** `emr-eks-gitops synth`: returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
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
  if (values.out.trim() === '') {
    throw new UsageError('synth: --out needs a folder (for example --out dist).');
  }
  assertVersionsAgree();
  const out = resolve(values.out);
  // A target synth must never replace is refused before the render, which takes seconds.
  checkOutputTarget(out, { contents: false });
  let writing = false;
  stopOnSignal((signal) =>
    writing
      ? `synth: stopped by ${signal} once the write it had begun was over: ${values.out}/ is complete (old or new), and no lock or staging folder is left.`
      : `synth: stopped by ${signal} before writing: ${values.out}/ was left as it was.`,
  );
  const started = performance.now();
  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(`${line}\n`);
  };

  // 1. Load: the platform description and the teams' job files.
  const jobFiles = readJobFiles();
  const input = readPlatformInput(values.config);

  // 2. Resolve: the validated, typed platform and its model.
  const platform = loadPlatform(input, jobFiles);
  const known = platform.environments.map((e) => e.name);
  for (const name of values.env ?? []) {
    if (!known.includes(name)) {
      throw new UsageError(`synth: --env ${name} names no environment (known: ${known.join(', ')}).`);
    }
  }
  // The renderer and the validator load CDKTF, cdk8s and the schemas: only once input is good.
  const [{ renderPlatform }, { loadModel }, { validateRender }, { synthSummary }, { formatFinding }] =
    await Promise.all([
      import('../pipeline/render.js'),
      import('../pipeline/load-model.js'),
      import('../pipeline/validate-render.js'),
      import('../pipeline/summary.js'),
      import('../validation/findings.js'),
    ]);
  // The model the renderers take, of the environments to render, with the sources it reads
  // (job files, Terraform outputs).
  const only = values.env;
  const model = loadModel({
    environments: platform.environments.filter((env) => only === undefined || only.includes(env.name)),
  });

  // 3. Render, in memory.
  log(`synth: rendering ${(values.env ?? known).join(', ')}`);
  const result = renderPlatform(model);
  // A Ctrl-C during the render or the validation stops synth before it writes anything.
  await checkpoint();

  // 4. Validate the render; any finding leaves the output as it was.
  log(`synth: validating ${result.files.size} files`);
  const validation = validateRender(result.files, values.out, result.objects);
  await checkpoint();
  if (validation.findings.length > 0) {
    // A finding on a job's JobRun points at the job file and line the data engineer wrote.
    const prefix = relative(process.cwd(), out).split('\\').join('/') || '.';
    const findings = placeJobFindings(validation.findings, result.objects, jobFiles, prefix);
    if (values.format === 'json') process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
    else for (const finding of findings) process.stderr.write(`${formatFinding(finding)}\n`);
    process.stderr.write(
      `synth: ${findings.length} validation finding(s); ${values.out}/ was left unchanged.\n`,
    );
    return 1;
  }

  // 5. Write: the output folder and .github/CODEOWNERS in one step, holding the lock.
  let told = false;
  const lock = {
    since: Date.now(),
    onWait: (holder: string) => {
      if (!told) log(`synth: waiting for ${holder}, which is writing ${displayPath(out)}`);
      told = true;
    },
  };
  // Waiting for another run's lock lets a Ctrl-C stop synth at once, writing nothing.
  await lockReleased(out, lock);
  writing = true;
  const keep = values.env ? known.filter((name) => !values.env?.includes(name)) : [];
  let written;
  try {
    written = withOutputLock(
      out,
      () => {
        const owners = planCodeowners(platform, out);
        log(`synth: writing ${displayPath(out)}`);
        const replaced = replaceDirectory(out, result.files, {
          keep,
          alongside: [owners],
          onStep: faultInjection(),
        });
        return { ...replaced, owners: owners.action };
      },
      lock,
    );
  } finally {
    // A signal that came during the write is handled now that it is over (its handle does not
    // keep the process alive by itself, so it is given this turn of the event loop).
    await checkpoint();
  }
  if (written.owners !== 'unchanged') log(`synth: ${written.owners} .github/CODEOWNERS`);
  for (const [stack, names] of byStack(written.kept)) {
    log(`synth: kept Terraform's working files in ${displayPath(resolve(out, stack))}: ${names.join(', ')}`);
    const legacy = names.filter((name) => /\.tfstate$/.test(name));
    if (legacy.length > 0) {
      process.stderr.write(
        `synth: warning: ${displayPath(resolve(out, stack, legacy[0] ?? ''))} is local state in its old place; local state now lives in terraform-state/ beside ${displayPath(out)}: run \`terraform -chdir=${displayPath(resolve(out, stack))} init -migrate-state\` once, check \`terraform plan\`, then delete the old file (docs/safety.md).\n`,
      );
    }
  }
  for (const warning of written.warnings) process.stderr.write(`synth: warning: ${warning}\n`);
  for (const notice of result.notices) process.stderr.write(`synth: waiting: ${notice}\n`);
  if (!values.quiet) {
    process.stdout.write(
      `${synthSummary(result.summaries, result.files.size, performance.now() - started, validation)}\n`,
    );
  }
  return 0;
}

/** `default/terraform/base/.terraform` … grouped by stack folder. */
function byStack(paths: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const cut = path.lastIndexOf('/');
    const stack = path.slice(0, cut);
    groups.set(stack, [...(groups.get(stack) ?? []), path.slice(cut + 1)]);
  }
  return groups;
}
