import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root (tests run scripts from here, with absolute paths only for the scripts). */
export const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the `<name>` verb of `scripts/cli.ts` like `npm run <name>` would, from `cwd`. */
export function runScript(
  name: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  return spawnSync(TSX, [join(ROOT, 'scripts', 'cli.ts'), name, ...args], {
    cwd: options.cwd ?? ROOT,
    // SCHEMA_DIR is relative to where it was exported; scripts here may run from another cwd.
    env: { ...process.env, ...schemaDir(), ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function schemaDir(): NodeJS.ProcessEnv {
  const dir = process.env.SCHEMA_DIR;
  return dir === undefined || dir === '' ? {} : { SCHEMA_DIR: resolve(dir) };
}
