import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { displayPath } from '../config/display-path';
import type { FaultPoint } from './fault-injection';
import { withOutputLock, type LockOptions } from './output-lock';
import {
  cause,
  checkOutputTarget,
  isMountPoint,
  MARKER_FILE,
  MARKER_TEXT,
  OutputError,
  STAGING_NOTE,
  type StagedFile,
} from './safe-output';
import { stageTree, type StageJob, type StageResult } from './stage-tree';
import { heldStateLock, isTerraformWorkingFile, stackFolderOf } from './terraform-files';

/** Options for {@link replaceDirectory}. */
export interface ReplaceOptions {
  /**
   * Top-level entries of the current directory to carry over unchanged (e.g. environments not
   * rendered by `--env`). Everything else not in `files` disappears, except Terraform's working
   * files in the stack folders that are rendered again.
   */
  readonly keep?: readonly string[];
  /** Waiting for a concurrent run. */
  readonly lock?: LockOptions;
  /**
   * Files outside the tree that change in the same step (synth's `.github/CODEOWNERS`): staged
   * after the new tree, put in place right after the swap, removed when the swap does not happen.
   */
  readonly alongside?: readonly StagedFile[];
  /** Told each {@link FaultPoint} as the write passes it (the test seam, pipeline/fault-injection.ts). */
  readonly onStep?: (point: FaultPoint) => void;
}

/** What {@link replaceDirectory} did besides writing `files`. */
export interface ReplaceResult {
  /** Terraform working files carried over, relative to the target (`default/terraform/base/.terraform`). */
  readonly kept: readonly string[];
  /** Problems that did not stop the swap (a leftover folder that could not be removed). */
  readonly warnings: readonly string[];
  /** Rendered files created, and unchanged ones hard-linked from the previous tree. */
  readonly written: number;
  readonly linked: number;
}

/**
 * Replaces `target` with exactly `files` (paths relative to it) plus the marker file, after
 * {@link checkOutputTarget} allowed it, holding the folder's lock. The new tree is written beside
 * the target (`.<name>-new-<pid>`) on the same filesystem and swapped in with two renames (the old
 * tree goes to `.<name>-old-<pid>` and is then removed), so an interruption leaves the previous tree
 * complete. Kept entries, Terraform's working files and rendered files whose bytes did not change
 * are carried over as hard links (see `pipeline/stage-tree.ts`; no copy, and the old tree stays
 * complete until the swap). The files {@link ReplaceOptions.alongside} are staged after the tree
 * and put in place right after the swap. Everything that could stop the swap is checked first:
 * a failure before the first rename changes nothing; the only moment the target path is
 * missing is between the two renames, and {@link recoverInterruptedSwap} (run under the lock
 * by the next run) puts the old tree back. A mount point, which cannot be renamed, has its
 * contents swapped instead, its staging trees inside it ({@link swapContents}).
 */
export function replaceDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  options: ReplaceOptions = {},
): ReplaceResult {
  const path = resolve(target);
  checkOutputTarget(path);
  return withOutputLock(
    path,
    () => {
      const warnings = [...recoverInterruptedSwap(path), ...recoverInPlace(path)];
      // Another run may have made the folder, or recovery restored it, since the first check.
      checkOutputTarget(path);
      const step = options.onStep ?? (() => undefined);
      step('locked');
      // A mount point cannot be renamed: its contents are swapped instead (swapContents).
      const inPlace = existsSync(path) && isMountPoint(path);
      const plan = planCarry(path, files, options.keep ?? []);
      const fresh = staging(path, 'new', inPlace);
      const alongside = options.alongside ?? [];
      let staged: StageResult;
      try {
        staged = stageTree(stageJob(path, fresh, files, plan));
      } catch (error) {
        removeStaging(fresh);
        if (error instanceof OutputError) throw error;
        throw new OutputError(
          `cannot write the new tree beside ${displayPath(path)} (${cause(error)}): synth changed nothing; check free space and permissions there.`,
        );
      }
      const done: StagedFile[] = [];
      try {
        for (const file of alongside) {
          file.stage();
          done.push(file);
        }
      } catch (error) {
        for (const file of done) file.abort();
        removeStaging(fresh);
        throw error;
      }
      step('staged');
      try {
        if (inPlace) swapContents(path, fresh, step);
        else swap(path, fresh, plan.exists, step);
      } catch (error) {
        // The swap cleaned up what it could, or left its trees for the next run to finish.
        for (const file of alongside) file.abort();
        throw error;
      }
      let unplaced: Error | undefined;
      for (const file of alongside) {
        try {
          file.commit();
        } catch (error) {
          unplaced ??= error instanceof Error ? error : new Error(String(error));
          file.abort();
        }
      }
      step('swapped');
      const old = staging(path, 'old', inPlace);
      if (inPlace) removeStaging(fresh);
      if (plan.exists) {
        const problem = removeStaging(old);
        if (problem !== undefined) {
          warnings.push(
            `${displayPath(path)} was replaced, but the previous tree ${displayPath(old)} could not be removed (${problem}): remove it by hand; the next synth tries again.`,
          );
        }
      }
      if (unplaced instanceof OutputError) {
        throw new OutputError(`${displayPath(path)} was replaced, but ${unplaced.message}`);
      }
      if (unplaced !== undefined) throw unplaced;
      return { kept: plan.kept, warnings, ...staged };
    },
    options.lock,
  );
}

