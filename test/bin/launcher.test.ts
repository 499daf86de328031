import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run';

/**
 * The launcher never runs stale code: a copy of the project (only the dispatcher among the
 * scripts, so each build takes a fraction of a second) is built on first use, rebuilt after a
 * source edit, not rebuilt after a touch that changes nothing, and refuses to run when the
 * edited source does not build.
 */
const work = mkdtempSync(join(tmpdir(), 'launcher-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const project = join(work, 'project');
for (const dir of ['bin', 'config', 'lib', 'pipeline', 'validation'])
  cpSync(join(ROOT, dir), join(project, dir), { recursive: true });
for (const file of ['package.json', 'package-lock.json', 'schemas.lock.json'])
  cpSync(join(ROOT, file), join(project, file));
mkdirSync(join(project, 'scripts'));
cpSync(join(ROOT, 'scripts', 'cli.ts'), join(project, 'scripts', 'cli.ts'));
symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(project, 'bin', 'emr-eks-gitops.js'), ...args], {
    cwd: project,
    encoding: 'utf8',
  });
const REBUILDING = 'emr-eks-gitops: sources changed since the last build; rebuilding .build';
const source = join(project, 'scripts', 'cli.ts');
const original = readFileSync(source, 'utf8');

describe('bin/emr-eks-gitops.js', () => {
  it('builds on first use, then runs the build it has', () => {
    const first = cli('--version');
    expect(first.stderr).toContain(REBUILDING);
    expect(first.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    expect(first.status).toBe(0);
    const second = cli('--help');
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('Commands:');
  });

  it('does not rebuild after a touch that changes no content', () => {
    const later = new Date(Date.now() + 5000);
    utimesSync(source, later, later);
    const run = cli('--help');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('rebuilds after a source edit and runs the edited code', () => {
    writeFileSync(source, original.replace("'Commands:'", "'Verbs:'"));
    const run = cli('--help');
    expect(run.stderr).toContain(REBUILDING);
    expect(run.stdout).toContain('Verbs:');
    expect(run.stdout).not.toContain('Commands:');
    expect(cli('--help').stderr).toBe('');
  });

  it('refuses to run the old build when the edited source does not build', () => {
    writeFileSync(source, `${original}\nconst broken = ;\n`);
    const run = cli('--help');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^emr-eks-gitops: refusing to run a stale build: build failed: scripts\/cli\.ts:\d+:\d+: .+ \(fix it, then run `npm run build`\)\.$/,
    );
    writeFileSync(source, original);
    const fixed = cli('--help');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('Commands:');
  });
});
