import { REPO_ROOT } from '../config/jobs';
import { parseOptions, UsageError } from '../pipeline/cli';
import { table } from '../pipeline/summary';
import { planRerun, RerunError, writeJobFile, type RerunEdit } from '../ops/rerun';

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
  // Check every job before writing any file.
  const edits = new Map<string, RerunEdit>();
  for (const ref of positionals) {
    const edit = plan(ref);
    if (!edits.has(edit.path)) edits.set(edit.path, edit);
  }
  for (const edit of edits.values()) writeJobFile(REPO_ROOT, edit);
  const all = [...edits.values()];
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

function plan(ref: string): RerunEdit {
  try {
    return planRerun(REPO_ROOT, ref);
  } catch (error) {
    if (error instanceof RerunError) throw new UsageError(error.message);
    throw error;
  }
}
