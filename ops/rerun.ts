import {
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isScalar, type Scalar, type YAMLMap } from 'yaml';
import { ConfigError } from '../config/errors';
import { JOB_FILE_EXTENSION, JOBS_FOLDER, readJobDefinition } from '../config/job-files';
import { InputFileError, parseYamlInput, type YamlInput } from '../lib/structured-input';
import { closest } from '../config/suggest';
import { DNS_LABEL } from '../lib/dns';

/**
 * Running a job again (decision 5, docs/decisions.md): a JobRun runs once per name, and its name hashes the
 * job's `rerun` counter, so bumping the counter in the job file gives the next synth a new JobRun.
 * The file is edited as text, touching only the counter's value (or adding one line), so its
 * comments, order and quoting stay as the data engineer wrote them.
 */

/** One job file's planned edit. */
export interface RerunEdit {
  /** `<team>/<job>`. */
  readonly job: string;
  /** Repository-relative path of the job file. */
  readonly path: string;
  readonly from: number;
  readonly to: number;
  /** The file's new text. */
  readonly text: string;
}

/** A job the user named that cannot be rerun: one sentence. */
export class RerunError extends Error {
  override readonly name = 'RerunError';
}

/** `<team>/<job>` or `jobs/<team>/<job>.yaml` (what tab completion gives) → team and job. */
export function parseJobRef(ref: string): { team: string; job: string } {
  const path = ref.replace(/^\.\//, '');
  const parts = path.startsWith(`${JOBS_FOLDER}/`)
    ? path
        .slice(JOBS_FOLDER.length + 1)
        .replace(new RegExp(`\\${JOB_FILE_EXTENSION}$`), '')
        .split('/')
    : path.split('/');
  const [team = '', job = ''] = parts;
  if (parts.length !== 2 || !DNS_LABEL.test(team) || !DNS_LABEL.test(job)) {
    throw new RerunError(
      `rerun: ${ref} is not a job: name it <team>/<job> (such as emr-data-team-a/taxi-ebs) or by its file, jobs/<team>/<job>.yaml.`,
    );
  }
  return { team, job };
}

/**
 * Reads `jobs/<team>/<job>.yaml` under `root`, checks it and returns the edit that bumps its
 * counter. Throws a {@link RerunError} for a job that does not exist, a {@link ConfigError} for a
 * file with problems (fix them first: the next synth would stop on them anyway).
 */
export function planRerun(root: string, ref: string): RerunEdit {
  const { team, job } = parseJobRef(ref);
  const folder = join(root, JOBS_FOLDER, team);
  if (!isDirectory(folder)) {
    const teams = listing(join(root, JOBS_FOLDER), (name, dir) => isDirectory(join(dir, name)));
    const match = closest(team, teams);
    throw new RerunError(
      `rerun: ${ref} names no team folder ${JOBS_FOLDER}/${team}/${match === undefined ? '' : `; did you mean ${match}/${job}?`} (team folders: ${teams.join(', ') || 'none'}).`,
    );
  }
  const file = `${job}${JOB_FILE_EXTENSION}`;
  const path = `${JOBS_FOLDER}/${team}/${file}`;
  refuseLink(root, `${JOBS_FOLDER}/${team}`);
  refuseLink(root, path);
  if (!isFile(join(folder, file))) {
    const jobs = listing(folder, (name) => name.endsWith(JOB_FILE_EXTENSION)).map((name) =>
      name.slice(0, -JOB_FILE_EXTENSION.length),
    );
    const match = closest(job, jobs);
    throw new RerunError(
      `rerun: ${ref} names no job file ${path}${match === undefined ? '' : `; did you mean ${team}/${match}?`} (jobs of ${team}: ${jobs.join(', ') || 'none'}). A job defined in TypeScript (config/) is rerun by bumping its rerun field there.`,
    );
  }
  const result = readJobDefinition(root, team, file);
  if (result.loaded === undefined || result.problems.length > 0) throw new ConfigError(result.problems);
  const { input, text: source } = result.loaded;
  const from = result.loaded.job.rerun;
  if (from >= Number.MAX_SAFE_INTEGER) {
    throw new RerunError(
      `rerun: ${path} holds rerun: ${from}, the largest counter synth accepts (2^53 - 1), so it cannot be bumped: set rerun to a smaller number by hand.`,
    );
  }
  const to = from + 1;
  const text = bumpRerun(input, source, to);
  return { job: `${team}/${job}`, path, from, to, text };
}

/**
 * The text with `rerun: <next>`: the counter's value replaced where it is, or one line (one
 * entry in a flow mapping) added at the end. The result is parsed again and must hold exactly
 * the same data but the counter, else the edit is refused.
 */
export function bumpRerun(input: YamlInput, text: string, next: number): string {
  const map = input.document.contents as YAMLMap;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === 'rerun');
  let edited: string;
  if (pair !== undefined) {
    const value = pair.value as Scalar | null;
    if (!isScalar(value) || value.range === undefined || value.range === null) {
      throw refused(input.file, next);
    }
    edited = `${text.slice(0, value.range[0])}${next}${text.slice(value.range[1])}`;
  } else if (map.flow === true) {
    const end = (map.range?.[1] ?? 0) - 1;
    if (text[end] !== '}') throw refused(input.file, next);
    const before = text.slice(0, end).trimEnd();
    const separator = map.items.length > 0 ? (before.endsWith(',') ? ' ' : ', ') : '';
    edited = `${before}${separator}rerun: ${next}${text.slice(before.length)}`;
  } else {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const firstKey = map.items[0]?.key as Scalar | undefined;
    const indent = firstKey?.range ? input.lines.linePos(firstKey.range[0]).col - 1 : 0;
    const body = text.length === 0 || text.endsWith('\n') ? text : `${text}${eol}`;
    edited = `${body}${' '.repeat(indent)}rerun: ${next}${eol}`;
  }
  let after: unknown;
  try {
    after = parseYamlInput(input.file, edited, 'job file').value;
  } catch (error) {
    if (error instanceof InputFileError) throw refused(input.file, next);
    throw error;
  }
  const expected = { ...(input.value as Record<string, unknown>), rerun: next };
  if (!isDeepStrictEqual(after, expected)) throw refused(input.file, next);
  return edited;
}

