import { linkSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { displayPath } from '../config/display-path';
import { cause, isAlive, makeDirectories, OutputError, sleep } from './safe-output';

/** Options for {@link withOutputLock}. */
export interface LockOptions {
  /** How long to wait for another run holding the lock. Default: 30 s. */
  readonly timeoutMs?: number;
  /** Called once when the lock is held by another run and this one starts waiting. */
  readonly onWait?: (holder: string) => void;
  /** When the wait began (`Date.now()`), if {@link lockReleased} waited first. Default: now. */
  readonly since?: number;
}

/** Default wait for a concurrent run: a synth holds the lock only while it writes. */
export const LOCK_TIMEOUT_MS = 30_000;
/** A lock-breaking claim older than this was left by a killed run (breaking takes microseconds). */
const STALE_CLAIM_MS = 10_000;
const POLL_MS = 50;

/** Locks this process holds (output folder → depth), so nested calls do not wait for themselves. */
const held = new Map<string, number>();

/** The lock file of an output folder: `.<name>.lock` beside it. */
export function lockFileOf(target: string): string {
  const path = resolve(target);
  return join(dirname(path), `.${basename(path)}.lock`);
}

/**
 * Runs `fn` holding the output folder's lock, so one run at a time writes it. The lock is a
 * file created atomically (a hard link of a file holding `<pid> <host>`) beside the folder; a lock
 * whose process is gone (same host, no such pid) is stale and is broken; a live one is waited
 * for, up to `timeoutMs`, then the run fails with one sentence. Re-entrant within a process.
 * The caller has checked the target (the lock file is the first thing written beside it).
 */
export function withOutputLock<T>(target: string, fn: () => T, options: LockOptions = {}): T {
  const path = resolve(target);
  const depth = held.get(path) ?? 0;
  if (depth === 0) {
    makeDirectories(dirname(path));
    acquire(path, options);
  }
  held.set(path, depth + 1);
  try {
    return fn();
  } finally {
    held.set(path, depth);
    if (depth === 0) {
      held.delete(path);
      release(path);
    }
  }
}

/**
 * Waits while another live run holds the lock of `target`, like {@link withOutputLock} would but
 * without blocking the event loop, so a Ctrl-C during the wait is handled at once. Returns when
 * the lock is free or stale, or at the deadline; then {@link withOutputLock}, given the same
 * `since`, takes the lock (or reports the timeout). Changes nothing.
 */
export async function lockReleased(target: string, options: LockOptions = {}): Promise<void> {
  const path = resolve(target);
  const deadline = (options.since ?? Date.now()) + (options.timeoutMs ?? LOCK_TIMEOUT_MS);
  let waiting = false;
  while (Date.now() < deadline && !held.has(path)) {
    let holder: Holder | undefined;
    try {
      holder = readHolder(lockFileOf(path));
    } catch {
      return; // unreadable: taking the lock says why
    }
    if (holder === undefined || isStale(holder)) return;
    if (!waiting) options.onWait?.(describe(holder));
    waiting = true;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

const identity = (): string => `${process.pid} ${hostname()}\n`;

function acquire(target: string, options: LockOptions): void {
  const lock = lockFileOf(target);
  const temporary = `${lock}.${process.pid}`;
  const timeout = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  try {
    writeFileSync(temporary, identity());
  } catch (error) {
    throw new OutputError(
      `cannot create the lock file ${displayPath(lock)} (${cause(error)}): synth needs to write beside ${displayPath(target)}.`,
    );
  }
  try {
    const deadline = (options.since ?? Date.now()) + timeout;
    let waiting = false;
    for (;;) {
      if (tryLink(temporary, lock)) break;
      const holder = readHolder(lock);
      if (holder === undefined) continue; // released between the two calls: try again at once
      if (isStale(holder) && Date.now() < deadline) {
        breakStale(lock, holder.text);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new OutputError(
          `${displayPath(target)} is still being written by ${describe(holder)} after ${Math.round(timeout / 100) / 10} s (lock ${displayPath(lock)}): wait for it to finish, or delete the lock file if that process is not a synth.`,
        );
      }
      if (!waiting) options.onWait?.(describe(holder));
      waiting = true;
      sleep(POLL_MS);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  removeStaleTemporaries(lock);
}

/** Creates the lock as a hard link of a complete file: atomic, and never an empty lock. */
function tryLink(temporary: string, lock: string): boolean {
  try {
    linkSync(temporary, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
      throw new OutputError(
        `cannot create the lock file ${displayPath(lock)} (${cause(error)}): check the folder's permissions.`,
      );
    }
  }
  // A filesystem without hard links: exclusive create, then the content.
  try {
    writeFileSync(lock, identity(), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new OutputError(
      `cannot create the lock file ${displayPath(lock)} (${cause(error)}): check the folder's permissions.`,
    );
  }
}

interface Holder {
  readonly text: string;
  readonly pid: number | undefined;
  readonly host: string | undefined;
  readonly ageMs: number;
}

function readHolder(lock: string): Holder | undefined {
  try {
    const text = readFileSync(lock, 'utf8');
    const ageMs = Date.now() - statSync(lock).mtimeMs;
    const match = /^(\d+) (\S+)\n$/.exec(text);
    return { text, pid: match ? Number(match[1]) : undefined, host: match?.[2], ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    throw new OutputError(
      `cannot read the lock file ${displayPath(lock)} (${cause(error)}): check its permissions.`,
    );
  }
}

function isStale(holder: Holder): boolean {
  if (holder.pid === undefined) return holder.ageMs > STALE_CLAIM_MS; // written by a tool of old
  if (holder.host !== hostname()) return false; // cannot tell: treat as running
  // Our own pid in a lock we do not hold: left by an earlier process that had this pid.
  if (holder.pid === process.pid) return true;
  return !isAlive(holder.pid);
}

function describe(holder: Holder): string {
  if (holder.pid === undefined) return 'another process';
  return holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host ?? '?'}`;
}

/**
 * Removes a stale lock, serialised by a claim file so that two runs breaking the same stale
 * lock cannot remove a fresh one: the content is re-read under the claim.
 */
function breakStale(lock: string, staleText: string): void {
  const claim = `${lock}.break`;
  try {
    writeFileSync(claim, identity(), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new OutputError(
        `cannot break the stale lock ${displayPath(lock)} (${cause(error)}): delete it by hand.`,
      );
    }
    try {
      if (Date.now() - statSync(claim).mtimeMs > STALE_CLAIM_MS) rmSync(claim, { force: true });
    } catch {
      // gone meanwhile
    }
    sleep(POLL_MS);
    return;
  }
  try {
    let current: string | undefined;
    try {
      current = readFileSync(lock, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === staleText) unlinkSync(lock);
  } catch (error) {
    throw new OutputError(
      `cannot remove the stale lock ${displayPath(lock)} (${cause(error)}): delete it by hand.`,
    );
  } finally {
    rmSync(claim, { force: true });
  }
}

function release(target: string): void {
  const lock = lockFileOf(target);
  try {
    if (readFileSync(lock, 'utf8') === identity()) unlinkSync(lock);
  } catch {
    // Already gone: nothing to release.
  }
}

/** Temporary lock files (`.<name>.lock.<pid>`) of runs killed while taking the lock. */
function removeStaleTemporaries(lock: string): void {
  const prefix = `${basename(lock)}.`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(lock));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      rmSync(join(dirname(lock), entry), { force: true });
    }
  }
}
