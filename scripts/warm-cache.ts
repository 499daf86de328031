/**
 * Compiles the validator of every kind the schema lock defines into the validator cache
 * (`.cache/validators`), so the first synth or validate after `npm ci` is as fast as any other.
 * Run by npm's `prepare` after the build (`node bin/launch.js warm-cache`); prints a one-line summary.
 */
import { SchemaRegistry } from '../validation/schema-registry';

const started = performance.now();
const { kinds, compiled } = new SchemaRegistry().warm();
process.stderr.write(
  `warm-cache: ${kinds} kinds, ${compiled} compiled into .cache/validators (${Math.round(performance.now() - started)} ms)\n`,
);
