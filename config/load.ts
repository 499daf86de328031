import { ConfigError, formatProblem, problemsFromZod, withSubjects, type ConfigProblem } from './errors';
import { mergeJobFiles, placeJobProblems, readJobFiles, type JobFileSet } from './job-files';
import { repoRoot } from './repo-root';
import { checkPlatform } from './rules';
import { platformSchema, type Platform } from './schema';

/**
 * Parses and checks a platform description together with the repository's job files
 * (`jobs/<team>/<job>.yaml`, see `job-files.ts`; pass `NO_JOB_FILES` for a platform that is not
 * this repository's). Returns the config with every default filled in and the files' jobs in
 * their teams, or throws a {@link ConfigError} listing every problem found (each one sentence;
 * problems in job files at `file:line:col`).
 */
export function loadPlatform(input: unknown, jobFiles: JobFileSet = readJobFiles()): Platform {
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      unique(withSubjects([...problemsFromZod(input, parsed.error), ...jobFiles.problems], input)),
    );
  }
  const merged = mergeJobFiles(parsed.data, jobFiles);
  const problems = unique([
    ...jobFiles.problems,
    ...merged.problems,
    ...placeJobProblems(checkPlatform(merged.platform, jobFiles.root ?? repoRoot()), merged),
  ]);
  if (problems.length > 0) throw new ConfigError(withSubjects(problems, input));
  return merged.platform;
}

/** Each sentence once, in the order found. */
function unique(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...new Map(problems.map((problem) => [formatProblem(problem), problem])).values()];
}
