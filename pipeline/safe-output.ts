import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { displayPath } from '../config/display-path';
import { isTerraformWorkingFile } from './terraform-files';

/**
 * The guard of every command that writes files (decision 13, docs/decisions.md): which output folders synth
 * may replace, how one file is written, how folders are created and scratch space is cleaned up.
 * A refusal or a filesystem failure is one {@link OutputError} sentence naming the path, the cause
 * and the fix, raised before anything is changed. Nothing here loops on an error.
 */

/** A write refused or failed: one sentence (path, cause, fix); exit code 1. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** The file synth writes at the top of every output folder it makes: its licence to replace it. */
export const MARKER_FILE = '.emr-eks-gitops';

/**
 * The marker's text. It lists no files: it is committed with `dist/`, and a list would conflict
 * in every pair of pull requests that change `dist/` (and be stale after each merge). What synth
 * writes is known by its shape, the dist/ layout contract (see {@link foreignEntry}).
 */
export const MARKER_TEXT = [
  'Written by `emr-eks-gitops synth` (npm run synth), which replaces this folder as a whole on every',
  "run: do not edit it. Terraform's working files in its stack folders (.terraform/,",
  '.terraform.lock.hcl, *.tfstate*) are kept; any other file outside the dist/ layout makes synth',
  'refuse to replace the folder. See docs/safety.md.',
  '',
].join('\n');

/**
 * The note at the top of each staging folder synth makes beside an output folder
 * (`.<name>-new-<pid>`, `.<name>-old-<pid>`), holding the pid of the run: only folders with it
 * are synth's own (pipeline/write.ts).
 */
export const STAGING_NOTE = '.emr-eks-gitops-staging';

/**
 * Whether `dir` carries synth's marker. A marker that is not a regular file, or is too large, is
 * not synth's: such a folder is judged like an unmarked one.
 */
function hasMarker(dir: string): boolean {
  const marker = join(dir, MARKER_FILE);
  if (!existsSync(marker) && !isSymbolicLink(marker)) return false;
  const stats = lstatChecked(marker);
  return stats.isFile() && stats.size <= MARKER_LIMIT;
}

/** Largest marker accepted (the text above is a few hundred bytes). */
const MARKER_LIMIT = 64 * 1024;

/** This project's root (the folder holding package.json). */
export const PROJECT_ROOT = resolve(__dirname, '..');

/** Options for {@link checkOutputTarget}. */
export interface TargetCheckOptions {
  /**
   * Also refuse an existing folder outside any repository that holds files synth did not write,
   * and a marked folder holding a file its marker does not list. Inside a repository or this
   * project the check of unmarked folders always runs. Default: true.
   */
  readonly contents?: boolean;
  /** The project whose folders are protected. Default: {@link PROJECT_ROOT}. */
  readonly projectRoot?: string;
}

/**
 * Refuses an output folder synth must not replace, touching nothing: the filesystem root, a
 * symbolic link, anything that is not a folder (a file, a device), a folder holding `.git`, one
 * that holds this project, one inside another synth output, a new folder inside a project
 * folder, a folder whose parent cannot be written, and an existing folder without the marker
 * that holds files synth did not write (an empty folder, or output of a synth older than the
 * marker, is accepted).
 */
export function checkOutputTarget(target: string, options: TargetCheckOptions = {}): void {
  // Without the lock, another synth may be swapping this very folder: a path that vanishes in
  // the middle of the check is looked at again (the check under the lock is the one that counts).
  for (let attempt = 1; ; attempt++) {
    try {
      inspectTarget(resolve(target), options);
      return;
    } catch (error) {
      if (!(error instanceof Vanished)) throw error;
      if (attempt === 5) {
        throw new OutputError(
          `${displayPath(error.path)} keeps disappearing while synth checks it: is something else moving it?`,
        );
      }
      sleep(10);
    }
  }
}

