import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../schema-files';

/**
 * Clean verdicts of the system checks that read the large generated data (the IAM catalogue, the
 * chart value paths), so a run over unchanged inputs does not load that data again: an empty
 * file `.cache/system/<digest>` records that the check found nothing in exactly those inputs,
 * with exactly that code and data. Only a clean result is remembered; findings are always
 * computed.
 *
 * The code is identified by the precompiled CLI's build folder (`.build/<key>`, a digest of every
 * source, where the running bundle lives), so the cache is on only there: under tsx or vitest (sources loaded directly) nothing
 * is remembered. `EMR_EKS_GITOPS_NO_CACHE=1` turns it off.
 */

const DIR = join(PROJECT_ROOT, '.cache', 'system');

function buildKey(): string | undefined {
  if (process.env.EMR_EKS_GITOPS_NO_CACHE === '1') return undefined;
  // The bundle's own file (the build rewrites __dirname to the source folder, not `module`).
  const file: unknown = typeof module === 'undefined' ? undefined : module.filename;
  if (typeof file !== 'string') return undefined;
  const build = basename(dirname(file));
  return basename(dirname(dirname(file))) === '.build' && /^[0-9a-f]{8,}$/.test(build) ? build : undefined;
}

function digest(check: string, dataFile: string, inputs: unknown): string | undefined {
  const build = buildKey();
  if (build === undefined) return undefined;
  let data: string;
  try {
    const stats = statSync(dataFile);
    data = `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return undefined;
  }
  return createHash('sha256')
    .update(`${build}\0${check}\0${data}\0${JSON.stringify(inputs)}`)
    .digest('hex');
}

/** Whether `check` found nothing before in exactly these inputs. */
export function knownClean(check: string, dataFile: string, inputs: unknown): boolean {
  const key = digest(check, dataFile, inputs);
  return key !== undefined && existsSync(join(DIR, key));
}

/** Remembers that `check` found nothing in these inputs (best effort: a read-only tree just misses). */
export function rememberClean(check: string, dataFile: string, inputs: unknown): void {
  const key = digest(check, dataFile, inputs);
  if (key === undefined) return;
  try {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, key), '');
  } catch {
    // The cache is an optimisation only.
  }
}
