import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from '../../config/schema';
import { inClusterView, waitingNotice } from '../../config/two-phase';
import { renderPlatform } from '../../pipeline/render';
import { validateRender } from '../../pipeline/validate-render';
import { loadPlatform } from '../../config/load';
import { seedPlatformInput } from '../fixtures';
import { SAMPLE_OUTPUTS } from '../helpers/manifests';
import { platformModel } from '../helpers/model';

/** The seed with both FSx variants on, and team a's taxi job on each (the seed's FSx examples). */
function fsxPlatform(): { environments: EnvironmentInput[] } {
  const input = seedPlatformInput();
  const env = input.environments[0]!;
  env.storage = { fsx: { static: { enabled: true }, dynamic: { enabled: true } } };
  env.addons = { ...env.addons, fsxCsiDriver: true };
  env.teams[0]!.jobs = [
    { name: 'taxi-fsx-static', script: 'jobs/emr-data-team-a/taxi-trip.py', storage: 'fsx-static' },
    { name: 'taxi-fsx-dynamic', script: 'jobs/emr-data-team-a/taxi-trip.py', storage: 'fsx-dynamic' },
  ];
  return input;
}

describe('features that need Terraform outputs render in two phases', () => {
  const env = loadPlatform(fsxPlatform()).environments[0]!;

  it('before the outputs exist, the in-cluster side leaves them and their jobs out, naming the command', () => {
    const view = inClusterView(env, {});
    expect(view.waiting.map((w) => [w.feature, w.missing, w.jobs])).toEqual([
      [
        'storage.fsx.static',
        ['fsxFileSystemId', 'fsxDnsName', 'fsxMountName'],
        ['emr-data-team-a/taxi-fsx-static'],
      ],
      ['storage.fsx.dynamic', ['fsxSubnetId', 'fsxSecurityGroupId'], ['emr-data-team-a/taxi-fsx-dynamic']],
    ]);
    expect(view.env.storage.fsx.static.enabled).toBe(false);
    expect(view.env.storage.fsx.dynamic.enabled).toBe(false);
    expect(view.env.teams[0]!.jobs.map((j) => j.name)).not.toContain('taxi-fsx-static');
    expect(view.env.teams[0]!.jobs.length).toBe(env.teams[0]!.jobs.length - 2);
    expect(waitingNotice('default', view.waiting[0]!)).toBe(
      'default: storage.fsx.static waits for Terraform outputs (fsxFileSystemId, fsxDnsName, fsxMountName): the static FSx volume and claim of each team and the fsx-static pod templates and job(s) emr-data-team-a/taxi-fsx-static render once you apply dist/default/terraform/base and run `npm run outputs -- --env default`, then `npm run synth`.',
    );
  });

  it('once the outputs are recorded, nothing waits', () => {
    const view = inClusterView(env, SAMPLE_OUTPUTS);
    expect(view.waiting).toEqual([]);
    expect(view.env).toBe(env);
  });

  it('synth renders the FSx filesystem in Terraform at once, and the rest of the cluster side, valid', () => {
    const result = renderPlatform(platformModel(loadPlatform(fsxPlatform())));
    const base = result.files.get('default/terraform/base/cdk.tf.json') ?? '';
    expect(base).toContain('"aws_fsx_lustre_file_system"');
    const paths = [...result.files.keys()];
    expect(paths.filter((p) => /PersistentVolume\.|StorageClass\.fsx|JobRun\.taxi-fsx/.test(p))).toEqual([]);
    expect(paths.some((p) => p.includes('/JobRun.taxi-nvme-compute-'))).toBe(true);
    expect(result.notices).toHaveLength(2);
    expect(result.files.get('default/README.md')).toContain('## Waiting for Terraform outputs');
    expect(validateRender(result.files, 'dist', result.objects).findings).toEqual([]);
  });
});
