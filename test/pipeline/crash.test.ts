import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER_FILE, MARKER_TEXT, STAGING_NOTE } from '../../pipeline/safe-output';
import { replaceDirectory } from '../../pipeline/write';
import { bundle } from '../helpers/bundle';
import { syntheticTree } from './fixtures/synthetic-tree';
import { readTextTree } from '../helpers/tree';

/**
 * SIGKILL at ≥ 50 points of the real write path (pipeline/write.ts, run by a small child
 * process): at random moments while it locks, recovers, writes the staging tree, swaps and
 * cleans up, and exactly at each fault-injection point (EMR_EKS_GITOPS_FAULT), including between
 * the two renames. After every kill the output is the old complete tree or the new one (or, only
 * between the renames, absent with the complete old tree beside it), Terraform's working files
 * are untouched, and the next run succeeds and leaves no staging folder or lock behind.
 */

const COUNT = 40;
const work = mkdtempSync(join(tmpdir(), 'crash-'));
const target = join(work, 'dist');
let child: ReturnType<typeof bundle>;

beforeAll(() => {
  child = bundle(join(__dirname, 'fixtures', 'writer-child.ts'));
});
afterAll(() => {
  child.remove();
  rmSync(work, { recursive: true, force: true });
});

/** Terraform's working files in the stack folder, placed before the first kill. */
const WORKING = new Map([
  [
    'default/terraform/base/.terraform/providers/registry.terraform.io/hashicorp/aws/6.0.0/linux_amd64/terraform-provider-aws',
    'provider binary\n',
  ],
  ['default/terraform/base/.terraform/terraform.tfstate', '{"backend":{"type":"local"}}\n'],
  ['default/terraform/base/.terraform.lock.hcl', 'provider "registry.terraform.io/hashicorp/aws" {}\n'],
  ['default/terraform/base/terraform.base.tfstate', '{"serial": 7}\n'],
]);

function expected(set: 'a' | 'b'): Map<string, string> {
  const rendered = syntheticTree(set, COUNT);
  const files = new Map([...rendered, ...WORKING, [MARKER_FILE, MARKER_TEXT]]);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

interface Kill {
  readonly delayMs?: number;
  readonly fault?: string;
}

/** Runs the writer; kills it `delayMs` after it is ready (or lets a fault point kill it). */
function killedRun(
  set: 'a' | 'b',
  kill: Kill,
): Promise<{ pid: number; signal: string | null; code: number | null; writeMs: number }> {
  return new Promise((done, fail) => {
    let ready = Number.NaN;
    const env = { ...process.env, EMR_EKS_GITOPS_FAULT: kill.fault ?? '' };
    const proc = spawn(process.execPath, [child.file, target, set, String(COUNT)], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!chunk.includes('ready')) return;
      ready = performance.now();
      if (kill.delayMs !== undefined) setTimeout(() => proc.kill('SIGKILL'), kill.delayMs);
    });
    proc.once('error', fail);
    proc.once('close', (code, signal) =>
      done({ pid: proc.pid ?? -1, code, signal, writeMs: performance.now() - ready }),
    );
  });
}

describe('SIGKILL during the write', () => {
  it('leaves the old or the new complete tree at ≥ 50 points, and the next run always succeeds', async () => {
    replaceDirectory(target, syntheticTree('a', COUNT));
    for (const [path, content] of WORKING) {
      mkdirSync(join(target, path, '..'), { recursive: true });
      writeFileSync(join(target, path), content);
    }
    const stateInode = statSync(join(target, 'default/terraform/base/terraform.base.tfstate')).ino;
    let current: 'a' | 'b' = 'a';
    expect(readTextTree(target)).toEqual(expected(current));

    // Calibrate the random delays on one complete run: from `ready` to its exit.
    const full = await killedRun('b', {});
    expect(full.code).toBe(0);
    const span = Math.max(5, full.writeMs);
    current = 'b';

    const points = ['locked', 'staged', 'between-renames', 'swapped'];
    const kills: Kill[] = [
      ...points.flatMap((fault) => [{ fault }, { fault }, { fault }]),
      ...Array.from({ length: 38 }, () => ({ delayMs: Math.random() * span })),
    ];
    const outcomes = { old: 0, new: 0, missing: 0, finished: 0 };
    for (const kill of kills) {
      const next: 'a' | 'b' = current === 'a' ? 'b' : 'a';
      const run = await killedRun(next, kill);
      if (run.code === 0) outcomes.finished++;
      else expect(run.signal, JSON.stringify(kill)).toBe('SIGKILL');
      if (existsSync(target)) {
        const tree = readTextTree(target);
        const which = sameTree(tree, expected(current))
          ? 'old'
          : sameTree(tree, expected(next))
            ? 'new'
            : 'mixed';
        expect(which, JSON.stringify(kill)).not.toBe('mixed');
        outcomes[which === 'old' ? 'old' : 'new']++;
      } else {
        // Only between the two renames: the complete old tree waits beside it for recovery.
        outcomes.missing++;
        // It may already hold the run's staging note (moved there from the new tree).
        const old = readTextTree(join(work, `.dist-old-${run.pid}`));
        old.delete(STAGING_NOTE);
        expect(old).toEqual(expected(current));
      }
      // The next run recovers and succeeds, leaving nothing but the output behind.
      const result = replaceDirectory(target, syntheticTree(next, COUNT));
      expect(result.warnings).toEqual([]);
      expect(readdirSync(work)).toEqual(['dist']);
      expect(readTextTree(target)).toEqual(expected(next));
      current = next;
    }
    expect(kills.length).toBeGreaterThanOrEqual(50);
    // Each fault point was hit: between the renames the output was missing three times.
    expect(outcomes.missing).toBeGreaterThanOrEqual(3);
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    // The legacy state file is the same file throughout (hard-linked, never rewritten).
    expect(statSync(join(target, 'default/terraform/base/terraform.base.tfstate')).ino).toBe(stateInode);
  }, 120_000);
});

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, content] of a) if (b.get(path) !== content) return false;
  return true;
}
