import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJobFiles } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import { placeJobFindings } from '../../pipeline/job-findings';
import { renderPlatform } from '../../pipeline/render';
import { validateRender } from '../../pipeline/validate-render';
import { SEED_ROOT, seedPlatformInput } from '../fixtures';
import { platformModel } from '../helpers/model';

const root = mkdtempSync(join(tmpdir(), 'job-findings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a finding on a JobRun', () => {
  cpSync(join(SEED_ROOT, 'jobs'), join(root, 'jobs'), { recursive: true });
  writeFileSync(
    join(root, 'jobs', 'emr-data-team-a', 'big.yaml'),
    [
      '# yaml-language-server: $schema=../job.schema.json',
      'name: big',
      'script: jobs/emr-data-team-a/taxi-trip.py',
      'nodePool: spark-compute-optimized',
      'driver: { cores: 1, memory: 4g }',
      'executor:',
      '  cores: 34',
      '  memory: 200g',
      '  instances: 2',
      '',
    ].join('\n'),
  );
  const jobFiles = readJobFiles(root);
  const result = renderPlatform(platformModel(loadPlatform(seedPlatformInput(), jobFiles)));
  const { findings } = validateRender(result.files, 'dist', result.objects);
  const placed = placeJobFindings(findings, result.objects, jobFiles, 'dist');

  it('points at the job file and the line of the field, in cores and GiB, with the fix', () => {
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({
      file: 'jobs/emr-data-team-a/big.yaml:7:3',
      path: 'executor',
      rule: 'cross.fit',
    });
    expect(placed[0]?.message).toMatch(
      /^each executor pod of JobRun emr-data-team-a\/big-[0-9a-f]{8} needs 34\.1 cores and 280\.\d GiB .*the largest, c5d\.9xlarge offers 35\.6 cores and 63\.3 GiB after kubelet reserve, eviction threshold and DaemonSets; use spark-memory-optimized, or ask for fewer cores or less memory \(rendered as dist\/default\/k8s\/team-emr-data-team-a\/emr-data-team-a\/JobRun\.big-[0-9a-f]{8}\.yaml\)$/,
    );
  });

  it('leaves findings on other objects as they are', () => {
    const other = {
      file: 'dist/default/k8s/karpenter/_cluster/NodePool.x.yaml',
      path: '$',
      rule: 'r',
      message: 'm',
    };
    expect(placeJobFindings([other], result.objects, jobFiles, 'dist')).toEqual([other]);
  });
});
