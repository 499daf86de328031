import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockFileOf, withOutputLock } from '../../pipeline/output-lock';
import { MARKER_FILE } from '../../pipeline/safe-output';
import { replaceDirectory } from '../../pipeline/write';
import { bundle } from '../helpers/bundle';
import { syntheticTree } from './fixtures/synthetic-tree';
import { readTextTree } from '../helpers/tree';

const work = mkdtempSync(join(tmpdir(), 'output-lock-'));
let child: ReturnType<typeof bundle>;
beforeAll(() => {
  child = bundle(join(__dirname, 'fixtures', 'writer-child.ts'));
});
afterAll(() => {
  child.remove();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stderr: string;
}

/** The real write path in its own process; `fault` pauses it (EMR_EKS_GITOPS_FAULT=<point>:<ms>). */
function writer(
  target: string,
  set: string,
  options: { fault?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const args = [
      child.file,
      target,
      set,
      '30',
      ...(options.timeoutMs === undefined ? [] : [String(options.timeoutMs)]),
    ];
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, EMR_EKS_GITOPS_FAULT: options.fault ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.once('error', fail);
    proc.once('close', (code) => done({ code, stderr }));
  });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function isTree(dir: string, set: string): boolean {
  const tree = readTextTree(dir);
  tree.delete(MARKER_FILE);
  const want = syntheticTree(set, 30);
  return tree.size === want.size && [...want].every(([path, content]) => tree.get(path) === content);
}

const deadPid = (): number => {
  const run = spawnSync(process.execPath, ['-e', '0']);
  return run.pid ?? 999_999;
};

describe('one writer at a time per output folder', () => {
  it('a second run waits for the first, then writes; nothing is left behind', async () => {
    const target = join(work, 'wait', 'dist');
    // Long enough that the second process, started under load, still finds the lock held.
    const first = writer(target, 'a', { fault: 'locked:3000' });
    await until(() => existsSync(lockFileOf(target)));
    const second = await writer(target, 'b');
    const firstRun = await first;
    expect(firstRun).toEqual({ code: 0, stderr: '' });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^waiting for pid \d+\n$/);
    expect(isTree(target, 'b')).toBe(true);
    expect(readdirSync(join(work, 'wait'))).toEqual(['dist']);
  });

  it('fails with one sentence when the other run holds the lock too long', async () => {
    const target = join(work, 'busy', 'dist');
    const first = writer(target, 'a', { fault: 'locked:1500' });
    await until(() => existsSync(lockFileOf(target)));
    const second = await writer(target, 'b', { timeoutMs: 200 });
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^waiting for pid \d+$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${target} is still being written by pid \\d+ after 0\\.2 s \\(lock ${lockFileOf(target)}\\): wait for it to finish, or delete the lock file if that process is not a synth\\.$`,
        ),
      ),
    ]);
    expect((await first).code).toBe(0);
    expect(isTree(target, 'a')).toBe(true);
    expect(readdirSync(join(work, 'busy'))).toEqual(['dist']);
  });

  it('four concurrent writers all succeed, and the result is one complete tree', async () => {
    const target = join(work, 'many', 'dist');
    const runs = await Promise.all(['a', 'b', 'a', 'b'].map((set) => writer(target, set)));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/ENOENT|EEXIST|at .*\.cjs/);
    }
    expect(isTree(target, 'a') || isTree(target, 'b')).toBe(true);
    expect(readdirSync(join(work, 'many'))).toEqual(['dist']);
  });

  it('breaks a stale lock whose process is gone, or that names this very process', () => {
    const target = join(work, 'stale', 'dist');
    replaceDirectory(target, syntheticTree('a', 30));
    const dead = deadPid();
    for (const pid of [dead, process.pid]) {
      writeFileSync(lockFileOf(target), `${pid} ${hostname()}\n`);
      writeFileSync(`${lockFileOf(target)}.${dead}`, 'left by a run killed while locking\n');
      const started = performance.now();
      replaceDirectory(target, syntheticTree('b', 30), { lock: { timeoutMs: 5_000 } });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(isTree(target, 'b')).toBe(true);
      expect(readdirSync(join(work, 'stale'))).toEqual(['dist']);
    }
  });

  it('waits for a lock of another host (it cannot tell whether that process lives), then says so', () => {
    const target = join(work, 'remote', 'dist');
    replaceDirectory(target, syntheticTree('a', 30));
    writeFileSync(lockFileOf(target), '4242 build-agent-7\n');
    const waits: string[] = [];
    expect(() =>
      replaceDirectory(target, syntheticTree('b', 30), {
        lock: { timeoutMs: 100, onWait: (holder) => waits.push(holder) },
      }),
    ).toThrow(/is still being written by pid 4242 on build-agent-7 after 0\.1 s/);
    expect(waits).toEqual(['pid 4242 on build-agent-7']);
    expect(isTree(target, 'a')).toBe(true);
    rmSync(lockFileOf(target));
  });

  it('is re-entrant within a process and released afterwards', () => {
    const target = join(work, 'nested', 'dist');
    const result = withOutputLock(target, () => {
      expect(readFileSync(lockFileOf(target), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
      return replaceDirectory(target, syntheticTree('a', 30));
    });
    expect(result.warnings).toEqual([]);
    expect(existsSync(lockFileOf(target))).toBe(false);
  });
});
