import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';
import { SEED_CONFIG } from '../fixtures';

/** The repository root (tests run scripts from here, with absolute paths only for the scripts). */
export const ROOT = resolve(__dirname, '..', '..');
/** The CLI as `npm run <verb>` and the `emr-eks-gitops` bin run it: precompiled, via its launcher. */
export const BIN = join(ROOT, 'bin', 'emr-eks-gitops.js');

/** Where and with what a verb runs. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** What a verb run asynchronously returned. */
export interface AsyncRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The command line and options that run the `<name>` verb like `npm run <name>` would: the
 * precompiled CLI (the vitest global setup builds it once, so no test pays for a rebuild or
 * races another).
 */
function command(name: string, args: readonly string[], options: RunOptions) {
  return {
    file: process.execPath,
    args: [BIN, name, ...withPlatform(name, args)],
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
  };
}

/** The verbs that render a platform description: the embedded one is the user's, never a test's. */
const PLATFORM_VERBS = new Set(['synth', 'outputs', 'teardown', 'diff']);

/**
 * The arguments with `--config <the seed fixture>` added where a verb would otherwise render the
 * embedded platform (the live `config/`, which users change every day).
 */
function withPlatform(name: string, args: readonly string[]): readonly string[] {
  if (!PLATFORM_VERBS.has(name) || args.includes('--config') || args.includes('--help')) return args;
  if (name === 'diff' && args.includes('--committed')) return args;
  return [...args, '--config', SEED_CONFIG];
}

/** Runs the `<name>` verb like `npm run <name>` would, from `cwd`. */
export function runScript(
  name: string,
  args: readonly string[],
  options: RunOptions = {},
): SpawnSyncReturns<string> {
  const { file, args: argv, cwd, env } = command(name, args, options);
  return spawnSync(file, argv, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

/** {@link runScript} without blocking, so several runs can overlap (concurrency tests). */
export function runScriptAsync(
  name: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<AsyncRun> {
  const { file, args: argv, cwd, env } = command(name, args, options);
  return new Promise((done, fail) => {
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr }));
  });
}
