import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentStacks } from '../../cdktf/app';
import { App } from '../../cdktf/framework';
import { LOCAL_STATE_ROOT_CONTEXT } from '../../cdktf/stacks/platform-stack';
import { loadPlatform } from '../../config/load';
import { heldStateLock, isTerraformWorkingFile, stackFolderOf } from '../../pipeline/terraform-files';
import { stackToJson } from '../../pipeline/terraform';
import { seedPlatformInput } from '../fixtures';
import { environmentModel } from '../helpers/model';

const work = mkdtempSync(join(tmpdir(), 'terraform-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function backends(context: Record<string, string> = {}): unknown[] {
  const app = new App({ outdir: work, skipValidation: true, context });
  const env = loadPlatform(seedPlatformInput()).environments[0];
  if (env === undefined) throw new Error('no environment');
  return environmentStacks(app, environmentModel(env)).map(
    (stack) => (stackToJson(stack) as { terraform: { backend: unknown } }).terraform.backend,
  );
}

describe("Terraform's working files", () => {
  it.each([
    ['.terraform', true],
    ['.terraform.lock.hcl', true],
    ['terraform.base.tfstate', true],
    ['terraform.base.tfstate.backup', true],
    ['terraform.tfstate.1700000000.backup', true],
    ['.terraform.base.tfstate.lock.info', true],
    ['terraform.tfstate.d', true],
    ['cdk.tf.json', false],
    ['crash.log', false],
    ['tfstate-notes.md', false],
  ])('%s is one: %s', (name, expected) => {
    expect(isTerraformWorkingFile(name)).toBe(expected);
  });

  it('finds stack folders by their cdk.tf.json', () => {
    expect(stackFolderOf('default/terraform/base/cdk.tf.json')).toBe('default/terraform/base');
    expect(stackFolderOf('default/k8s/app/ns/ConfigMap.a.yaml')).toBeUndefined();
  });

  it('sees a running Terraform by the lock info beside the state the backend names', () => {
    const stack = join(work, 'out', 'dev', 'terraform', 'base');
    mkdirSync(stack, { recursive: true });
    const json = JSON.stringify({
      terraform: { backend: { local: { path: '../../../../state/dev/base.tfstate' } } },
    });
    expect(heldStateLock(stack, json)).toBeUndefined();
    mkdirSync(join(work, 'state', 'dev'), { recursive: true });
    writeFileSync(join(work, 'state', 'dev', '.base.tfstate.lock.info'), '{}');
    expect(heldStateLock(stack, json)).toBe(join(work, 'state', 'dev', '.base.tfstate.lock.info'));
    // An S3 backend locks remotely; only a lock left in the folder itself counts.
    const s3 = JSON.stringify({ terraform: { backend: { s3: { bucket: 'b' } } } });
    expect(heldStateLock(stack, s3)).toBeUndefined();
    writeFileSync(join(stack, '.terraform.tfstate.lock.info'), '{}');
    expect(heldStateLock(stack, s3)).toBe(join(stack, '.terraform.tfstate.lock.info'));
  });
});

describe('where local state lives', () => {
  it('beside the output folder, in terraform-state/<env>/<stack>.tfstate, never inside it', () => {
    expect(backends()).toEqual(
      ['base', 'teams', 'addons'].map((stack) => ({
        local: {
          path: `../../../../terraform-state/default/${stack}.tfstate`,
          workspace_dir: `../../../../terraform-state/default/${stack}.tfstate.d`,
        },
      })),
    );
  });

  it('at the same files from the CDKTF CLI layout (cdktf.out/stacks/<stack>), as scripts/cdktf-app.ts sets', () => {
    const [base] = backends({ [LOCAL_STATE_ROOT_CONTEXT]: '../../..' });
    expect(base).toEqual({
      local: {
        path: '../../../terraform-state/default/base.tfstate',
        workspace_dir: '../../../terraform-state/default/base.tfstate.d',
      },
    });
  });
});
