import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { SEED_ROOT, seedPlatformInput } from '../fixtures';
import { runScript } from '../helpers/run';

/**
 * FSx turned on in a new environment, end to end as a platform engineer does it: synth before
 * any `terraform apply` renders the FSx filesystem and everything else, and says what waits;
 * `npm run outputs` records the base stack's outputs; the next synth renders the cluster side.
 */
const repo = mkdtempSync(join(tmpdir(), 'two-phase-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('FSx turned on in a new environment', () => {
  cpSync(join(SEED_ROOT, 'jobs'), join(repo, 'jobs'), { recursive: true });
  const platform = seedPlatformInput();
  const env = platform.environments[0]!;
  env.storage = { fsx: { static: { enabled: true }, dynamic: { enabled: true } } };
  env.addons = { ...env.addons, fsxCsiDriver: true };
  const config = join(repo, 'platform.yaml');
  writeFileSync(config, stringify(platform));
  const options = { cwd: repo, env: { EMR_EKS_GITOPS_ROOT: repo } };
  const team = join(repo, 'dist', 'default', 'k8s', 'team-emr-data-team-a', 'emr-data-team-a');

  it('synthesizes before any terraform apply, naming what waits and the command to run', () => {
    const run = runScript('synth', ['--config', config, '--quiet'], options);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'synth: waiting: default: storage.fsx.static waits for Terraform outputs (fsxFileSystemId, fsxDnsName, fsxMountName)',
    );
    expect(run.stderr).toContain('run `npm run outputs -- --env default`, then `npm run synth`.');
    expect(readdirSync(team).filter((f) => f.startsWith('PersistentVolumeClaim.fsx'))).toEqual([]);
  });

  it('renders the in-cluster side once npm run outputs has recorded the outputs', () => {
    const output = (value: string) => ({ sensitive: false, type: 'string', value });
    const terraform = join(repo, 'terraform-output.json');
    writeFileSync(
      terraform,
      JSON.stringify({
        cluster_name: output('emr-eks-karpenter'),
        fsx_file_system_id: output('fs-0123456789abcdef0'),
        fsx_dns_name: output('fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com'),
        fsx_mount_name: output('abcdefgh'),
        fsx_subnet_id: output('subnet-0123456789abcdef0'),
        fsx_security_group_id: output('sg-0123456789abcdef0'),
      }),
    );
    const outputs = runScript(
      'outputs',
      ['--env', 'default', '--from', terraform, '--config', config],
      options,
    );
    expect(outputs.status, outputs.stderr).toBe(0);
    expect(outputs.stdout).toContain('nothing is waiting for outputs');
    const run = runScript('synth', ['--config', config, '--quiet'], options);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('waiting');
    expect(
      readdirSync(team)
        .filter((f) => f.startsWith('PersistentVolumeClaim.fsx'))
        .sort(),
    ).toEqual(['PersistentVolumeClaim.fsx-dynamic-pvc.yaml', 'PersistentVolumeClaim.fsx-static-pvc.yaml']);
  });
});
