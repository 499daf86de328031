import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKER_FILE, MARKER_TEXT } from '../../pipeline/safe-output';
import { runScript } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'synth-cli-'));
// The fixture platform has its own environments: render it with a repository of no job files
// (the seed's job files name the default environment).
const FIXTURE_REPO = { EMR_EKS_GITOPS_ROOT: join(__dirname, 'fixtures') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

describe('npm run synth', () => {
  const out = join(work, 'dist');
  const first = runScript('synth', ['--out', out]);

  it('renders the default config and ends with a summary table', () => {
    expect(first.stderr).toContain('synth: rendering default');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^env\s+stacks\s+resources\s+k8s objects per app\s+ms$/m);
    expect(first.stdout).toMatch(/^default\s+3\s+\d+\s/m);
  });

  it('writes the dist/ layout contract', () => {
    // Plus the marker that lets the next synth replace the folder.
    const files = listFiles(out).filter((file) => file !== MARKER_FILE);
    expect(readFileSync(join(out, MARKER_FILE), 'utf8')).toBe(MARKER_TEXT);
    for (const file of files) {
      expect(file).toMatch(
        /^[a-z0-9-]+\/(terraform\/[a-z0-9-]+\/cdk\.tf\.json|k8s\/[a-z0-9-]+\/(_cluster|[a-z0-9-]+)\/[A-Za-z0-9]+\.[a-z0-9.-]+\.yaml|argocd\/[A-Za-z0-9]+\.[a-z0-9.-]+\.yaml|README\.md)$/,
      );
    }
    expect(files).toMatchSnapshot();
  });

  it('removes stale files in its layout, refuses others it did not write, and is idempotent', () => {
    const before = snapshotDir(out);
    mkdirSync(join(out, 'default', 'k8s', 'gone', 'ns'), { recursive: true });
    writeFileSync(join(out, 'default', 'k8s', 'gone', 'ns', 'ConfigMap.stale.yaml'), 'stale: true\n');
    writeFileSync(join(out, 'default', 'notes.txt'), 'mine\n');
    const refused = runScript('synth', ['--out', out, '--quiet']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `${out} holds ${out}/default/notes.txt, which synth did not write (not the dist/ layout): move it out of ${out}, then synth again; synth changed nothing.\n`,
    );
    rmSync(join(out, 'default', 'notes.txt'));
    expect(runScript('synth', ['--out', out, '--quiet']).status).toBe(0);
    expect(snapshotDir(out)).toEqual(before);
    expect(runScript('synth', ['--out', out, '--quiet']).status).toBe(0);
    expect(snapshotDir(out)).toEqual(before);
  });

  it('prints --help', () => {
    const help = runScript('synth', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run synth');
  });

  it.each([
    [['--env', 'prod'], 'synth: --env prod names no environment (known: default).'],
    [['--bogus'], "synth: Unknown option '--bogus' (run with --help for usage)"],
    [
      ['--config', '/nonexistent.yaml'],
      'Cannot read config file /nonexistent.yaml (ENOENT): check the path.',
    ],
  ])('rejects %j with one line, exit 1, dist/ untouched', (args, message) => {
    const before = snapshotDir(out);
    const result = runScript('synth', ['--out', out, ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([message]);
    expect(snapshotDir(out)).toEqual(before);
  });

  it('rejects an invalid config file with the field, the value and the rule, dist/ untouched', () => {
    const before = snapshotDir(out);
    const file = join(work, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync(join(__dirname, 'fixtures', 'platform.yaml'), 'utf8').replace(
        'name: emr-data-team-b',
        'name: Team B',
      ),
    );
    const result = runScript('synth', ['--out', out, '--config', file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Invalid config at environments[0].teams[1].name: "Team B" must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit).`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotDir(out)).toEqual(before);
  });

  it('renders a YAML config file with two environments, and --env re-renders one, keeping the other', () => {
    const multi = join(work, 'multi');
    const file = join(__dirname, 'fixtures', 'platform.yaml');
    const env = FIXTURE_REPO;
    expect(runScript('synth', ['--out', multi, '--config', file, '--quiet'], { env }).status).toBe(0);
    expect(readdirSync(multi).sort()).toEqual([MARKER_FILE, 'dev', 'prod']);
    const prodBefore = snapshotDir(join(multi, 'prod'));
    const result = runScript('synth', ['--out', multi, '--config', file, '--env', 'dev'], { env });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^dev\s/m);
    expect(result.stdout).not.toMatch(/^prod\s/m);
    expect(snapshotDir(join(multi, 'prod'))).toEqual(prodBefore);
  });
});
