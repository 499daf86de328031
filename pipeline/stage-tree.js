// @ts-check
/**
 * Writes synth's staging tree (see `replaceDirectory` in pipeline/write.ts), inline or on a
 * worker thread. It is plain CommonJS with no project imports, so the same file runs in the
 * bundled CLI, under the tests, and as the worker's script.
 *
 * Creating a file is the expensive step: on this project's machines a new inode costs about a
 * millisecond of kernel time, a hard link a few microseconds. So a rendered file whose bytes
 * equal the current tree's file at the same path is hard-linked from it instead of written
 * again, when that file is a plain one synth would have written itself: a regular file with one
 * link, the mode and owner a new file gets here. The current tree is only read and linked, never
 * changed, so it stays complete until the swap.
 *
 * Run as a worker (`workerData.stageTree`), it writes while the main thread validates the
 * render, and reports on `workerData.port`, then sets `workerData.done[0]` and notifies it, so
 * the main thread can wait for it synchronously (`Atomics.wait`, `receiveMessageOnPort`).
 */
'use strict';

const {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} = require('node:fs');
const path = require('node:path');
const threads = require('node:worker_threads');

/**
 * @typedef {object} StageJob
 * @property {string} target the current tree (read and linked from, never changed)
 * @property {string} fresh the staging folder to create
 * @property {boolean} exists whether `target` exists
 * @property {readonly string[]} dirs folders to create inside `fresh`, parents first
 * @property {readonly string[]} carry target-relative entries to carry over as hard links
 * @property {readonly (readonly [string, string])[]} files rendered files: path, content
 * @property {string} markerFile
 * @property {string} markerText
 * @property {string} noteFile the staging note: it makes `fresh` recognisably this run's
 * @property {string} noteText
 */

/**
 * @typedef {object} StageResult
 * @property {number} written files created
 * @property {number} linked unchanged files hard-linked from the current tree
 */

/**
 * Writes the staging tree; throws the file system's error (with its `code` and `path`).
 * @param {StageJob} job
 * @returns {StageResult}
 */
function stageTree(job) {
  mkdirSync(job.fresh);
  // The note before anything else: a folder of this name without it is not removed by a later run.
  writeFileSync(path.join(job.fresh, job.noteFile), job.noteText, { flag: 'wx' });
  // Then the marker: its mode and owner are what every new file gets here.
  const marker = path.join(job.fresh, job.markerFile);
  writeFileSync(marker, job.markerText, { flag: 'wx' });
  const fresh = lstatSync(marker);
  for (const dir of job.dirs) mkdirSync(path.join(job.fresh, dir));
  for (const entry of job.carry) linkTree(path.join(job.target, entry), path.join(job.fresh, entry));
  let written = 0;
  let linked = 0;
  for (const [file, content] of job.files) {
    const to = path.join(job.fresh, file);
    if (job.exists && linkUnchanged(path.join(job.target, file), to, content, fresh)) linked++;
    else {
      writeFileSync(to, content, { flag: 'wx' });
      written++;
    }
  }
  return { written, linked };
}

/**
 * Hard-links `from` to `to` when it is a file synth could have written with exactly `content`;
 * false (and nothing done) otherwise.
 * @param {string} from
 * @param {string} to
 * @param {string} content
 * @param {import('node:fs').Stats} fresh a file just created here
 */
function linkUnchanged(from, to, content, fresh) {
  let stats;
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

/**
 * Mirrors a tree with hard links (copies where the filesystem cannot link), keeping symlinks.
 * @param {string} from
 * @param {string} to
 */
function linkTree(from, to) {
  const stats = lstatSync(from);
  if (stats.isDirectory()) {
    mkdirSync(to);
    for (const entry of readdirSync(from)) linkTree(path.join(from, entry), path.join(to, entry));
  } else if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stats.isFile()) {
    try {
      linkSync(from, to);
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw error;
      copyFileSync(from, to);
    }
  }
}

module.exports = { stageTree };

/** @typedef {{ stageTree?: StageJob, port: import('node:worker_threads').MessagePort, done: Int32Array }} Task */
const task = threads.isMainThread ? undefined : /** @type {Task} */ (threads.workerData);
if (task?.stageTree !== undefined) {
  const { stageTree: job, port, done } = task;
  try {
    port.postMessage({ result: stageTree(job) });
  } catch (error) {
    const failure = /** @type {NodeJS.ErrnoException} */ (error);
    port.postMessage({
      error: { message: String(failure?.message ?? failure), code: failure?.code, path: failure?.path },
    });
  } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
}