/** A path that disappeared while the target was being checked. */
class Vanished extends Error {
  constructor(readonly path: string) {
    super(`${path} vanished`);
  }
}

function inspectTarget(path: string, options: TargetCheckOptions): void {
  const name = displayPath(path);
  if (dirname(path) === path) {
    refuse(`${name} is the root of the filesystem: pass a folder of its own for the output, such as dist`);
  }
  const existing = nearestExisting(path);
  const stats = lstatChecked(existing);
  if (existing === path) {
    if (stats.isSymbolicLink()) {
      refuse(
        `${name} is a symbolic link: synth replaces its output folder by renaming it, which would replace the link; pass the folder it points to (${displayPath(realpathChecked(path))})`,
      );
    }
    if (!stats.isDirectory()) {
      refuse(`${name} is ${kindOf(stats)}, not a folder: pass a folder synth may replace, such as dist`);
    }
  } else if (!statChecked(existing).isDirectory()) {
    refuse(
      `cannot create ${name}: ${displayPath(existing)} is ${kindOf(statChecked(existing))}, not a folder`,
    );
  }
  // Judge the real location: a symlinked parent must not hide the project or a repository.
  const real = join(realpathChecked(existing), relative(existing, path));
  const root = realpathChecked(options.projectRoot ?? PROJECT_ROOT);
  if (existsSync(join(real, '.git'))) {
    refuse(
      `${name} holds .git (it is the root of a repository): synth replaces its output folder as a whole; pass a folder of its own, such as dist`,
    );
  }
  if (isWithin(root, real)) {
    refuse(
      `${name} holds this project (${root}): synth replaces its output folder as a whole; pass a folder of its own, such as dist`,
    );
  }
  const output = ancestors(dirname(real)).find((dir) => existsSync(join(dir, MARKER_FILE)));
  if (output !== undefined) {
    refuse(
      `${name} is inside ${displayPath(output)}, a folder synth replaces on every run: pass a folder outside it`,
    );
  }
  const inProject = isWithin(real, root) && real !== root;
  if (existing !== path && isWithin(realpathChecked(existing), root) && realpathChecked(existing) !== root) {
    refuse(
      `${name} would be created inside the project folder ${displayPath(existing)}: put the output at the project root (such as dist) or outside the project`,
    );
  }
  const parent = existing === path ? dirname(real) : realpathChecked(existing);
  try {
    accessSync(parent, constants.W_OK);
  } catch (error) {
    refuse(
      `cannot write in ${displayPath(parent)} (${cause(error)}): synth writes its new tree beside the output folder; pass a folder whose parent you may write`,
    );
  }
  if (existing !== path) return;
  const marker = hasMarker(real);
  // In a mount point synth stages inside the folder (pipeline/write.ts): its staging is not foreign.
  const own = isMountPoint(real) ? inPlaceStaging(basename(real)) : () => false;
  const repository = ancestors(dirname(real)).find((dir) => existsSync(join(dir, '.git')));
  if (!inProject && repository === undefined && options.contents === false) return;
  // A marked folder is synth's: its contents are checked after the render only.
  if (marker && options.contents === false) return;
  const foreign = foreignEntry(real, own, marker ? Number.POSITIVE_INFINITY : UNMARKED_LIMIT);
  if (foreign === undefined) return;
  if (marker) {
    refuse(
      `${name} holds ${displayPath(foreign)}, which synth did not write (not the dist/ layout): move it out of ${name}, then synth again; synth changed nothing`,
    );
  }
  if (inProject || repository !== undefined) {
    refuse(
      `${name} is a source folder of the ${inProject ? 'project' : `repository ${repository ?? ''}`} (it holds ${displayPath(foreign)}, which synth did not write): pass --out dist or a new folder`,
    );
  }
  refuse(
    `${name} holds files synth did not write (such as ${displayPath(foreign)}) and no ${MARKER_FILE} marker: pass a new or empty folder, or one synth made`,
  );
}

