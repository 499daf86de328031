import { repoRoot } from '../config/repo-root';
import { parseOptions, UsageError } from '../pipeline/cli';
import { table } from '../lib/table';
import { planRerun, RerunError, rerunJob, type RerunEdit } from '../ops/rerun';

const HELP = `Usage: npm run rerun -- <team>/<job> [<team>/<job> ...]

Runs jobs again. A job runs once per JobRun name, and the name hashes the job's rerun counter:
this bumps the counter in each job's file, jobs/<team>/<job>.yaml, and changes nothing else in
it (comments, order and quoting stay). Then synth renders a new JobRun for each job, the diff
shows it, and the merge runs it. The previous JobRun leaves git; its EMR job is not cancelled.

  <team>/<job>   a job in YAML (its file path, jobs/<team>/<job>.yaml, works too)
  --help         show this help

Jobs defined in TypeScript (config/) are rerun by bumping their rerun field there.`;

/** `emr-eks-gitops rerun`: returns the exit code. */
export function run(args: readonly string[]): number {
  const { values, positionals } = parseOptions(
    'rerun',
    args,
    { help: { type: 'boolean', default: false } },
    true,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError('rerun: name the job to run again, such as emr-data-team-a/taxi-ebs (see --help).');
  }
  // Check every job before writing any file; then bump each under its lock, from the file as it
  // is then (a concurrent rerun of the same job may have bumped it meanwhile).
  const planned = new Map<string, string>();
  const root = repoRoot();
  for (const ref of positionals) {
    const edit = attempt(() => planRerun(root, ref));
    if (!planned.has(edit.path)) planned.set(edit.path, ref);
  }
  const all = [...planned.values()].map((ref) => attempt(() => rerunJob(root, ref)));
  const files = all.map((edit) => edit.path).join(' ');
  const jobs = all.map((edit) => edit.job).join(', ');
  process.stdout.write(
    [
      table(
        ['job', 'file', 'rerun'],
        all.map((edit) => [edit.job, edit.path, `${edit.from} -> ${edit.to}`]),
      ),
      '',
      'Next:',
      `  npm run synth    render the new JobRun${all.length === 1 ? '' : 's'} (new name${all.length === 1 ? '' : 's'}: the counter is part of the hash)`,
      '  npm run diff     review: each new JobRun added, the previous one removed (its EMR job keeps running)',
      `  git add ${files} dist && git commit -m "Rerun ${jobs}"`,
      `                   then open the pull request; merging runs ${all.length === 1 ? 'the job' : 'the jobs'} again`,
      '',
    ].join('\n'),
  );
  return 0;
}

function attempt(step: () => RerunEdit): RerunEdit {
  try {
    return step();
  } catch (error) {
    if (error instanceof RerunError) throw new UsageError(error.message);
    throw error;
  }
}
