import { describe, expect, it } from 'vitest';
import { readLock } from '../validation/schema-files';
import { runScript } from '../test/helpers/run';
import { sharedPath } from './shared';

/** The committed derived schemas and bindings are what the pinned files in ../shared/schemas give. */
describe('npm run schemas -- --check against ../shared/schemas', () => {
  it('verifies every pinned file and finds nothing to regenerate', () => {
    const run = runScript('schemas', ['--check'], { env: { SCHEMA_DIR: sharedPath('schemas') } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.match(/\bverified\s+unchanged$/gm)?.length).toBe(readLock().length);
    expect(run.stdout).toContain('schemas: the committed derived schemas and bindings are up to date.');
  });
});
