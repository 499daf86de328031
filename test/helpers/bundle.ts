import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from './run';

/**
 * Bundles a TypeScript entry point into one CommonJS file that plain `node` starts in tens of
 * milliseconds (tsx takes hundreds), for tests that start a real process dozens of times. The
 * file goes to `.cache/` at the project root, so modules that locate the project from their own
 * folder (`resolve(__dirname, '..')`) still find it. Returns the file and a clean-up.
 */
export function bundle(entry: string): { readonly file: string; readonly remove: () => void } {
  const file = join(ROOT, '.cache', `${basename(entry, '.ts')}-${process.pid}.cjs`);
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: file,
    logLevel: 'silent',
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}
