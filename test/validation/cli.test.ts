import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { versions } from '../../config/versions';
import { DERIVED_DIR, readLock } from '../../validation/schema-files';
import { ROOT, runScript } from '../helpers/run';
import { defaultFiles } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'validate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('schemas.lock.json', () => {
  it('pins every schema at the version the versions module installs', () => {
    const byProject: Record<string, string> = {
      kubernetes: versions.kubernetes,
      karpenter: versions.karpenter,
      ackEmrContainers: versions.ackEmrContainers,
      argocd: versions.argocd,
    };
    for (const entry of readLock()) {
      expect(byProject[entry.project], entry.path).toBe(entry.version);
      expect(entry.url).toContain(
        entry.project === 'kubernetes' ? `/${entry.version}/` : `/v${entry.version}/`,
      );
      expect(entry.blob).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});

describe('npm run validate', () => {
  it("passes the seed fixture's rendered dist/ and ends with a table", () => {
    const seed = join(work, 'seed');
    for (const [path, content] of defaultFiles()) {
      mkdirSync(dirname(join(seed, 'dist', path)), { recursive: true });
      writeFileSync(join(seed, 'dist', path), content);
    }
    const run = runScript('validate', ['dist'], { cwd: seed });
    expect(run.stderr).toContain('validate: dist/default');
    expect(run.stdout).toMatch(/^dist\/default\s+\d+\s+0$/m);
    expect(run.status).toBe(0);
  });

  it('checks any folder of YAML, one finding per line, exit 1', () => {
    const dir = join(work, 'manifests');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'bad.yaml'),
      dump({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'Bad_Name', namespace: 'x' },
        datta: {},
      }) +
        '---\n' +
        dump({ apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'old' } }),
    );
    const run = runScript('validate', [dir]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n').filter((l) => l.includes(': $'));
    expect(lines).toEqual([
      `${dir}/bad.yaml#1: $.datta: schema.unknown-field: unknown field "datta" (strict field validation rejects it; check the spelling against the schema)`,
      `${dir}/bad.yaml#1: $.metadata.name: metadata.name: "Bad_Name" is not a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.')`,
      `${dir}/bad.yaml#2: $.apiVersion: gvk.unknown: batch/v1beta1 CronJob is not defined by any pinned schema (schemas.lock.json); a typo or a removed API version?`,
    ]);
    const json = runScript('validate', [dir, '--format', 'json']);
    expect((JSON.parse(json.stdout) as { rule: string }[]).map((f) => f.rule)).toEqual([
      'schema.unknown-field',
      'metadata.name',
      'gvk.unknown',
    ]);
  });

  it('refuses a bad directory and an unknown format with usage errors', () => {
    expect(runScript('validate', [join(work, 'nope')]).stderr).toContain('is not a directory');
    expect(runScript('validate', ['--format', 'xml']).stderr).toContain('--format xml is not supported');
    expect(runScript('validate', ['--help']).stdout).toContain('Usage: npm run validate');
  });

  it('names the file, line and column of a manifest that is not valid YAML', () => {
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
    const run = runScript('validate', [dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `validate: ${dir}/bad.yaml:4:1 is not valid YAML (unexpected end of the stream within a flow collection): fix the file, or re-render it with npm run synth.\n`,
    );
  });
});

/** Every generated file with its mtime. */
function generatedFiles(): Record<string, number> {
  const files: Record<string, number> = {};
  for (const dir of [DERIVED_DIR, join(ROOT, 'manifests', 'imports')]) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile()) files[file] = statSync(file).mtimeMs;
    }
  }
  return files;
}