/**
 * Restores `target` if a run died between its two renames, and removes the staging trees of
 * runs that died. Call it holding the lock: then every staging tree belongs to a dead run. Only
 * synth's own staging folders are touched ({@link ownStaging}); a folder of yours with such a
 * name is neither restored nor removed. A leftover holding the only copy of a Terraform working
 * file (its link count is 1: the target does not have it) is kept, with a warning. Returns the
 * warnings.
 */
export function recoverInterruptedSwap(target: string): string[] {
  const path = resolve(target);
  const parent = dirname(path);
  if (!existsSync(parent)) return [];
  let leftovers = ownStaging(parent, basename(path));
  const warnings: string[] = [];
  if (!existsSync(path)) {
    const previous = leftovers
      .filter((dir) => dir.includes(`.${basename(path)}-old-`) && readdirSync(dir).length > 0)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (previous !== undefined) {
      try {
        renameSync(previous, path);
        rmSync(join(path, STAGING_NOTE), { force: true });
      } catch (error) {
        throw new OutputError(
          `cannot restore ${displayPath(path)} from ${displayPath(previous)}, the complete previous tree of an interrupted synth (${cause(error)}): rename it back by hand.`,
        );
      }
      leftovers = leftovers.filter((dir) => dir !== previous);
    }
  }
  for (const leftover of leftovers) {
    const sole = soleTerraformCopies(leftover);
    if (sole.length > 0) {
      warnings.push(
        `${displayPath(leftover)}, left by an interrupted synth, holds Terraform working files that ${displayPath(path)} does not have (${sole.slice(0, 3).join(', ')}): move them back into ${displayPath(path)}, then delete the folder.`,
      );
      continue;
    }
    const problem = removeStaging(leftover);
    if (problem !== undefined) {
      warnings.push(
        `cannot remove ${displayPath(leftover)}, left by an interrupted synth (${problem}): remove it by hand.`,
      );
    }
  }
  return warnings;
}

/** What a staging folder's note holds: the pid of the run that made it. */
const noteText = (pid: number): string => `emr-eks-gitops synth, pid ${pid}\n`;

/**
 * The staging folders beside an output folder that synth made: named `.<name>-new-<pid>` or
 * `.<name>-old-<pid>`, and either empty or of a pid whose note ({@link STAGING_NOTE}, holding
 * that pid) is in one of the two folders of that pid (during the swap the note moves from the
 * new tree to the old one). Absolute paths.
 */
