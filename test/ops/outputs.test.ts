import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { contractFromTerraform, waitingFeatures } from '../../ops/outputs';
import { environment } from '../helpers/terraform';
import { runScript } from '../helpers/run';

const work = mkdtempSync(join(tmpdir(), 'outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = environment();
const terraformOutput = {
  cluster_name: { sensitive: false, type: 'string', value: 'emr-eks-karpenter' },
  fsx_file_system_id: { sensitive: false, type: 'string', value: 'fs-0123456789abcdef0' },
  fsx_dns_name: {
    sensitive: false,
    type: 'string',
    value: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com',
  },
  fsx_mount_name: { sensitive: false, type: 'string', value: 'abcdefgh' },
  fsx_subnet_id: { sensitive: false, type: 'string', value: 'subnet-0123456789abcdef0' },
  fsx_security_group_id: { sensitive: false, type: 'string', value: 'sg-0123456789abcdef0' },
  vpc_id: { sensitive: false, type: 'string', value: 'vpc-1' },
};

function problems(json: unknown): string {
  try {
    contractFromTerraform(env, json, 'out.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('outputs contract', () => {
  it('keeps the contract fields of terraform output -json', () => {
    expect(contractFromTerraform(env, terraformOutput, 'out.json')).toEqual({
      fsxFileSystemId: 'fs-0123456789abcdef0',
      fsxDnsName: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com',
      fsxMountName: 'abcdefgh',
      fsxSubnetId: 'subnet-0123456789abcdef0',
      fsxSecurityGroupId: 'sg-0123456789abcdef0',
    });
  });

  it('names mistyped fields by their Terraform output', () => {
    expect(
      problems({
        ...terraformOutput,
        fsx_file_system_id: { value: 'filesystem-1' },
        fsx_subnet_id: { value: 42 },
      }),
    ).toBe(
      [
        'Invalid config at out.json: fsx_file_system_id: "filesystem-1" must be an FSx filesystem id (fs-…).',
        'Invalid config at out.json: fsx_subnet_id: 42 must be a string.',
      ].join('\n'),
    );
  });

  it("refuses another cluster's outputs and non-objects", () => {
    expect(problems({ ...terraformOutput, cluster_name: { value: 'other' } })).toContain(
      'cluster_name: "other" is not environment default\'s cluster emr-eks-karpenter',
    );
    expect(problems([])).toContain('is not the JSON object `terraform output -json` prints');
  });

  it('reports which enabled features still wait for outputs', () => {
    const fsx = {
      ...env,
      storage: {
        ...env.storage,
        fsx: { static: { ...env.storage.fsx.static, enabled: true }, dynamic: { enabled: true } },
      },
    };
    expect(waitingFeatures(fsx, {})).toEqual(['storage.fsx.static', 'storage.fsx.dynamic']);
    expect(waitingFeatures(fsx, contractFromTerraform(env, terraformOutput, 'x'))).toEqual([]);
    expect(waitingFeatures(env, {})).toEqual([]);
  });

  it('fails in one line from the command, writing nothing', () => {
    const file = join(work, 'bad.json');
    writeFileSync(file, JSON.stringify({ fsx_mount_name: { value: '' } }));
    const run = runScript('outputs', ['--env', 'default', '--from', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`Invalid config at ${file}: fsx_mount_name: "" must be at least 1 characters.\n`);
    expect(runScript('outputs', ['--env', 'nope', '--from', file]).stderr).toContain(
      '--env nope names no environment',
    );
    expect(runScript('outputs', ['--env', 'default']).stderr).toMatch(
      /^outputs: `terraform -chdir=dist\/default\/terraform\/base output -json` failed .*pass --from FILE\.\n$/,
    );
  });
});
