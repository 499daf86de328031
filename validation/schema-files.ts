import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { DerivedSchema } from './schema-derive';

/** One upstream schema file, pinned by URL and git blob id (`schemas.lock.json`). */
export interface LockedSchema {
  /** Path under the schema directory, e.g. `crds/karpenter.sh_nodepools.yaml`. */
  readonly path: string;
  /** Where `npm run schemas` downloads it from (a raw file at a pinned tag or commit). */
  readonly url: string;
  /** `git hash-object` of the file: the blob id upstream at that tag. */
  readonly blob: string;
  /** The `versions` key this schema must stay in step with. */
  readonly project: string;
  readonly version: string;
  /** What it defines: `group/version Kind` for a CRD, `group/version` for a Kubernetes OpenAPI document. */
  readonly defines: readonly string[];
}

/** The repository root (this file lives in `validation/`). */
export const PROJECT_ROOT = resolve(__dirname, '..');
export const LOCK_FILE = join(PROJECT_ROOT, 'schemas.lock.json');
/** Where `npm run schemas` puts the upstream files when `SCHEMA_DIR` is not set. */
export const DEFAULT_SCHEMA_CACHE = join(PROJECT_ROOT, '.cache', 'schemas');
/** The committed schemas the validator reads, derived from the upstream files by `npm run schemas`. */
export const DERIVED_DIR = join(PROJECT_ROOT, 'validation', 'schemas');

/** A problem with the schema files themselves (missing, altered): one sentence, no stack. */
export class SchemaFilesError extends Error {}

export function readLock(): readonly LockedSchema[] {
  const lock = JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as { files: LockedSchema[] };
  return lock.files;
}

/** The directory `npm run schemas` reads the upstream files from: `$SCHEMA_DIR`, else the download cache. */
export function schemaDir(): string {
  const fromEnv = process.env.SCHEMA_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : DEFAULT_SCHEMA_CACHE;
}

/** The id git gives a file's content: sha1 of `blob <size>\0<content>`. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function missing(entry: LockedSchema, dir: string): SchemaFilesError {
  return new SchemaFilesError(
    `Schema ${entry.path} is missing from ${dir}: run \`npm run schemas\` to download the pinned schemas, or set SCHEMA_DIR to a copy (CI: ../shared/schemas).`,
  );
}

/**
 * Reads one locked upstream file and checks its blob id, so nothing is ever derived from a
 * schema other than the pinned one.
 */
export function readLockedSchema(entry: LockedSchema, dir = schemaDir()): string {
  const file = join(dir, entry.path);
  if (!existsSync(file)) throw missing(entry, dir);
  const content = readFileSync(file);
  const blob = gitBlobId(content);
  if (blob !== entry.blob) {
    throw new SchemaFilesError(
      `Schema ${file} has git blob ${blob}, but schemas.lock.json pins ${entry.blob}: run \`npm run schemas\` to fetch the pinned file.`,
    );
  }
  return content.toString('utf8');
}

/** The committed derived file of a locked schema (`validation/schemas/<path>.json`). */
export function derivedPath(entry: LockedSchema, dir = DERIVED_DIR): string {
  return join(dir, entry.path.replace(/\.(ya?ml|json)$/, '.json'));
}

/**
 * Reads the derived schema of a locked file and checks it was derived from the pinned blob, so a
 * lock bump without `npm run schemas` fails with the fix instead of validating against the old
 * schema.
 */
export function readDerivedSchema(entry: LockedSchema, dir = DERIVED_DIR): DerivedSchema {
  const file = derivedPath(entry, dir);
  const shown = relative(PROJECT_ROOT, file) || file;
  if (!existsSync(file)) {
    throw new SchemaFilesError(
      `Derived schema ${shown} is missing: run \`npm run schemas\` (offline: SCHEMA_DIR=../shared/schemas npm run schemas) and commit validation/schemas.`,
    );
  }
  const derived = JSON.parse(readFileSync(file, 'utf8')) as DerivedSchema;
  if (derived.source?.blob !== entry.blob) {
    throw new SchemaFilesError(
      `Derived schema ${shown} comes from git blob ${String(derived.source?.blob)}, but schemas.lock.json pins ${entry.blob}: run \`npm run schemas\` and commit validation/schemas.`,
    );
  }
  return derived;
}
