import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { z } from 'zod';
import { formatPath, problemsFromZod, type ConfigProblem } from './errors';
import { InputFileError, locate, parseYamlInput, type YamlInput } from '../lib/structured-input';
import { readInputText } from './input-file';
import { jobFileSchema, type Job } from './jobs';
import { repoRoot } from './repo-root';
import type { Platform } from './schema';
import { closest } from './suggest';
import { teamEntryProblem, type TeamEntryKind } from './team-folder';

/**
 * Job files (decision 14, docs/decisions.md): a data engineer defines each job in `jobs/<team>/<job>.yaml`,
 * next to its scripts, in the same shape as a job in the platform config (`jobFileSchema`). This
 * module finds and reads them (bounded, like every input file), reports problems at
 * `file:line:col`, and merges them into the teams of the platform:
 *
 * - a file belongs to the team its folder names, in every environment that has the team, or in
 *   the environments its `environments` lists (each must exist and have the team);
 * - jobs from files come after the team's jobs from the platform config, by file name; a name
 *   defined in both is refused;
 * - this holds for the embedded platform and for a `--config FILE` alike: the files are the
 *   repository's, found from its root (`repo-root.ts`), not from the working directory.
 */

/** The folder of the team folders, at the repository root. */
export const JOBS_FOLDER = 'jobs';
/** A job definition's file name ends with this. */
export const JOB_FILE_EXTENSION = '.yaml';
/** The JSON Schema editors use for job files, generated from {@link jobFileSchema}. */
export const JOB_SCHEMA_FILE = `${JOBS_FOLDER}/job.schema.json`;
/** The first line of every job file: VS Code and JetBrains (yaml-language-server) read it. */
export const JOB_FILE_MODELINE = '# yaml-language-server: $schema=../job.schema.json';

const WHAT = 'job file';

/** One job file that parsed and passed its own checks. */
export interface LoadedJobFile {
  /** Repository-relative path, `jobs/<team>/<job>.yaml`. */
  readonly path: string;
  /** The team its folder names. */
  readonly team: string;
  /** The job, without the file-only field `environments`. */
  readonly job: Job;
  /** The environments the file names; undefined: every environment that has the team. */
  readonly environments?: readonly string[];
  /** The parsed file, for positions. */
  readonly input: YamlInput;
  /** The file's text, as parsed (edits such as `rerun` splice it). */
  readonly text: string;
}

/** Every job file of a repository, and the problems each has on its own. */
export interface JobFileSet {
  readonly files: readonly LoadedJobFile[];
  /** Problems that need no platform to find (shape, names, places), each at `file:line:col`. */
  readonly problems: readonly ConfigProblem[];
  /** The repository they were read from (job scripts and files are paths relative to it). */
  readonly root?: string;
}

/** No job files: for platforms that are not this repository's (generated, benchmarks, tests). */
export const NO_JOB_FILES: JobFileSet = { files: [], problems: [] };

/** The JSON Schema of a job file (draft-07, what yaml-language-server supports), for editors. */
export function jobFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(jobFileSchema, { target: 'draft-07', io: 'input' });
}

interface CachedFile {
  readonly text: string;
  readonly result: FileResult;
}
interface FileResult {
  readonly loaded?: LoadedJobFile;
  readonly problems: readonly ConfigProblem[];
}
const cache = new Map<string, CachedFile>();

/**
 * Reads every job file under `<root>/jobs/`. Problems of single files are collected, not thrown;
 * a file that cannot be read or parsed at all (too large, not YAML, hostile) throws its
 * {@link InputFileError} at once, like a broken `--config` file.
 */