function ownStaging(parent: string, name: string): string[] {
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}-(new|old)-(\\d+)$`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch (error) {
    throw new OutputError(`cannot list ${displayPath(parent)} (${cause(error)}): check its permissions.`);
  }
  const candidates = entries.flatMap((entry) => {
    const match = pattern.exec(entry);
    return match === null ? [] : [{ dir: join(parent, entry), pid: Number(match[2]) }];
  });
  const noted = new Set(
    candidates.filter(({ dir, pid }) => noteOf(dir) === noteText(pid)).map(({ pid }) => pid),
  );
  return candidates.filter(({ dir, pid }) => noted.has(pid) || isBareStart(dir, pid)).map(({ dir }) => dir);
}

/** The content of a folder's staging note; undefined when it has none (or not a small file). */
function noteOf(dir: string): string | undefined {
  const note = join(dir, STAGING_NOTE);
  try {
    const stats = lstatSync(note);
    return stats.isFile() && stats.size < 100 ? readFileSync(note, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A staging folder a run died creating: empty, or holding nothing but the start of its note
 * (the note is created, then written).
 */
function isBareStart(dir: string, pid: number): boolean {
  try {
    const entries = readdirSync(dir);
    if (entries.length === 0) return true;
    return entries.length === 1 && noteText(pid).startsWith(noteOf(dir) ?? '\0');
  } catch {
    return false;
  }
}

/**
 * Removes a staging folder of this run or a dead one, its note last (after the in-place swap's
 * flag), so that an interrupted removal leaves a folder still recognisably synth's (or an empty
 * one) and never one that recovery would move back. Returns the cause if it could not.
 */
function removeStaging(dir: string): string | undefined {
  try {
    for (const entry of readdirSync(dir)) {
      if (entry !== STAGING_NOTE && entry !== SWAPPED_FLAG) {
        rmSync(join(dir, entry), { recursive: true, force: true });
      }
    }
    rmSync(join(dir, SWAPPED_FLAG), { force: true });
    rmSync(join(dir, STAGING_NOTE), { force: true });
    rmdirSync(dir);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const path = (error as NodeJS.ErrnoException).path;
    return path === undefined ? cause(error) : `${cause(error)} on ${displayPath(path)}`;
  }
}

/** This run's staging folder: beside the target, or inside it when it is a mount point. */
const staging = (target: string, kind: 'new' | 'old', inside = false) =>
  join(inside ? target : dirname(target), `.${basename(target)}-${kind}-${process.pid}`);

/** What the current tree contributes to the new one, and whether it exists. */
interface CarryPlan {
  readonly exists: boolean;
  /** Target-relative entries carried over by hard links (kept environments, working files). */
  readonly carry: readonly string[];
  /** The Terraform working files among them (inside kept environments too), for the report. */
  readonly kept: readonly string[];
}

/**
 * Looks at the current tree before anything is written and refuses (changing nothing) what
 * would stop the swap or lose Terraform's files: a folder synth could not remove (read-only,
 * immutable), an immutable file, working files of a stack that is no longer rendered, and a
 * Terraform run holding the state of a stack about to be replaced.
 */
function planCarry(target: string, files: ReadonlyMap<string, string>, keep: readonly string[]): CarryPlan {
  const rendered = new Set<string>();
  const renderedTop = new Set<string>();
  for (const path of files.keys()) {
    renderedTop.add(path.split('/')[0] ?? path);
    const stack = stackFolderOf(path);
    if (stack !== undefined) rendered.add(stack);
  }
  for (const stack of rendered) {
    const busy = heldStateLock(join(target, stack), files.get(`${stack}/cdk.tf.json`));
    if (busy !== undefined) throw terraformRunning(join(target, stack), busy);
  }
  if (!existsSync(target)) return { exists: false, carry: [], kept: [] };
  checkRemovable(target);
  const carry: string[] = [];
  const kept: string[] = [];
  for (const entry of readdirSync(target).sort()) {
    if (entry === MARKER_FILE || isStagingName(target, entry)) continue;
    const carried = keep.includes(entry) && !renderedTop.has(entry);
    for (const stack of stackFolders(target, entry)) {
      const working = readdirSync(join(target, stack)).filter(isTerraformWorkingFile).sort();
      if (working.length === 0) continue;
      if (carried) {
        const busy = heldStateLock(join(target, stack), readIfExists(join(target, stack, 'cdk.tf.json')));
        if (busy !== undefined) throw terraformRunning(join(target, stack), busy);
      } else if (!rendered.has(stack)) {
        throw new OutputError(
          `${displayPath(join(target, stack))} holds Terraform's working files (${working.join(', ')}), but the render has no such stack any more: destroy it first (npm run teardown), then delete the folder yourself; synth changed nothing.`,
        );
      } else {
        carry.push(...working.map((name) => `${stack}/${name}`));
      }
      kept.push(...working.map((name) => `${stack}/${name}`));
    }
    if (carried) carry.push(entry);
  }
  return { exists: true, carry, kept };
}

function terraformRunning(stackDir: string, lock: string): OutputError {
  return new OutputError(
    `Terraform is running in ${displayPath(stackDir)} (its state lock ${displayPath(lock)} exists): wait for it to finish, then synth again; if no terraform runs there, the lock was left by a killed run: delete it; synth changed nothing.`,
  );
}

/** `<entry>/terraform/<stack>` folders of a top-level entry of the current tree. */
function stackFolders(target: string, entry: string): string[] {
  const terraform = join(target, entry, 'terraform');
  if (!isDirectory(terraform)) return [];
  return readdirSync(terraform)
    .filter((stack) => isDirectory(join(terraform, stack)))
    .map((stack) => `${entry}/terraform/${stack}`);
}

