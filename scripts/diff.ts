import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadPlatform } from '../config';
import { parseOptions, UsageError } from '../pipeline/cli';
import { readPlatformInput } from '../pipeline/config-file';
import { loadModel } from '../pipeline/load-model';
import { renderPlatform } from '../pipeline/render';
import { diffTrees, isDestructive } from '../review/diff';
import { markdownReport } from '../review/markdown';
import { textReport } from '../review/report';
import { treeAt } from '../validation/sources';

const HELP = `Usage: npm run diff [-- --base REF] [--committed] [--markdown] [--fail-on destructive]
                    [--config FILE] [--out DIR]

Compares this branch's rendered dist/ with dist/ at REF: every Kubernetes object and every
Terraform block (terraform settings, providers, resources, data sources, outputs, locals,
moved/import/removed), matched by identity, field by field. Documents inside strings (Helm
values, IAM policies, JobRun configurationOverrides, YAML/JSON ConfigMap entries) are compared
as data, other texts line by line; list items are matched by name/key/Sid/id. A job's old and
new JobRun (and upload or seeding Job) are paired: its Spark settings by key, its script as a
line diff. Destructive warnings name what destroys, replaces, cancels, fails, moves state or
widens access: JobRuns edited in place or cancelled, node pool and node class changes that
replace nodes, lowered limits, Terraform destroys and replacements, provider and backend
changes, widened IAM policies and AppProjects; a job that runs again or is retired is named
too, without failing the gate. When a Terraform stack changed, the report ends with the applies
it needs: which stacks, in which order, before or after the merge.

  --base REF           what to compare with (default: origin/main if it exists, else HEAD~1)
  --committed          compare dist/ as committed at HEAD instead of a fresh render
  --markdown           print a PR comment (summary first, details folded, capped for size)
  --fail-on destructive
                       exit 2 when a destructive warning fires (for CI)
  --config FILE        render this platform description instead of the embedded one
  --out DIR            the dist directory in the repository (default: dist)
  --help               show this help`;

function refExists(ref: string): boolean {
  return (
    spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' }).status ===
    0
  );
}

function insideRepository(): boolean {
  return spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' }).status === 0;
}

/** Why `base` cannot be compared with, and what to pass instead (never the ref that failed). */
function missingBase(base: string): string {
  if (!insideRepository()) {
    return `diff: ${process.cwd()} is not inside a git repository, so there is no --base ${base} to compare with: run diff in the repository that holds dist/.`;
  }
  if (!refExists('HEAD')) {
    return `diff: --base ${base} is not a commit: this repository has no commits yet; commit dist/ first, then compare with --base HEAD.`;
  }
  const fallback = base !== 'HEAD~1' && refExists('HEAD~1') ? 'HEAD~1' : 'HEAD';
  return `diff: --base ${base} is not a commit in this repository (try --base ${fallback}).`;
}

/** `emr-eks-gitops diff`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values } = parseOptions('diff', args, {
    base: { type: 'string' },
    committed: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string', default: 'dist' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values['fail-on'] !== undefined && values['fail-on'] !== 'destructive') {
    throw new UsageError(
      `diff: --fail-on ${values['fail-on']} is not supported (use --fail-on destructive).`,
    );
  }
  const base = values.base ?? (refExists('origin/main') ? 'origin/main' : 'HEAD~1');
  if (!refExists(base)) throw new UsageError(missingBase(base));
  const dir = resolve(values.out);
  let head = values.committed ? 'HEAD' : 'fresh render';
  let headTree: ReadonlyMap<string, string>;
  if (values.committed) headTree = treeAt(dir, 'HEAD');
  else {
    process.stderr.write('diff: rendering the platform\n');
    headTree = new Map(
      [...renderPlatform(loadModel(loadPlatform(readPlatformInput(values.config)))).files].filter(
        ([path]) => !path.endsWith('.md'),
      ),
    );
    head = values.config ? `render of ${values.config}` : head;
  }
  process.stderr.write(`diff: comparing dist/ at ${base} with the ${head}\n`);
  const report = diffTrees(treeAt(dir, base), headTree, { base, head });
  process.stdout.write(
    `${values.markdown ? markdownReport(report, base, head) : textReport(report, base, head)}\n`,
  );
  return values['fail-on'] === 'destructive' && isDestructive(report) ? 2 : 0;
}
