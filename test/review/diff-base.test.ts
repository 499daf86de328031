import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'diff-base-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });

describe('diff with a --base that is not a commit', () => {
  it('outside a repository says so, and never advises the --base it was given', () => {
    const run = runScript('diff', ['--committed', '--base', 'HEAD~1'], { cwd: work });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `diff: ${work} is not inside a git repository, so there is no --base HEAD~1 to compare with: run diff in the repository that holds dist/.\n`,
    );
  });

  it('in a repository without commits, or with one, advises a commit that exists', () => {
    const repo = join(work, 'repo');
    git(work, 'init', '-q', repo);
    const empty = runScript('diff', ['--committed', '--base', 'HEAD~1'], { cwd: repo });
    expect(empty.stderr).toBe(
      'diff: --base HEAD~1 is not a commit: this repository has no commits yet; commit dist/ first, then compare with --base HEAD.\n',
    );
    writeFileSync(join(repo, 'README.md'), '# repo\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'first');
    const single = runScript('diff', ['--committed', '--base', 'HEAD~1'], { cwd: repo });
    expect(single.stderr).toBe('diff: --base HEAD~1 is not a commit in this repository (try --base HEAD).\n');
    const typo = runScript('diff', ['--committed', '--base', 'mian'], { cwd: repo });
    expect(typo.stderr).toBe('diff: --base mian is not a commit in this repository (try --base HEAD).\n');
  });
});