/**
 * Every folder of the current tree must be writable (its entries are removed after the swap) and
 * no file immutable; checked before anything is written, so such a tree is left as it was.
 */
function checkRemovable(target: string): void {
  const stack = [target];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    try {
      accessSync(dir, constants.W_OK);
    } catch (error) {
      throw new OutputError(
        `${displayPath(dir)} is not writable (${cause(error)}), so synth could not replace it: it changed nothing; make it writable (chmod -R u+w, or chattr -i) and run again.`,
      );
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) {
        try {
          accessSync(path, constants.W_OK);
        } catch (error) {
          // Read-only files are removed like any other; immutable ones (EPERM) are not.
          if ((error as NodeJS.ErrnoException).code === 'EPERM') {
            throw new OutputError(
              `${displayPath(path)} cannot be removed (EPERM, an immutable or append-only file), so synth could not replace ${displayPath(target)}: it changed nothing; clear the flag (chattr -i) and run again.`,
            );
          }
        }
      }
    }
  }
}

/** What {@link stageTree} writes: folders parents first, carried entries, the files. */
function stageJob(
  target: string,
  fresh: string,
  files: ReadonlyMap<string, string>,
  plan: CarryPlan,
): StageJob {
  const dirs = new Set<string>();
  for (const path of files.keys()) {
    if (isAbsolute(path) || path.split('/').includes('..')) {
      throw new OutputError(`rendered path ${path} is outside the output folder: this is a bug; report it.`);
    }
    for (let dir = dirname(path); dir !== '.' && !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
  }
  return {
    target,
    fresh,
    exists: plan.exists,
    // Parents first: each level is created once, without recursive mkdir.
    dirs: [...dirs].sort((a, b) => a.split('/').length - b.split('/').length),
    carry: plan.carry,
    files,
    markerFile: MARKER_FILE,
    markerText: MARKER_TEXT,
    noteFile: STAGING_NOTE,
    noteText: noteText(process.pid),
  };
}

/**
 * The two renames; a failure of either leaves the previous tree in place (or says where it is).
 * Between them the staging note moves from the new tree to the old one, so at every moment one
 * of the two folders of this pid holds it (see {@link ownStaging}) and the new tree arrives
 * without it (without an old tree, the note is removed from the new tree right after its rename;
 * a crash in between leaves it in the output, where it is ignored and the next run drops it).
 */
function swap(target: string, fresh: string, exists: boolean, step: (point: FaultPoint) => void): void {
  const old = staging(target, 'old');
  if (exists) {
    try {
      renameSync(target, old);
    } catch (error) {
      removeStaging(fresh);
      throw new OutputError(
        `cannot move ${displayPath(target)} aside (${cause(error)}): synth changed nothing; check the permissions of ${displayPath(target)} and its parent.`,
      );
    }
  }
  step('between-renames');
  try {
    if (exists) {
      writeFileSync(join(old, STAGING_NOTE), noteText(process.pid));
      rmSync(join(fresh, STAGING_NOTE), { force: true });
      renameSync(fresh, target);
    } else {
      renameSync(fresh, target);
    }
  } catch (error) {
    let restored = !exists;
    if (exists) {
      try {
        renameSync(old, target);
        rmSync(join(target, STAGING_NOTE), { force: true });
        restored = true;
      } catch {
        restored = false;
      }
    }
    if (restored) removeTree(fresh);
    throw new OutputError(
      restored
        ? `cannot move the new tree into ${displayPath(target)} (${cause(error)}): synth changed nothing; check the permissions of its parent.`
        : `cannot move the new tree into ${displayPath(target)} (${cause(error)}), and the previous tree is now ${displayPath(old)}: the next synth puts it back (or rename it by hand).`,
    );
  }
  // Without an old tree to hold it, the note came along with the new tree: drop it there.
  if (!exists) removeTree(join(target, STAGING_NOTE));
}

/**
 * In the old tree's staging folder of an in-place swap: the old tree is all there, so the swap
 * goes forward from now on (recovery moves the rest of the new tree in, never the old one back).
 */
const SWAPPED_FLAG = '.emr-eks-gitops-swapped';

/** Whether a top-level entry of `target` is named like one of synth's in-place staging folders. */
function isStagingName(target: string, entry: string): boolean {
  return new RegExp(`^\\.${escapeRegExp(basename(target))}-(new|old)-\\d+$`).test(entry);
}

/** Moves every entry of `from` but `except` into `to`, the marker first or last. */
function moveEntries(
  from: string,
  to: string,
  except: (entry: string) => boolean,
  markerFirst: boolean,
): void {
  const entries = readdirSync(from).filter((entry) => !except(entry));
  const ordered = [
    ...(markerFirst && entries.includes(MARKER_FILE) ? [MARKER_FILE] : []),
    ...entries.filter((entry) => entry !== MARKER_FILE),
    ...(!markerFirst && entries.includes(MARKER_FILE) ? [MARKER_FILE] : []),
  ];
  for (const entry of ordered) renameSync(join(from, entry), join(to, entry));
}

/**
 * Swaps the contents of a mount point (which cannot be renamed) with the new tree staged inside
 * it: every entry of the current tree goes into `.<name>-old-<pid>` inside it (the marker last),
 * a flag marks that done, then every entry of the new tree comes out (the marker first). Each
 * entry moves with one rename; the output as a whole is not swapped in one step, but an
 * interruption is finished by the next run ({@link recoverInPlace}): back to the old tree before
 * the flag, forward to the new one after it. A failure before the flag puts everything back.
 */
function swapContents(target: string, fresh: string, step: (point: FaultPoint) => void): void {
  const old = staging(target, 'old', true);
  const staged = (entry: string) => entry === basename(old) || entry === basename(fresh);
  try {
    mkdirSync(old);
    writeFileSync(join(old, STAGING_NOTE), noteText(process.pid));
    moveEntries(target, old, (entry) => staged(entry) || isStagingName(target, entry), false);
  } catch (error) {
    rollBack(target, old);
    removeStaging(fresh);
    throw new OutputError(
      `cannot move the contents of ${displayPath(target)} aside (${cause(error)}): synth changed nothing; check the permissions inside it.`,
    );
  }
  step('between-renames');
  try {
    writeFileSync(join(old, SWAPPED_FLAG), '', { flag: 'wx' });
    moveEntries(fresh, target, (entry) => entry === STAGING_NOTE, true);
  } catch (error) {
    throw new OutputError(
      `cannot move the new tree into ${displayPath(target)} (${cause(error)}): it is staged in ${displayPath(fresh)}, and the next synth finishes the swap.`,
    );
  }
}

/** Moves an interrupted in-place swap's old tree back into `target` and removes its folder. */
function rollBack(target: string, old: string): void {
  if (!existsSync(old)) return;
  moveEntries(old, target, (entry) => entry === STAGING_NOTE || entry === SWAPPED_FLAG, false);
  removeStaging(old);
}

/**
 * Finishes the in-place swaps of runs that died (staging folders inside a mount-point target):
 * back to the old tree when its move was not complete, forward to the new tree when it was.
 * Then removes their staging folders. Call it holding the lock. Returns warnings (none so far).
 */
export function recoverInPlace(target: string): string[] {
  const path = resolve(target);
  if (!isDirectory(path) || !isMountPoint(path)) return [];
  const own = ownStaging(path, basename(path));
  const olds = own.filter((dir) => isStagingName(path, basename(dir)) && basename(dir).includes('-old-'));
  for (const old of olds) {
    const fresh = old.replace(/-old-(\d+)$/, '-new-$1');
    try {
      if (existsSync(join(old, SWAPPED_FLAG))) {
        if (existsSync(fresh)) moveEntries(fresh, path, (entry) => entry === STAGING_NOTE, true);
      } else {
        moveEntries(old, path, (entry) => entry === STAGING_NOTE || entry === SWAPPED_FLAG, false);
      }
    } catch (error) {
      throw new OutputError(
        `cannot finish the interrupted synth of ${displayPath(path)} (${cause(error)}): its trees are in ${displayPath(old)} (old) and ${displayPath(fresh)} (new); move the right one's contents back by hand.`,
      );
    }
  }
  for (const dir of own) removeStaging(dir);
  return [];
}

/** Files of a leftover tree that are Terraform working files and exist nowhere else. */
function soleTerraformCopies(dir: string): string[] {
  const sole: string[] = [];
  const walk = (path: string, inside: boolean): void => {
    let stats;
    try {
      stats = lstatSync(path);
    } catch {
      return;
    }
    const working = inside || isTerraformWorkingFile(basename(path));
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry), working);
    } else if (working && stats.isFile() && stats.nlink === 1) {
      sole.push(displayPath(path));
    }
  };
  walk(dir, false);
  return sole;
}

/** Removes a tree; returns the cause if it could not. */
function removeTree(dir: string): string | undefined {
  try {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  } catch (error) {
    const path = (error as NodeJS.ErrnoException).path;
    return path === undefined ? cause(error) : `${cause(error)} on ${displayPath(path)}`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