/**
 * Creates `dir` and its missing parents one level at a time (never Node's recursive mkdir, which
 * can spin forever on paths such as /proc/x); any failure names the level and the cause.
 */
export function makeDirectories(dir: string): void {
  const path = resolve(dir);
  const missing: string[] = [];
  for (let current = path; !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statOf(level).isDirectory()) continue;
      throw new OutputError(
        `cannot create the folder ${displayPath(level)} (${cause(error)}): check the path and its permissions.`,
      );
    }
  }
  if (!statOf(path).isDirectory()) {
    throw new OutputError(
      `cannot write in ${displayPath(path)}: it is ${kindOf(statOf(path))}, not a folder.`,
    );
  }
}

/**
 * A file beside an output folder that changes with it (pipeline/write.ts, `alongside`). `stage`
 * writes the new content where nothing reads it, `commit` puts it in place with one rename (or
 * removes the file), `abort` removes what `stage` wrote. Each failure is one {@link OutputError}.
 */
export interface StagedFile {
  stage(): void;
  commit(): void;
  abort(): void;
}

/**
 * Writes one file atomically (a temporary file beside it, then a rename), so a reader or a crash
 * sees the old content or the new, never half. Refuses a target that is a folder, a device or a
 * symbolic link. Creates missing parent folders.
 */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  const write = stagedWrite(file, content);
  write.stage();
  write.commit();
}

/**
 * {@link writeFileAtomic} in two steps: `stage` checks the target and writes the temporary file
 * (`.<name>.<pid>.tmp` beside it), `commit` renames it into place, `abort` removes it.
 */
export function stagedWrite(file: string, content: string | Buffer): StagedFile {
  const path = resolve(file);
  const name = displayPath(path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const abort = () => rmSync(temporary, { force: true });
  const failed = (error: unknown): OutputError => {
    abort();
    return new OutputError(
      `cannot write ${name} (${cause(error)}): it was left as it was; check its folder's permissions.`,
    );
  };
  return {
    stage: () => {
      if (existsSync(path) || isSymbolicLink(path)) {
        const stats = lstat(path);
        if (!stats.isFile()) {
          throw new OutputError(
            `cannot write ${name}: it is ${kindOf(stats)}, not a regular file; move it away first.`,
          );
        }
      }
      makeDirectories(dirname(path));
      try {
        abort();
        writeFileSync(temporary, content, { flag: 'wx' });
      } catch (error) {
        throw failed(error);
      }
    },
    commit: () => {
      try {
        renameSync(temporary, path);
      } catch (error) {
        throw failed(error);
      }
    },
    abort,
  };
}

/** Removes one file; a failure is one sentence. */
export function removeFile(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch (error) {
    throw new OutputError(
      `cannot remove ${displayPath(file)} (${cause(error)}): check its folder's permissions.`,
    );
  }
}

/** Whether a process with this id runs on this machine (one we may not signal counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Blocks this (synchronous) command for `ms` milliseconds. */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The short cause of a filesystem error (`EACCES`, `ENOSPC`, …) or its first line. */
export function cause(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ?? error.message.split('\n')[0] ?? error.message;
  }
  return String(error);
}

/** What a file system entry is, for messages: "a regular file", "a character device", … */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file or folder';
}

/** Whether `path` is `dir` or lies inside it (both absolute). */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/**
 * What synth writes has exactly the dist/ layout (plus Terraform's working files in stack
 * folders); anything else in an output folder is foreign. Returns the first foreign entry, or
 * undefined for such output or an empty folder. An unmarked folder is looked at only so far:
 * past `limit` entries it counts as foreign. A marked one is synth's own output, as large as
 * the platform, and is walked whole.
 */
