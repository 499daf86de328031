import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recoverInterruptedSwap, replaceDirectory } from '../../pipeline/write';
import { ROOT } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readTree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files.map((e) => [
      relative(dir, join(e.parentPath, e.name)),
      readFileSync(join(e.parentPath, e.name), 'utf8'),
    ]),
  );
}

const previous = new Map([
  ['env/terraform/base/cdk.tf.json', '{"old": true}\n'],
  ['env/k8s/team/ns/ConfigMap.a.yaml', 'old: a\n'],
]);

function freshTarget(name: string): string {
  const target = join(work, name, 'dist');
  mkdirSync(join(work, name), { recursive: true });
  replaceDirectory(target, previous);
  return target;
}

describe('replaceDirectory', () => {
  it('replaces the tree exactly: new files in, stale files out, kept entries carried over', () => {
    const target = freshTarget('replace');
    writeFileSync(join(target, 'hand-made.txt'), 'stale');
    mkdirSync(join(target, 'other-env'));
    writeFileSync(join(target, 'other-env', 'x.yaml'), 'x: 1\n');
    replaceDirectory(target, new Map([['env/terraform/base/cdk.tf.json', '{"new": true}\n']]), {
      keep: ['other-env'],
    });
    expect(readTree(target)).toEqual({
      'env/terraform/base/cdk.tf.json': '{"new": true}\n',
      'other-env/x.yaml': 'x: 1\n',
    });
    expect(readdirSync(join(work, 'replace'))).toEqual(['dist']);
  });

  it('leaves the previous tree complete when rendering fails mid-write', () => {
    const target = freshTarget('throw');
    const failing = new Map([['a.yaml', 'a: 1\n']]);
    const broken = {
      size: 2,
      keys: () => failing.keys(),
      *[Symbol.iterator]() {
        yield ['a.yaml', 'a: 1\n'] as [string, string];
        throw new Error('disk full');
      },
    } as unknown as ReadonlyMap<string, string>;
    expect(() => replaceDirectory(target, broken)).toThrow('disk full');
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    expect(readdirSync(join(work, 'throw'))).toEqual(['dist']);
  });

  it('leaves the previous tree complete when the process is killed with SIGKILL while writing', async () => {
    const target = freshTarget('kill');
    // Plain node with tsx's require hook, so the pid is the writer's own (the tsx CLI forks).
    const child = spawn(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        `const { replaceDirectory } = require(${JSON.stringify(join(ROOT, 'pipeline', 'write.ts'))});
         const files = new Map();
         for (let i = 0; i < 200000; i++) files.set('env/k8s/app/ns/ConfigMap.f' + i + '.yaml', 'n: ' + i + '\\n');
         replaceDirectory(${JSON.stringify(target)}, files);`,
      ],
      { stdio: 'ignore', cwd: ROOT },
    );
    const staging = join(work, 'kill', `.dist-new-${child.pid}`);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const dir = join(staging, 'env', 'k8s', 'app', 'ns');
      if (existsSync(dir) && readdirSync(dir).length > 100) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(existsSync(staging)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
    recoverInterruptedSwap(target);
    expect(readdirSync(join(work, 'kill'))).toEqual(['dist']);
    expect(readTree(target)).toEqual(Object.fromEntries(previous));
  });

  it('restores the previous tree if a run died between its two renames', () => {
    const parent = join(work, 'window');
    mkdirSync(join(parent, '.dist-old-4242', 'env'), { recursive: true });
    writeFileSync(join(parent, '.dist-old-4242', 'env', 'a.yaml'), 'a: 1\n');
    const target = join(parent, 'dist');
    recoverInterruptedSwap(target);
    expect(readTree(target)).toEqual({ 'env/a.yaml': 'a: 1\n' });
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});
