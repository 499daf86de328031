import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'validate-fifo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const canMakeFifo = spawnSync('mkfifo', ['--help']).status === 0;

describe('validate and a manifest name that is not a regular file', () => {
  it.runIf(canMakeFifo)(
    'refuses a named pipe called *.yaml in one sentence, without opening it',
    () => {
      const dir = join(work, 'manifests');
      mkdirSync(join(dir, 'team'), { recursive: true });
      writeFileSync(join(dir, 'team', 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
      expect(spawnSync('mkfifo', [join(dir, 'team', 'pipe.yaml')]).status).toBe(0);
      // Opening the pipe would block until a writer comes: the time limit turns a hang into a failure.
      const run = spawnSync(process.execPath, [BIN, 'validate', dir], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.signal).toBeNull();
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `validate: ${dir}/team/pipe.yaml is a named pipe, not a regular file: validate reads YAML and Terraform JSON files only; remove it or move it out of ${dir}.\n`,
      );
    },
    30_000,
  );
});