function foreignEntry(
  dir: string,
  own: (dir: string, entry: string) => boolean,
  limit = UNMARKED_LIMIT,
): string | undefined {
  let seen = 0;
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    for (const entry of readdirChecked(join(dir, rel))) {
      const path = rel === '' ? entry : `${rel}/${entry}`;
      if (rel === '' && (entry === MARKER_FILE || entry === STAGING_NOTE || own(dir, entry))) continue;
      if (++seen > limit) return join(dir, path);
      const stats = lstatChecked(join(dir, path));
      if (STACK_FOLDER.test(rel) && isTerraformWorkingFile(entry)) continue;
      if (stats.isDirectory()) stack.push(path);
      else if (!stats.isFile() || !DIST_LAYOUT.test(path)) return join(dir, path);
    }
  }
  return undefined;
}

/** Entries of an unmarked folder looked at before it counts as foreign. */
const UNMARKED_LIMIT = 20_000;

const STACK_FOLDER = /^[a-z0-9-]+\/terraform\/[a-z0-9-]+$/;
const DIST_LAYOUT =
  /^[a-z0-9-]+\/(terraform\/[a-z0-9-]+\/cdk\.tf\.json|k8s\/[a-z0-9-]+\/(_cluster|[a-z0-9-]+)\/[A-Za-z0-9]+\.[a-z0-9.-]+\.yaml|argocd\/[A-Za-z0-9]+\.[a-z0-9.-]+\.yaml|README\.md)$/;

/**
 * Whether a top-level entry of a mount-point output folder is one of synth's staging folders
 * there (`.<name>-new-<pid>`, `.<name>-old-<pid>`): it holds a staging note, or is empty.
 */
function inPlaceStaging(name: string): (dir: string, entry: string) => boolean {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(new|old)-\\d+$`);
  return (dir, entry) => {
    if (!pattern.test(entry)) return false;
    const folder = join(dir, entry);
    try {
      return existsSync(join(folder, STAGING_NOTE)) || readdirSync(folder).length === 0;
    } catch {
      return false;
    }
  };
}

/**
 * Whether a folder is a mount point: on another device than its parent, or listed in
 * /proc/self/mountinfo (a bind mount from the same filesystem keeps the device number).
 */
export function isMountPoint(dir: string): boolean {
  if (statChecked(dir).dev !== statChecked(dirname(dir)).dev) return true;
  let table: string;
  try {
    table = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false; // not Linux: the device numbers said it all
  }
  return table.split('\n').some((line) => unescapeMount(line.split(' ')[4] ?? '') === dir);
}

/** A mountinfo path: spaces, tabs, newlines and backslashes are written as octal escapes. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function refuse(sentence: string): never {
  throw new OutputError(`${sentence}.`);
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && !isSymbolicLink(current) && dirname(current) !== current) {
    current = dirname(current);
  }
  return current;
}

function ancestors(path: string): string[] {
  const list = [path];
  for (let current = path; dirname(current) !== current; current = dirname(current))
    list.push(dirname(current));
  return list;
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Like lstat, but a path that is gone (swapped away by another run) raises {@link Vanished}. */
function lstatChecked(path: string): Stats {
  return checked(path, () => lstatSync(path));
}

function statChecked(path: string): Stats {
  return checked(path, () => statSync(path));
}

function realpathChecked(path: string): string {
  return checked(path, () => realpathSync(path));
}

function readdirChecked(dir: string): string[] {
  return checked(dir, () => readdirSync(dir));
}

function checked<T>(path: string, read: () => T): T {
  return inspected(path, read, (code) => {
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Vanished(path);
  });
}

function lstat(path: string): Stats {
  return inspected(path, () => lstatSync(path));
}

function statOf(path: string): Stats {
  return inspected(path, () => statSync(path));
}

/**
 * `read()`, with a failure as one sentence naming the path and the cause; `special` may throw
 * something else first for the error codes it handles.
 */
function inspected<T>(path: string, read: () => T, special?: (code: string | undefined) => void): T {
  try {
    return read();
  } catch (error) {
    special?.((error as NodeJS.ErrnoException).code);
    throw new OutputError(
      `cannot inspect ${displayPath(path)} (${cause(error)}): check the path and its permissions.`,
    );
  }
}
