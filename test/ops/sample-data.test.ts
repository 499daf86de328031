import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run';

const bin = mkdtempSync(join(tmpdir(), 'sample-data-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('npm run sample-data', () => {
  it('prints every step on a dry run and runs nothing', () => {
    const run = runScript('sample-data', ['--env', 'default', '--dry-run']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      '1/11 Download one month of NYC taxi trips: curl -fsSL -o nyc-taxi/yellow_tripdata_2022-01.parquet https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2022-01.parquet',
    );
    expect(lines[10]).toBe(
      '11/11 Copy 10/10 to emr-data-team-a: aws s3 cp --region us-west-2 --only-show-errors nyc-taxi/yellow_tripdata_2022-01.parquet s3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/data/nyc-taxi/input/yellow_tripdata_2022-9.parquet',
    );
    expect(lines.at(-1)).toBe('dry run: nothing was downloaded or copied.');
  });

  it('runs the steps in order and stops at the first failure', () => {
    const log = join(bin, 'calls.log');
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\necho "curl $*" >> ${log}\n`);
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\necho "aws $*" >> ${log}\ncase "$*" in *2022-3.parquet) exit 1;; esac\n`,
    );
    chmodSync(join(bin, 'curl'), 0o755);
    chmodSync(join(bin, 'aws'), 0o755);
    const run = runScript('sample-data', ['--env', 'default'], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('sample-data: step 5 failed (exit 1); nothing after it ran.\n');
    expect(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(['curl', 'aws', 'aws', 'aws', 'aws']);
  });
});
