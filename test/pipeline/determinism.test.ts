import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'determinism-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readTree(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]),
  );
}

describe('synth output', () => {
  it('is byte-identical across working directories, time zones and locales', () => {
    const fixture = join(__dirname, 'fixtures', 'platform.yaml');
    // The fixture platform has its own environments: a repository without job files goes with it.
    const repo = join(__dirname, 'fixtures');
    const runs = [
      { out: 'a', args: [], cwd: ROOT, env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' } },
      {
        out: 'nested/b',
        args: [],
        cwd: work,
        env: { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      },
      {
        out: 'c',
        args: ['--config', fixture],
        cwd: ROOT,
        env: { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', EMR_EKS_GITOPS_ROOT: repo },
      },
      {
        out: 'nested/d',
        args: ['--config', fixture],
        cwd: work,
        env: { TZ: 'Asia/Kolkata', LANG: 'ja_JP.UTF-8', EMR_EKS_GITOPS_ROOT: repo },
      },
    ];
    for (const run of runs) {
      const result = runScript('synth', ['--out', join(work, run.out), '--quiet', ...run.args], run);
      expect(result.status, result.stderr).toBe(0);
    }
    const trees = runs.map((run) => readTree(join(work, run.out)));
    expect(trees[0]!.size).toBeGreaterThan(1);
    expect(trees[1]).toEqual(trees[0]);
    expect(trees[3]).toEqual(trees[2]);
  });

  it('holds no absolute paths, timestamps or machine names', () => {
    for (const [file, content] of readTree(join(work, 'c'))) {
      const text = content.toString('utf8');
      expect(text, file).not.toContain(ROOT);
      // The run's own temporary directories must not leak; a bare `/tmp` is a legitimate
      // in-container path (the artifact uploader's scratch mount).
      expect(text, file).not.toContain(work);
      expect(text, file).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:\d\d/);
      expect(text.endsWith('\n'), file).toBe(true);
    }
  });
});
