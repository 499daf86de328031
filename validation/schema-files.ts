import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
/** Where `npm run schemas` puts the files when `SCHEMA_DIR` is not set. */
export const DEFAULT_SCHEMA_CACHE = join(PROJECT_ROOT, '.cache', 'schemas');

/** A problem with the schema files themselves (missing, altered): one sentence, no stack. */
export class SchemaFilesError extends Error {}

export function readLock(): readonly LockedSchema[] {
  const lock = JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as { files: LockedSchema[] };
  return lock.files;
}

/** The directory schemas are read from: `$SCHEMA_DIR`, else the download cache. */
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

/** Fails with the one-sentence fix when a locked schema file is absent (a cheap check). */
export function assertSchemaPresent(entry: LockedSchema, dir = schemaDir()): void {
  if (!existsSync(join(dir, entry.path))) throw missing(entry, dir);
}

/**
 * Reads one locked schema file and checks its blob id, so a validator never runs against a
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
