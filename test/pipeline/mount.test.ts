import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run';

/** A bind-mounted output folder (docker -v ./dist:/app/dist does the same): needs root. */

const work = mkdtempSync(join(tmpdir(), 'mount-'));
const source = join(work, 'source');
const parent = join(work, 'checkout');
const out = join(parent, 'dist');
mkdirSync(source);
mkdirSync(out, { recursive: true });
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['--bind', source, out]).status === 0;
afterAll(() => {
  if (mounted) spawnSync('umount', [out]);
  rmSync(work, { recursive: true, force: true });
});

const FIXTURE_REPO = { EMR_EKS_GITOPS_ROOT: join(__dirname, 'fixtures') };

describe('synth to a bind-mounted output folder', () => {
  it.runIf(mounted)(
    'is refused before the render in one sentence saying why and what to do',
    () => {
      writeFileSync(join(source, 'kept.txt'), 'mine\n');
      const run = runScript(
        'synth',
        ['--config', 'test/pipeline/fixtures/platform.yaml', '--quiet', '--out', out],
        { env: FIXTURE_REPO },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `${out} is a mount point (a folder mounted there, as by docker -v or mount --bind): synth replaces its output folder by renaming it, which the kernel refuses for a mount point (EBUSY); mount the folder that holds ${out} instead, or pass --out ${out}/<folder> to write inside the mount.\n`,
      );
      // Nothing beside it (no lock, no staging tree) and nothing inside it changed.
      expect(readdirSync(parent)).toEqual(['dist']);
      expect(readdirSync(source)).toEqual(['kept.txt']);
      // Inside the mount, synth writes as usual.
      const inside = runScript(
        'synth',
        ['--config', 'test/pipeline/fixtures/platform.yaml', '--quiet', '--out', join(out, 'site')],
        { env: FIXTURE_REPO },
      );
      expect(inside.status, inside.stderr).toBe(0);
      expect(readdirSync(source).sort()).toEqual(['kept.txt', 'site']);
    },
    120_000,
  );
});
