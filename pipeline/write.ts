import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Options for {@link replaceDirectory}. */
export interface ReplaceOptions {
  /**
   * Top-level entries of the current directory to carry over unchanged (e.g. environments not
   * rendered by `--env`). Everything else not in `files` disappears.
   */
  readonly keep?: readonly string[];
}

const staging = (target: string, kind: 'new' | 'old') =>
  join(dirname(target), `.${basename(target)}-${kind}-${process.pid}`);

/**
 * Replaces `target` with exactly `files` (paths relative to it). The new tree is written beside
 * the target on the same filesystem, then swapped in with two renames, so an interruption while
 * writing (crash, `kill -9`) leaves the previous tree complete. The only window is between the two
 * renames; {@link recoverInterruptedSwap} undoes it on the next run.
 */
export function replaceDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  options: ReplaceOptions = {},
): void {
  recoverInterruptedSwap(target);
  const fresh = staging(target, 'new');
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  try {
    for (const entry of options.keep ?? []) {
      const from = join(target, entry);
      if (existsSync(from)) cpSync(from, join(fresh, entry), { recursive: true });
    }
    const dirs = new Set<string>();
    for (const path of files.keys()) dirs.add(dirname(join(fresh, path)));
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    for (const [path, content] of files) writeFileSync(join(fresh, path), content);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  const old = staging(target, 'old');
  const hadTarget = existsSync(target);
  if (hadTarget) renameSync(target, old);
  renameSync(fresh, target);
  if (hadTarget) rmSync(old, { recursive: true, force: true });
}

/**
 * Restores `target` if a previous run died between its two renames, and removes abandoned
 * staging trees of runs that died while writing.
 */
export function recoverInterruptedSwap(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(target)}-`;
  const leftovers = readdirSync(parent).filter((name) => name.startsWith(prefix));
  const olds = leftovers.filter((name) => name.startsWith(`${prefix}old-`));
  const previous = olds[0];
  if (!existsSync(target) && previous !== undefined) renameSync(join(parent, previous), target);
  for (const name of leftovers) {
    const path = join(parent, name);
    if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  }
}
