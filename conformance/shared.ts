import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The reference material conformance checks compare the project with (`../shared` beside the
 * checkout in CI, or `$SHARED_DIR`). `npm test` never reads it; `npm run conformance` does.
 */
export const SHARED_DIR = resolve(process.env.SHARED_DIR ?? join(__dirname, '..', '..', 'shared'));

/** A path under the shared folder; fails with the fix when the folder is not there. */
export function sharedPath(...parts: string[]): string {
  if (!existsSync(SHARED_DIR)) {
    throw new Error(
      `conformance: ${SHARED_DIR} does not exist; set SHARED_DIR to the shared reference folder.`,
    );
  }
  return join(SHARED_DIR, ...parts);
}