export function readJobFiles(root: string = repoRoot()): JobFileSet {
  const folder = join(root, JOBS_FOLDER);
  if (!isDirectory(folder)) return { ...NO_JOB_FILES, root };
  const files: LoadedJobFile[] = [];
  const problems: ConfigProblem[] = [];
  for (const entry of entries(folder)) {
    if (entry.name.startsWith('.')) continue;
    const path = `${JOBS_FOLDER}/${entry.name}`;
    if (isDirectory(join(folder, entry.name))) {
      const fence = teamEntryProblem(root, path, 'folder');
      if (fence !== undefined) {
        problems.push(wholeFileProblem(path, fence, 'folder'));
        continue;
      }
      const team = readTeamFolder(root, entry.name);
      files.push(...team.files);
      problems.push(...team.problems);
    } else if (isJobFileName(entry.name)) {
      problems.push({
        path: '',
        value: undefined,
        location: `${path}:1:1`,
        rule: `is not in a team folder: a job file lives in its team's folder, jobs/<team>/${entry.name}`,
      });
    }
  }
  return { files, problems, root };
}

/** Reads one job file (`jobs/<team>/<job>.yaml`), for commands that work on one job. */
export function readJobDefinition(root: string, team: string, file: string): FileResult {
  const path = `${JOBS_FOLDER}/${team}/${file}`;
  const absolute = join(root, path);
  let text: string;
  try {
    text = readInputText(absolute, WHAT);
  } catch (error) {
    if (error instanceof InputFileError) throw new InputFileError(error.message.replace(absolute, path));
    throw error;
  }
  const cached = cache.get(absolute);
  if (cached?.text === text) return cached.result;
  const result = parseJobFile(path, team, file, text);
  cache.set(absolute, { text, result });
  return result;
}

