import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

/**
 * A team's folder is a fence (decision 18, docs/decisions.md): a job reads, ships and uploads only regular
 * files whose real location is directly in `jobs/<team>/`. A symbolic link that leads out of the
 * folder (to `/etc/hostname`, to a secret elsewhere on the machine or in the repository), a team
 * folder that is itself a link, and a FIFO, device or folder where a file is expected are
 * refused, so nothing from outside the team's folder reaches a ConfigMap, S3 or the PR comment.
 */

/** What a path in a team folder must be. */
export type TeamEntryKind = 'file' | 'folder';

/**
 * Why the repository-relative `path` (`jobs/<team>/<name>`, or `jobs/<team>` for the folder
 * itself) may not be used, as a clause that follows the path ("points to …"); undefined when it
 * may, or when it does not exist (the callers say what is missing).
 */
export function teamEntryProblem(root: string, path: string, kind: TeamEntryKind): string | undefined {
  const absolute = join(root, path);
  const real = realLocation(absolute);
  if (real === undefined) return undefined;
  const [jobs = '', team = '', name] = path.split('/');
  const realRoot = realLocation(root) ?? root;
  const teamFolder = join(realRoot, jobs, team);
  // The team folder is where it says; an entry of it may be a link to a sibling, nothing else.
  const inside = name === undefined ? real === teamFolder : dirname(real) === teamFolder;
  if (!inside) {
    return `points to ${shown(realRoot, real)}, outside ${jobs}/${team}/: a job may use only what is really in its team's folder, so replace the link with a copy of the ${kind} itself`;
  }
  const stats = statOf(real);
  if (stats === undefined) return undefined;
  const found = describe(stats);
  if (kind === 'file' && !stats.isFile()) {
    return `is ${found}, not a regular file: a job ships only regular files, so replace it with one`;
  }
  if (kind === 'folder' && !stats.isDirectory()) {
    return `is ${found}, not a folder: a team's jobs live in a folder, jobs/<team>/`;
  }
  return undefined;
}

/** A real location for messages: repository-relative inside the repository, else absolute. */
function shown(realRoot: string, real: string): string {
  const inside = relative(realRoot, real);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? real : inside;
}

function realLocation(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function describe(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a regular file';
}
