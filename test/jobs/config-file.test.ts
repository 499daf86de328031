import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../helpers/run';

/** Job files with `--config FILE`: the repository's files, checked against that platform. */

const work = mkdtempSync(join(tmpdir(), 'jobs-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixture = join(ROOT, 'test', 'pipeline', 'fixtures', 'platform.yaml');

describe('job files with --config FILE', () => {
  it('render into the environments of that platform that have the team (or that the file lists)', () => {
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'jobs', 'emr-data-team-a'), { recursive: true });
    writeFileSync(
      join(repo, 'jobs', 'emr-data-team-a', 'report.yaml'),
      [
        '# yaml-language-server: $schema=../job.schema.json',
        'name: report',
        'environments: [dev]',
        'script: local:///usr/lib/spark/examples/src/main/python/pi.py',
        'nodePool: spark-compute',
        'storage: nvme',
        '',
      ].join('\n'),
    );
    const out = join(work, 'dist');
    const result = runScript('synth', ['--config', fixture, '--out', out, '--quiet'], {
      env: { EMR_EKS_GITOPS_ROOT: repo },
    });
    expect(result.status, result.stderr).toBe(0);
    const team = join(out, 'dev', 'k8s', 'team-emr-data-team-a', 'emr-data-team-a');
    expect(readdirSync(team).filter((file) => file.startsWith('JobRun.'))).toEqual([
      expect.stringMatching(/^JobRun\.report-[0-9a-f]{8}\.yaml$/),
    ]);
    expect(readdirSync(join(out, 'prod', 'k8s')).filter((app) => app.includes('emr-data-team-a'))).toEqual(
      [],
    );
  });

  it("stop at the seed's job files, which name an environment that platform does not have", () => {
    const out = join(work, 'refused');
    const result = runScript('synth', ['--config', fixture, '--out', out]);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe(
      'jobs/emr-data-team-a/delta-create.yaml:7:16: environments[0]: "default" names no environment of the platform (environments: dev, prod).',
    );
    for (const line of lines) {
      expect(line).toMatch(
        /^jobs\/emr-data-team-a\/[a-z-]+\.yaml:\d+:16: environments\[0\]: "default" names no/,
      );
    }
    expect(existsSync(out)).toBe(false);
  });
});
