import {
  closeSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Writes synth's staging tree (see `replaceDirectory` in pipeline/write.ts).
 *
 * Creating a file is the expensive step: on this project's machines a new inode costs from a
 * few hundredths of a millisecond to over a millisecond of kernel time, a hard link a few
 * microseconds. So a rendered file whose bytes equal the current tree's file at the same path is
 * hard-linked from it instead of written again, when that file is a plain one synth would have
 * written itself: a regular file with one link, the mode and owner a new file gets here. The
 * current tree is only read and linked, never changed, so it stays complete until the swap.
 */

/** What {@link stageTree} writes. */
export interface StageJob {
  /** The current tree (read and linked from, never changed). */
  readonly target: string;
  /** The staging folder to create. */
  readonly fresh: string;
  /** Whether `target` exists. */
  readonly exists: boolean;
  /** Folders to create inside `fresh`, parents first. */
  readonly dirs: readonly string[];
  /** Target-relative entries to carry over as hard links. */
  readonly carry: readonly string[];
  /** Rendered files: path, content. */
  readonly files: ReadonlyMap<string, string>;
  readonly markerFile: string;
  readonly markerText: string;
  /** The staging note: it makes `fresh` recognisably this run's. */
  readonly noteFile: string;
  readonly noteText: string;
}

/** How {@link stageTree} placed the rendered files. */
export interface StageResult {
  /** Files created. */
  readonly written: number;
  /** Unchanged files hard-linked from the current tree. */
  readonly linked: number;
}

/** Writes the staging tree; throws the file system's error (with its `code` and `path`). */
export function stageTree(job: StageJob): StageResult {
  mkdirSync(job.fresh);
  // The note before anything else: a folder of this name without it is not removed by a later run.
  writeFileSync(join(job.fresh, job.noteFile), job.noteText, { flag: 'wx' });
  // Then the marker: its mode and owner are what every new file gets here.
  const marker = join(job.fresh, job.markerFile);
  writeFileSync(marker, job.markerText, { flag: 'wx' });
  const fresh = lstatSync(marker);
  for (const dir of job.dirs) mkdirSync(join(job.fresh, dir));
  for (const entry of job.carry) linkTree(join(job.target, entry), join(job.fresh, entry));
  let written = 0;
  let linked = 0;
  for (const [file, content] of job.files) {
    const to = join(job.fresh, file);
    if (job.exists && linkUnchanged(join(job.target, file), to, content, fresh)) linked++;
    else {
      writeNewFile(to, content);
      written++;
    }
  }
  return { written, linked };
}

/**
 * Creates `path` (it must not exist) with `content`. The string is written as it is, encoded by
 * the write itself: `writeFileSync` would first copy every file into a Buffer, which on a large
 * platform is tens of megabytes of short-lived memory at the end of synth.
 */
function writeNewFile(path: string, content: string): void {
  const fd = openSync(path, 'wx');
  try {
    const written = writeSync(fd, content);
    const bytes = Buffer.byteLength(content);
    if (written < bytes) {
      // A short write (rare on a local file): the rest, from the encoded bytes.
      const buffer = Buffer.from(content);
      for (let offset = written; offset < bytes;) offset += writeSync(fd, buffer, offset);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Hard-links `from` to `to` when it is a file synth could have written with exactly `content`;
 * false (and nothing done) otherwise. `fresh` is a file just created in the staging tree.
 */
function linkUnchanged(from: string, to: string, content: string, fresh: Stats): boolean {
  let stats: Stats;
  try {
    stats = lstatSync(from);
  } catch {
    return false;
  }
  if (
    !stats.isFile() ||
    stats.nlink !== 1 ||
    stats.uid !== fresh.uid ||
    (stats.mode & 0o7777) !== (fresh.mode & 0o7777) ||
    stats.size !== Buffer.byteLength(content)
  ) {
    return false;
  }
  try {
    if (readFileSync(from, 'utf8') !== content) return false;
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** Mirrors a tree with hard links (copies where the filesystem cannot link), keeping symlinks. */
function linkTree(from: string, to: string): void {
  const stats = lstatSync(from);
  if (stats.isDirectory()) {
    mkdirSync(to);
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry));
  } else if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stats.isFile()) {
    try {
      linkSync(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw error;
      copyFileSync(from, to);
    }
  }
}