function refused(file: string, next: number): RerunError {
  return new RerunError(
    `rerun: cannot change the rerun counter of ${file} without touching the rest of the file; set rerun: ${next} in it by hand.`,
  );
}

/**
 * rerun writes by renaming a new file over the job file, which would replace a link with a copy
 * (and a linked team folder would have it write outside `jobs/`): refuse both.
 */
function refuseLink(root: string, path: string): void {
  let target: string;
  try {
    if (!lstatSync(join(root, path)).isSymbolicLink()) return;
    target = readlinkSync(join(root, path));
  } catch {
    return; // missing: planRerun says so with the names it knows
  }
  throw new RerunError(
    `rerun: ${path} is a symbolic link to ${target}, and rerun would replace the link with a copy of the file; bump the rerun counter in the file itself by hand.`,
  );
}

/** How long {@link rerunJob} waits for another rerun of the same job file, in milliseconds. */
export const RERUN_LOCK_WAIT_MS = 10_000;
const RERUN_LOCK_RETRY_MS = 20;

/** The lock file of a job file (beside it, hidden): present while a rerun edits the file. */
export function rerunLockPath(root: string, path: string): string {
  const target = join(root, path);
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * Bumps a job's counter under the job file's lock: read, edit and write happen while no other
 * rerun of the same file can, so concurrent reruns each count (six reruns add six). Returns
 * the edit made (planned again under the lock, from the file as it is then).
 */
export function rerunJob(root: string, ref: string): RerunEdit {
  const { team, job } = parseJobRef(ref);
  const lock = rerunLockPath(root, `${JOBS_FOLDER}/${team}/${job}${JOB_FILE_EXTENSION}`);
  acquireLock(lock, ref);
  try {
    const edit = planRerun(root, ref);
    writeJobFile(root, edit);
    return edit;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Creates `lock` exclusively (O_EXCL), waiting while a live rerun holds it; clears a dead one's. */
function acquireLock(lock: string, ref: string): void {
  const deadline = Date.now() + RERUN_LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lock);
    if (holder !== undefined && !isAlive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new RerunError(
        `rerun: ${ref} is being rerun by another process (its lock ${basename(lock)} is held by pid ${holder ?? 'unknown'}): wait for it, or delete the lock if no rerun is running.`,
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RERUN_LOCK_RETRY_MS);
  }
}

function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes the new text next to the file and renames it over the file: a reader sees the old file
 * or the new one, never half of either, and a failed write leaves the old file.
 */
export function writeJobFile(root: string, edit: RerunEdit): void {
  const target = join(root, edit.path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, edit.text, { mode: statSync(target).mode & 0o777, flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function listing(folder: string, keep: (name: string, folder: string) => boolean): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => !name.startsWith('.') && keep(name, folder))
      .sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
