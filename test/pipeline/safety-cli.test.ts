import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { renderPlatform } from '../../pipeline/render';
import { replaceDirectory } from '../../pipeline/write';
import { ROOT, runScriptAsync } from '../helpers/run';
import { seedPlatformInput } from '../fixtures';
import { platformModel } from '../helpers/model';

/** The table, through the real command: each case that used to destroy or mislead. */

const work = mkdtempSync(join(tmpdir(), 'safety-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function snapshot(dir: string): Record<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return Object.fromEntries(
    entries
      .map((e) => join(e.parentPath, e.name))
      .map((path) => [relative(dir, path), statSync(path).isFile() ? readFileSync(path, 'utf8') : 'dir']),
  );
}

describe('synth refuses a target it must not replace, at once and touching nothing', () => {
  it('the repository root and a source folder (devices and files: test/pipeline/safe-output.test.ts)', async () => {
    // A checkout of some project: synth run from inside it.
    const repo = join(work, 'checkout');
    for (const [path, content] of Object.entries({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'config/index.ts': 'export {};\n',
    })) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    }
    const before = snapshot(repo);
    const cases: [string, string][] = [
      [
        '.',
        '. holds .git (it is the root of a repository): synth replaces its output folder as a whole; pass a folder of its own, such as dist.',
      ],
      [
        'config',
        `config is a source folder of the repository ${repo} (it holds config/index.ts, which synth did not write): pass --out dist or a new folder.`,
      ],
    ];
    const runs = await Promise.all(
      cases.map(([out]) => runScriptAsync('synth', ['--out', out], { cwd: repo })),
    );
    runs.forEach((run, i) => {
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`${cases[i]?.[1]}\n`);
    });
    expect(snapshot(repo)).toEqual(before);
  });
});

describe("synth keeps Terraform's working files and runs one at a time", () => {
  const out = join(work, 'dist');
  const working: Record<string, string> = {
    'default/terraform/base/.terraform/terraform.tfstate': '{"backend":{"type":"local"}}\n',
    'default/terraform/base/.terraform/providers/registry.terraform.io/hashicorp/aws/6.0.0/linux_amd64/terraform-provider-aws_v6.0.0':
      'binary\n',
    'default/terraform/base/.terraform.lock.hcl':
      '# This file is maintained automatically by "terraform init".\n',
    'default/terraform/base/terraform.base.tfstate': '{"version":4,"serial":12}\n',
    'default/terraform/base/terraform.base.tfstate.backup': '{"version":4,"serial":11}\n',
    'default/terraform/teams/.terraform.lock.hcl': '# teams\n',
  };

  it('after terraform init and apply in the stack folders, two synths at once both succeed', async () => {
    // The first render in-process (a third synth process would only cost time).
    replaceDirectory(out, renderPlatform(platformModel(loadPlatform(seedPlatformInput()))).files);
    const rendered = snapshot(out);
    for (const [path, content] of Object.entries(working)) {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), content);
    }
    const stats = Object.fromEntries(Object.keys(working).map((path) => [path, statSync(join(out, path))]));
    const [first, second] = await Promise.all([
      runScriptAsync('synth', ['--out', out]),
      runScriptAsync('synth', ['--out', out]),
    ]);
    for (const run of [first, second]) {
      expect(run?.status, run?.stderr).toBe(0);
      expect(run?.stderr).not.toMatch(/ENOENT|EEXIST|\n\s+at /);
      expect(run?.stderr).toContain(
        `synth: kept Terraform's working files in ${out}/default/terraform/base: .terraform, .terraform.lock.hcl, terraform.base.tfstate, terraform.base.tfstate.backup`,
      );
      expect(run?.stderr).toContain(
        `synth: warning: ${out}/default/terraform/base/terraform.base.tfstate is local state in its old place`,
      );
    }
    // The output is complete (the render plus the working files), and nothing else is left.
    const after = snapshot(out);
    for (const [path, content] of Object.entries(working)) expect(after[path]).toBe(content);
    for (const [path, content] of Object.entries(rendered)) expect(after[path], path).toBe(content);
    expect(readdirSync(work).sort()).toEqual(['checkout', 'dist'].filter((n) => existsSync(join(work, n))));
    for (const [path, before] of Object.entries(stats)) {
      const now = statSync(join(out, path));
      expect([now.ino, now.mtimeMs, now.size], path).toEqual([before.ino, before.mtimeMs, before.size]);
    }
    // Local state of this layout lives beside dist/, never inside it.
    const base = JSON.parse(readFileSync(join(out, 'default/terraform/base/cdk.tf.json'), 'utf8')) as {
      terraform: { backend: { local: { path: string; workspace_dir: string } } };
    };
    expect(base.terraform.backend.local).toEqual({
      path: '../../../../terraform-state/default/base.tfstate',
      workspace_dir: '../../../../terraform-state/default/base.tfstate.d',
    });
  });

  it('.gitignore ignores local state and .terraform/, and not the provider lock file', () => {
    const ignored = (path: string) =>
      spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: ROOT }).status === 0;
    expect(ignored('terraform-state/default/base.tfstate')).toBe(true);
    expect(ignored('dist/default/terraform/base/terraform.base.tfstate')).toBe(true);
    expect(ignored('dist/default/terraform/base/terraform.base.tfstate.backup')).toBe(true);
    expect(ignored('dist/default/terraform/base/.terraform/providers/p')).toBe(true);
    expect(ignored('dist/.dist.lock')).toBe(true);
    expect(ignored('.dist-new-123/default/README.md')).toBe(true);
    expect(ignored('dist/default/terraform/base/.terraform.lock.hcl')).toBe(false);
    expect(ignored('dist/.emr-eks-gitops')).toBe(false);
  });
});