function readTeamFolder(root: string, team: string): JobFileSet {
  const folder = join(root, JOBS_FOLDER, team);
  const results: FileResult[] = [];
  const problems: ConfigProblem[] = [];
  for (const entry of entries(folder)) {
    const path = `${JOBS_FOLDER}/${team}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      const kind = isDirectory(join(folder, entry.name)) ? 'folder' : 'file';
      const fence = teamEntryProblem(root, path, kind);
      if (fence !== undefined) {
        // A link to a data file is refused where a job names it; a definition or a folder, here.
        if (kind === 'folder' || entry.name.endsWith('.yml') || isJobFileName(entry.name))
          problems.push(wholeFileProblem(path, fence, kind));
        continue;
      }
    }
    if (isDirectory(join(folder, entry.name))) {
      for (const nested of nestedJobFiles(join(folder, entry.name), path)) {
        problems.push({
          path: '',
          value: undefined,
          location: `${nested}:1:1`,
          rule: `is in a subfolder: job files and the files they ship sit directly in jobs/${team}/, so move it there`,
        });
      }
    } else if (entry.name.endsWith('.yml')) problems.push(...misnamedDefinition(root, path, entry.name));
    else if (isJobFileName(entry.name)) results.push(readJobDefinition(root, team, entry.name));
  }
  // Names match file names, so only a file whose name does not can repeat another's: blame it.
  const owner = new Map<string, string>();
  for (const { loaded } of results) {
    if (loaded && fileStem(loaded.path) === loaded.job.name) owner.set(loaded.job.name, loaded.path);
  }
  const files: LoadedJobFile[] = [];
  for (const result of results) {
    problems.push(...result.problems);
    const loaded = result.loaded;
    if (loaded === undefined) continue;
    const fenced = fencedReferences(root, loaded);
    problems.push(...fenced);
    const first = owner.get(loaded.job.name);
    if (first !== undefined && first !== loaded.path) {
      problems.push({
        path: 'name',
        value: loaded.job.name,
        location: `${loaded.path}:${locate(loaded.input, ['name'])}`,
        rule: `is also the name of ${first}; give each job of team ${team} its own name and file`,
      });
    } else owner.set(loaded.job.name, loaded.path);
    // A file with problems of its own stays out of the platform until they are fixed.
    if (result.problems.length === 0 && fenced.length === 0) files.push(loaded);
  }
  return { files, problems };
}

/** A problem with a file (at its start) or a folder as a whole. */
function wholeFileProblem(path: string, rule: string, kind: TeamEntryKind = 'file'): ConfigProblem {
  return { path: '', value: undefined, location: kind === 'file' ? `${path}:1:1` : `${path}/`, rule };
}

/**
 * The script and files of a job file that lead out of its team's folder (links, FIFOs, devices),
 * at their `file:line:col`. Checked on every read, not cached with the text: a link can change
 * while the job file does not.
 */
function fencedReferences(root: string, loaded: LoadedJobFile): ConfigProblem[] {
  const folder = `${JOBS_FOLDER}/${loaded.team}/`;
  const references: [PropertyKey[], string][] = [
    [['script'], loaded.job.script],
    ...loaded.job.files.map((file, i): [PropertyKey[], string] => [['files', i], file]),
  ];
  return references.flatMap(([field, value]) => {
    const name = value.slice(folder.length);
    if (!value.startsWith(folder) || name === '' || name.includes('/')) return [];
    const fence = teamEntryProblem(root, value, 'file');
    if (fence === undefined) return [];
    return [
      {
        path: formatPath(field),
        value,
        location: `${loaded.path}:${locate(loaded.input, field)}`,
        rule: fence,
      },
    ];
  });
}

function fileStem(path: string): string {
  return (path.split('/').pop() ?? '').slice(0, -JOB_FILE_EXTENSION.length);
}

function parseJobFile(path: string, team: string, file: string, text: string): FileResult {
  const input = parseYamlInput(path, text, WHAT);
  const parsed = jobFileSchema.safeParse(input.value);
  if (!parsed.success) {
    const problems = problemsFromZod(input.value, parsed.error, {
      location: (fieldPath, at) =>
        `${path}:${at === 'key' ? keyPosition(input, fieldPath) : locate(input, fieldPath)}`,
      unknownKey: (parent, key) => unknownKeyRule(parent, key),
    });
    // In the order of the file, as an editor lists them.
    return { problems: problems.sort((a, b) => position(a) - position(b)) };
  }
  const { environments, ...job } = parsed.data;
  const stem = fileStem(path);
  const problems: ConfigProblem[] = [];
  if (job.name !== stem) {
    problems.push({
      path: 'name',
      value: job.name,
      location: `${path}:${locate(input, ['name'])}`,
      rule: `does not match the file name ${file}: a job file is named after its job, so rename the file to ${job.name}${JOB_FILE_EXTENSION} or set name: ${stem}`,
    });
  }
  const seen = new Set<string>();
  (environments ?? []).forEach((name, i) => {
    if (seen.has(name)) {
      problems.push({
        path: `environments[${i}]`,
        value: name,
        location: `${path}:${locate(input, ['environments', i])}`,
        rule: 'is listed twice; list each environment once',
      });
    }
    seen.add(name);
  });
  return {
    loaded: { path, team, job, input, text, ...(environments !== undefined ? { environments } : {}) },
    problems,
  };
}

/** A problem's place in its file as one sortable number (line, then column). */
function position(problem: ConfigProblem): number {
  const [, line = '0', col = '0'] = /:(\d+):(\d+)$/.exec(problem.location ?? '') ?? [];
  return Number(line) * 1e6 + Number(col);
}

/** `.yml` files are data unless they look like a job definition, which must end in `.yaml`. */
function misnamedDefinition(root: string, path: string, file: string): ConfigProblem[] {
  let value: unknown;
  try {
    value = parseYamlInput(path, readInputText(join(root, path), WHAT), WHAT).value;
  } catch {
    return []; // not YAML we can read: a data file, shipped as it is
  }
  if (typeof value !== 'object' || value === null || !('script' in value)) return [];
  return [
    {
      path: '',
      value: undefined,
      location: `${path}:1:1`,
      rule: `looks like a job definition but is not read as one: job files end in ${JOB_FILE_EXTENSION}, so rename it to ${file.replace(/\.yml$/, JOB_FILE_EXTENSION)}`,
    },
  ];
}

/** The job fields a path into a job file may hold (for "did you mean"). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = jobFileSchema;
  for (const part of [...path, undefined]) {
    for (;;) {
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) {
        schema = schema.unwrap() as z.ZodType;
      } else break;
    }
    if (part === undefined) break;
    if (schema instanceof z.ZodObject && typeof part === 'string') {
      const next = (schema.shape as Record<string, z.ZodType | undefined>)[part];
      if (next === undefined) return [];
      schema = next;
    } else if (schema instanceof z.ZodArray && typeof part === 'number') {
      schema = schema.element as z.ZodType;
    } else return [];
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unknownKeyRule(parent: readonly PropertyKey[], key: string): string {
  const known = knownKeys(parent);
  const where = parent.length === 0 ? 'a job field' : `a field of ${formatPath(parent)}`;
  const match = closest(key, known);
  if (match !== undefined) return `is not ${where}; did you mean ${match}?`;
  return `is not ${where} (known: ${known.join(', ')}); see jobs/README.md`;
}

/** `line:col` of the key of the field at `path` (its parent's position when there is no such key). */
function keyPosition(input: YamlInput, path: readonly PropertyKey[]): string {
  const key = path[path.length - 1];
  const parent = path.slice(0, -1);
  const node = (parent.length === 0 ? input.document.contents : input.document.getIn(parent, true)) as
    Node | null | undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) {
        const { line, col } = input.lines.linePos(pair.key.range[0]);
        return `${line}:${col}`;
      }
    }
  }
  return locate(input, path);
}

/** The platform with the job files' jobs added to their teams, and what went wrong. */
export interface MergedPlatform {
  readonly platform: Platform;
  readonly problems: readonly ConfigProblem[];
  /** `environments[e].teams[t].jobs[j]` → the file that job came from. */
  readonly origins: ReadonlyMap<string, LoadedJobFile>;
}

/** Adds each job file's job to its team in the environments it runs in. */
export function mergeJobFiles(platform: Platform, set: JobFileSet): MergedPlatform {
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, LoadedJobFile>();
  if (set.files.length === 0) return { platform, problems, origins };
  const envNames = platform.environments.map((env) => env.name);
  const teamNames = [...new Set(platform.environments.flatMap((env) => env.teams.map((team) => team.name)))];
  const added = new Map<string, LoadedJobFile[]>();
  for (const file of set.files) {
    const at = (path: readonly PropertyKey[]) => `${file.path}:${locate(file.input, path)}`;
    if (!teamNames.includes(file.team)) {
      const match = closest(file.team, teamNames);
      problems.push({
        path: '',
        value: undefined,
        location: at([]),
        rule: `is in jobs/${file.team}/, but the platform has no team ${file.team}${match === undefined ? '' : ` (did you mean jobs/${match}/?)`}: a job file lives in the folder of its team (teams: ${teamNames.join(', ')})`,
      });
      continue;
    }
    const targets: number[] = [];
    let placed = true;
    if (file.environments === undefined) {
      platform.environments.forEach((env, e) => {
        if (env.teams.some((team) => team.name === file.team)) targets.push(e);
      });
    } else {
      file.environments.forEach((name, i) => {
        const e = envNames.indexOf(name);
        const env = platform.environments[e];
        if (env === undefined) {
          const match = closest(name, envNames);
          problems.push({
            path: `environments[${i}]`,
            value: name,
            location: at(['environments', i]),
            rule: `names no environment of the platform${match === undefined ? '' : `; did you mean ${match}?`} (environments: ${envNames.join(', ')})`,
          });
          placed = false;
        } else if (!env.teams.some((team) => team.name === file.team)) {
          problems.push({
            path: `environments[${i}]`,
            value: name,
            location: at(['environments', i]),
            rule: `has no team ${file.team}; remove it from environments, or ask the platform team to add the team there`,
          });
          placed = false;
        } else if (!targets.includes(e)) targets.push(e);
      });
    }
    if (!placed) continue;
    for (const e of targets) {
      const env = platform.environments[e];
      const t = env?.teams.findIndex((team) => team.name === file.team) ?? -1;
      const team = env?.teams[t];
      if (env === undefined || team === undefined) continue;
      const clash = team.jobs.findIndex((job) => job.name === file.job.name);
      if (clash !== -1) {
        problems.push({
          path: 'name',
          value: file.job.name,
          location: at(['name']),
          rule: `is also a job of team ${team.name} in the platform config (environments[${e}].teams[${t}].jobs[${clash}], environment ${env.name}); rename or delete one of the two`,
        });
        continue;
      }
      const key = `${e}/${t}`;
      added.set(key, [...(added.get(key) ?? []), file]);
    }
  }
  const environments = platform.environments.map((env, e) => ({
    ...env,
    teams: env.teams.map((team, t) => {
      const files = added.get(`${e}/${t}`);
      if (files === undefined) return team;
      files.forEach((file, i) => {
        origins.set(`environments[${e}].teams[${t}].jobs[${team.jobs.length + i}]`, file);
      });
      return { ...team, jobs: [...team.jobs, ...files.map((file) => file.job)] };
    }),
  }));
  return { platform: { ...platform, environments }, problems, origins };
}

const JOB_PATH = /^(environments\[(\d+)\]\.teams\[\d+\]\.jobs\[\d+\])(.*)$/;
const PATH_PART = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;

/**
 * Problems the platform rules found in jobs that came from files, restated at the file's
 * `line:col` with the field path inside the file; one problem for all environments it holds in.
 */
export function placeJobProblems(
  problems: readonly ConfigProblem[],
  merged: MergedPlatform,
): ConfigProblem[] {
  if (merged.origins.size === 0) return [...problems];
  const placed = new Map<string, { problem: ConfigProblem; envs: string[]; file: LoadedJobFile }>();
  const result: (ConfigProblem | string)[] = [];
  for (const problem of problems) {
    const match = JOB_PATH.exec(problem.path);
    const file = match ? merged.origins.get(match[1] ?? '') : undefined;
    if (!match || file === undefined) {
      result.push(problem);
      continue;
    }
    const keys = fieldKeys(match[3] ?? '');
    const local: ConfigProblem = {
      ...problem,
      path: keys === undefined ? (match[3] ?? '').replace(/^\./, '') : formatKeys(keys),
      location: `${file.path}:${locate(file.input, keys ?? [])}`,
    };
    const key = JSON.stringify([local.location, local.path, local.value, local.rule]);
    const env = merged.platform.environments[Number(match[2])]?.name ?? '';
    const seen = placed.get(key);
    if (seen) seen.envs.push(env);
    else {
      placed.set(key, { problem: local, envs: [env], file });
      result.push(key);
    }
  }
  return result.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const { problem, envs, file } = placed.get(entry) as {
      problem: ConfigProblem;
      envs: string[];
      file: LoadedJobFile;
    };
    // Name the environment only where the file runs in more than one.
    const runsIn = merged.platform.environments.filter((env) =>
      env.teams.some((team) => team.name === file.team && team.jobs.includes(file.job)),
    );
    if (runsIn.length <= 1) return problem;
    const which = `${envs.length === 1 ? 'environment' : 'environments'} ${envs.join(', ')}`;
    return { ...problem, path: problem.path === '' ? `(${which})` : `${problem.path} (${which})` };
  });
}

/** `.a[0]["b.c"]` → ['a', 0, 'b.c'], or undefined for a path this parser does not know. */
function fieldKeys(rest: string): PropertyKey[] | undefined {
  const keys: PropertyKey[] = [];
  for (let text = rest; text !== '';) {
    const part = PATH_PART.exec(text);
    if (!part) return undefined;
    if (part[1] !== undefined) keys.push(part[1]);
    else if (part[2] !== undefined) keys.push(Number(part[2]));
    else keys.push(JSON.parse(`"${part[3] ?? ''}"`) as string);
    text = text.slice(part[0].length);
  }
  return keys;
}

function formatKeys(keys: readonly PropertyKey[]): string {
  return keys
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${i === 0 ? '' : '.'}${String(key)}`
          : `["${String(key)}"]`,
    )
    .join('');
}

function isJobFileName(name: string): boolean {
  return name.endsWith(JOB_FILE_EXTENSION) && name.length > JOB_FILE_EXTENSION.length;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Directory entries by name (code-point order: the same on every machine). */
function entries(folder: string): Dirent[] {
  return readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** YAML files anywhere under a team's subfolder (where no job file is read). */
function nestedJobFiles(folder: string, path: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && isJobFileName(entry.name))
    .map((entry) => `${path}/${join(entry.parentPath, entry.name).slice(folder.length + 1)}`)
    .sort();
}
