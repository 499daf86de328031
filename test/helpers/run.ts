import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root (tests run scripts from here, with absolute paths only for the scripts). */
export const ROOT = resolve(__dirname, '..', '..');
/** The CLI as `npm run <verb>` and the `emr-eks-gitops` bin run it: precompiled, via its launcher. */
export const BIN = join(ROOT, 'bin', 'emr-eks-gitops.js');

/**
 * Runs the `<name>` verb like `npm run <name>` would, from `cwd`: the precompiled CLI (the
 * vitest global setup builds it once, so no test pays for a rebuild or races another).
 */
export function runScript(
  name: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, name, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}