describe('npm run schemas', () => {
  it('has --help that says where the upstream files come from and what it writes', () => {
    const help = runScript('schemas', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run schemas');
    expect(help.stdout).toContain('validation/schemas/');
    expect(help.stdout).toContain('manifests/imports/');
  });

  it('names the missing upstream file and the fix in one sentence, writing nothing', () => {
    const before = generatedFiles();
    const run = runScript('schemas', [], { env: { SCHEMA_DIR: join(work, 'no-schemas') } });
    expect(run.status).toBe(1);
    expect(generatedFiles()).toEqual(before);
    const first = readLock()[0]?.path ?? '';
    expect(run.stderr.trim()).toBe(
      `Schema ${first} is missing from ${join(work, 'no-schemas')}: run \`npm run schemas\` to download the pinned schemas, or set SCHEMA_DIR to a copy (CI: ../shared/schemas).`,
    );
  });

  it('refuses an upstream file whose git blob is not the pinned one', () => {
    const first = readLock()[0];
    if (first === undefined) throw new Error('empty lock');
    const dir = join(work, 'altered');
    mkdirSync(join(dir, dirname(first.path)), { recursive: true });
    writeFileSync(join(dir, first.path), 'kind: CustomResourceDefinition\n');
    const run = runScript('schemas', ['--check'], { env: { SCHEMA_DIR: dir } });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      new RegExp(
        `^Schema .*${first.path.replace(/\./g, '\\.')} has git blob [0-9a-f]{40}, but schemas.lock.json pins ${first.blob}: `,
      ),
    );
  });
});

describe('npm run synth with invalid output', () => {
  it('writes nothing and names the finding', () => {
    const out = join(work, 'dist');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'marker.txt'), 'previous dist\n');
    const platform = load(
      readFileSync(join(ROOT, 'test', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8'),
    ) as {
      environments: { nodePools: { instanceTypes: string[] }[] }[];
    };
    // Config validation cannot know instance facts; the validator's catalog does.
    platform.environments[0]?.nodePools[0]?.instanceTypes.push('x9z.large');
    const config = join(work, 'platform.yaml');
    writeFileSync(config, dump(platform));
    // The fixture platform has its own environments: a repository without job files goes with it.
    const env = { EMR_EKS_GITOPS_ROOT: join(ROOT, 'test', 'pipeline', 'fixtures') };
    const run = runScript('synth', ['--config', config, '--out', out], { env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /NodePool\.[a-z-]+\.yaml: \$\.spec\.template\.spec\.requirements: cross\.instance-unknown: instance type x9z\.large/,
    );
    expect(run.stderr).toContain('validation finding(s)');
    expect(readdirSync(out)).toEqual(['marker.txt']);
  });

  it('leaves a dist/ synth made exactly as it was, and removes the tree it wrote meanwhile', () => {
    const parent = join(work, 'made');
    const out = join(parent, 'dist');
    mkdirSync(parent, { recursive: true });
    const fixtures = join(ROOT, 'test', 'pipeline', 'fixtures');
    const env = { EMR_EKS_GITOPS_ROOT: fixtures };
    const good = runScript('synth', ['--config', join(fixtures, 'platform.yaml'), '--out', out], { env });
    expect(good.status, good.stderr).toBe(0);
    const before = snapshot(out);
    const platform = load(readFileSync(join(fixtures, 'platform.yaml'), 'utf8')) as {
      environments: { nodePools: { instanceTypes: string[] }[] }[];
    };
    platform.environments[0]?.nodePools[0]?.instanceTypes.push('x9z.large');
    const config = join(work, 'platform-made.yaml');
    writeFileSync(config, dump(platform));
    const run = runScript('synth', ['--config', config, '--out', out], { env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cross\.instance-unknown: instance type x9z\.large/);
    expect(snapshot(out)).toEqual(before);
    // No staging tree and no lock are left beside it.
    expect(readdirSync(parent)).toEqual(['dist']);
  });
});

/** Every file under `dir` with its content and inode: a tree left as it was keeps both. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files.map((e) => {
      const file = join(e.parentPath, e.name);
      return [file, `${statSync(file).ino} ${readFileSync(file, 'utf8')}`];
    }),
  );
}
