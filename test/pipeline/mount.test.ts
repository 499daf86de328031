import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE, MARKER_TEXT } from '../../pipeline/safe-output';
import { recoverInPlace, replaceDirectory } from '../../pipeline/write';
import { bundle } from '../helpers/bundle';
import { runScript } from '../helpers/run';
import { syntheticTree } from './fixtures/synthetic-tree';
import { readTextTree } from '../helpers/tree';

/**
 * A bind-mounted output folder (docker -v ./dist:/app/dist does the same), which cannot be
 * renamed: synth swaps its contents instead. Mounting needs root; skipped otherwise.
 */

const work = mkdtempSync(join(tmpdir(), 'mount-'));
const mounts: string[] = [];
const isRoot = process.getuid?.() === 0;

/** A folder `<name>/dist` bind-mounted from `<name>/source`; false when mounting is not allowed. */
function mounted(name: string): { source: string; parent: string; out: string } | undefined {
  const source = join(work, name, 'source');
  const parent = join(work, name, 'checkout');
  const out = join(parent, 'dist');
  mkdirSync(source, { recursive: true });
  mkdirSync(out, { recursive: true });
  if (!isRoot || spawnSync('mount', ['--bind', source, out]).status !== 0) return undefined;
  mounts.push(out);
  return { source, parent, out };
}
const canMount = isRoot && mounted('probe') !== undefined;

afterAll(() => {
  for (const out of mounts) spawnSync('umount', [out]);
  rmSync(work, { recursive: true, force: true });
});

const FIXTURE = ['--config', 'test/pipeline/fixtures/platform.yaml', '--quiet'];
const FIXTURE_REPO = { EMR_EKS_GITOPS_ROOT: join(__dirname, 'fixtures') };

describe.runIf(canMount)('synth to a bind-mounted output folder', () => {
  it('writes in place, again and again, leaving nothing beside or inside it', () => {
    const where = mounted('synth');
    if (where === undefined) throw new Error('mounting failed');
    for (let run = 0; run < 2; run++) {
      const result = runScript('synth', [...FIXTURE, '--out', where.out], { env: FIXTURE_REPO });
      expect(result.status, result.stderr).toBe(0);
    }
    expect(readdirSync(where.parent)).toEqual(['dist']);
    const files = [...readTextTree(where.source).keys()];
    expect(files).toContain(MARKER_FILE);
    expect(readdirSync(where.source).sort()).toEqual([MARKER_FILE, 'dev', 'prod']);
    // Files it did not write are refused there too.
    writeFileSync(join(where.source, 'notes.txt'), 'mine\n');
    const refused = runScript('synth', [...FIXTURE, '--out', where.out], { env: FIXTURE_REPO });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${where.out} holds ${where.out}/notes.txt, which synth did not write`);
  }, 120_000);

  describe('a writer killed at any point of the in-place swap', () => {
    let child: ReturnType<typeof bundle>;
    beforeAll(() => {
      child = bundle(join(__dirname, 'fixtures', 'writer-child.ts'));
    });
    afterAll(() => child.remove());

    const COUNT = 40;
    const WORKING = new Map([
      ['default/terraform/base/.terraform.lock.hcl', 'provider "aws" {}\n'],
      ['default/terraform/base/.terraform/terraform.tfstate', '{"backend":{}}\n'],
    ]);
    const expected = (set: string) => {
      const rendered = syntheticTree(set, COUNT);
      const all = new Map([...rendered, ...WORKING, [MARKER_FILE, MARKER_TEXT]]);
      return new Map([...all].sort(([a], [b]) => a.localeCompare(b)));
    };
    const killedRun = (target: string, set: string, kill: { fault?: string; delayMs?: number }) =>
      new Promise<void>((done, fail) => {
        const proc = spawn(process.execPath, [child.file, target, set, String(COUNT)], {
          env: { ...process.env, EMR_EKS_GITOPS_FAULT: kill.fault ?? '' },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          if (chunk.includes('ready') && kill.delayMs !== undefined) {
            setTimeout(() => proc.kill('SIGKILL'), kill.delayMs);
          }
        });
        proc.once('error', fail);
        proc.once('close', () => done());
      });

    it('leaves a tree the next run turns into the old or the new one, complete', async () => {
      const where = mounted('crash');
      if (where === undefined) throw new Error('mounting failed');
      const target = where.out;
      replaceDirectory(target, syntheticTree('a', COUNT));
      for (const [path, content] of WORKING) {
        mkdirSync(join(target, path, '..'), { recursive: true });
        writeFileSync(join(target, path), content);
      }
      let current = 'a';
      let swapsCaught = 0;
      const kills: { fault?: string; delayMs?: number }[] = [
        ...['locked', 'staged', 'between-renames', 'swapped'].map((fault) => ({ fault })),
        ...Array.from({ length: 16 }, () => ({ delayMs: Math.random() * 60 })),
      ];
      for (const kill of kills) {
        const next = current === 'a' ? 'b' : 'a';
        await killedRun(target, next, kill);
        if (kill.fault === 'between-renames') {
          // Killed with the old tree moved aside inside the mount, the new one not yet out.
          expect(readdirSync(target).filter((name) => !name.startsWith('.dist-'))).toEqual([]);
          swapsCaught++;
        }
        recoverInPlace(target);
        const tree = readTextTree(target);
        const same = (other: Map<string, string>) => JSON.stringify([...tree]) === JSON.stringify([...other]);
        expect(same(expected(current)) || same(expected(next)), JSON.stringify(kill)).toBe(true);
        replaceDirectory(target, syntheticTree(next, COUNT));
        expect(readTextTree(target)).toEqual(expected(next));
        expect(readdirSync(target).filter((name) => name.startsWith('.dist'))).toEqual([]);
        expect(readdirSync(where.parent)).toEqual(['dist']);
        current = next;
      }
      expect(swapsCaught).toBe(1);
    }, 120_000);
  });
});
