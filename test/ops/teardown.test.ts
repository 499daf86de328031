import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teardownPlan } from '../../ops/teardown';
import { environment } from '../helpers/terraform';
import { runScript } from '../helpers/run';

const bin = mkdtempSync(join(tmpdir(), 'teardown-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** Fake `aws` and `kubectl` on PATH that answer the identity checks and log every call. */
function fakeTools(account: string, tag = 'emr-eks-karpenter'): NodeJS.ProcessEnv {
  const log = join(bin, 'calls.log');
  writeFileSync(
    join(bin, 'aws'),
    [
      '#!/bin/sh',
      `echo "aws $*" >> ${log}`,
      'case "$*" in',
      `  *get-caller-identity*) echo ${account};;`,
      `  *describe-cluster*) echo '{"endpoint": "https://ABC.gr7.us-west-2.eks.amazonaws.com", "ca": "Q0E="}';;`,
      `  *get-bucket-tagging*) echo '{"TagSet": [{"Key": "emr-eks-gitops/cluster", "Value": "${tag}"}]}';;`,
      // One version per bucket until delete-objects removes it.
      `  *list-object-versions*) b=$(echo "$*" | sed 's/.*--bucket \\([^ ]*\\).*/\\1/'); if [ -f "${bin}/deleted-$b" ]; then echo '{}'; else echo '{"Versions": [{"Key": "logs/x", "VersionId": "v1"}]}'; fi;;`,
      `  *delete-objects*) b=$(echo "$*" | sed 's/.*--bucket \\([^ ]*\\).*/\\1/'); touch "${bin}/deleted-$b"; echo '{}';;`,
      'esac',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh\necho "kubectl $*" >> ${log}\nprintf 'https://ABC.gr7.us-west-2.eks.amazonaws.com\\tQ0E='\n`,
  );
  writeFileSync(join(bin, 'terraform'), `#!/bin/sh\necho "terraform $*" >> ${log}\n`);
  for (const tool of ['aws', 'kubectl', 'terraform']) chmodSync(join(bin, tool), 0o755);
  for (const file of readdirSync(bin).filter((f) => f.startsWith('deleted-'))) rmSync(join(bin, file));
  writeFileSync(log, '');
  return { PATH: `${bin}:${process.env.PATH ?? ''}` };
}

describe('teardown', () => {
  const env = environment();
  const plan = teardownPlan(env, ['base', 'teams', 'addons'], ['root', 'karpenter', 'team-emr-data-team-a']);
  const index = (pattern: RegExp) => plan.findIndex((step) => pattern.test(step.command.join(' ')));

  it('pauses Argo CD, removes jobs, then node pools, waits for NodeClaims, then destroys stacks in reverse', () => {
    const order = [
      index(/patch applications\.argoproj\.io root /),
      index(/patch applications\.argoproj\.io team-emr-data-team-a /),
      index(/emr-data-team-a annotate jobruns.*deletion-policy=delete/),
      index(/emr-data-team-a delete jobruns/),
      index(/emr-data-team-a delete virtualclusters/),
      index(/delete nodepools/),
      index(/delete ec2nodeclasses/),
      index(/wait --for=delete nodeclaims/),
      index(/terraform\/addons destroy/),
      index(/terraform\/teams destroy/),
      index(/terraform\/base destroy/),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(plan.at(-1)?.command.join(' ')).toBe('terraform -chdir=dist/default/terraform/base destroy');
  });

  const confirmed = ['--execute', '--yes=emr-eks-karpenter'];
  const bucketA = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
  const bucketB = 'emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2';

  it('empties each team bucket after the addons are destroyed and before the teams stack is', () => {
    const empties = plan.flatMap((step, i) =>
      step.emptyBucket === undefined ? [] : [[step.emptyBucket, i]],
    );
    expect(empties.map(([bucket]) => bucket)).toEqual([bucketA, bucketB]);
    for (const [, i] of empties) {
      expect(i).toBeGreaterThan(index(/terraform\/addons destroy/));
      expect(i).toBeLessThan(index(/terraform\/teams destroy/));
    }
    expect(plan.find((step) => step.emptyBucket === bucketA)?.command).toEqual([
      'npm',
      'run',
      'teardown',
      '--',
      '--env',
      'default',
      '--empty-bucket',
      bucketA,
      '--execute',
    ]);
  });

  it('empties the platform bucket before base, and nothing when forceDestroyBuckets is on', () => {
    const withFluentBit = { ...env, addons: { ...env.addons, fluentBit: true } };
    const steps = teardownPlan(withFluentBit, ['base', 'teams', 'addons'], []);
    const platform = steps.findIndex((s) => s.emptyBucket === 'emr-eks-karpenter-111122223333-us-west-2');
    expect(platform).toBeGreaterThan(
      steps.findIndex((s) => /terraform\/teams destroy/.test(s.command.join(' '))),
    );
    expect(platform).toBe(steps.length - 2);
    const forced = teardownPlan(
      { ...withFluentBit, forceDestroyBuckets: true },
      ['base', 'teams', 'addons'],
      [],
    );
    expect(forced.filter((s) => s.emptyBucket !== undefined)).toEqual([]);
  });

  it('passes --config on to the printed commands', () => {
    const steps = teardownPlan(env, ['base', 'teams', 'addons'], [], { configFile: 'platform.yaml' });
    expect(steps.find((s) => s.emptyBucket === bucketB)?.command).toContain('platform.yaml');
  });

  it('empties one bucket of the environment with --empty-bucket, after the identity checks', () => {
    const run = runScript('teardown', ['--env', 'default', '--empty-bucket', bucketA, ...confirmed], {
      env: fakeTools('111122223333'),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`teardown: bucket ${bucketA} is empty (1 versions deleted).`);
    const calls = readFileSync(join(bin, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls.findIndex((c) => c.includes('get-caller-identity'))).toBeLessThan(
      calls.findIndex((c) => c.includes('delete-objects')),
    );
  });

  it("refuses to empty a bucket that is not the environment's, or one tagged for another cluster", () => {
    const other = runScript('teardown', ['--env', 'default', '--empty-bucket', 'someone-elses-bucket'], {
      env: fakeTools('111122223333'),
    });
    expect(other.status).toBe(1);
    expect(other.stderr).toBe(
      `teardown: --empty-bucket someone-elses-bucket is not a bucket of default (its buckets: ${bucketA}, ${bucketB}).\n`,
    );
    const foreign = runScript('teardown', ['--env', 'default', '--empty-bucket', bucketA, ...confirmed], {
      env: fakeTools('111122223333', 'another-cluster'),
    });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toBe(
      `teardown: bucket ${bucketA} is tagged emr-eks-gitops/cluster=another-cluster, not emr-eks-karpenter; not emptied.\n`,
    );
    expect(readFileSync(join(bin, 'calls.log'), 'utf8')).not.toContain('delete-objects');
  });

  it('prints the plan by default and runs nothing', () => {
    const tools = fakeTools('111122223333');
    const run = runScript('teardown', ['--env', 'default'], { env: tools });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^1\. Pause Argo CD auto-sync of Application root$/m);
    expect(run.stdout).toContain('terraform -chdir=dist/default/terraform/base destroy');
  });

  it('refuses to execute against another account', () => {
    const run = runScript('teardown', ['--env', 'default', ...confirmed], { env: fakeTools('999999999999') });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'teardown: refusing to run: AWS credentials are for account 999999999999, but default is in 111122223333.\n',
    );
  });

  it('executes every step in order when the cluster matches', () => {
    const tools = fakeTools('111122223333');
    const run = runScript('teardown', ['--env', 'default', ...confirmed], { env: tools });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('teardown: default is gone.');
    const calls = readFileSync(join(bin, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls.slice(0, 3).map((c) => c.split(' ')[0])).toEqual(['aws', 'aws', 'kubectl']);
    const at = (pattern: RegExp) => calls.findIndex((c) => pattern.test(c));
    expect(at(/patch applications\.argoproj\.io root /)).toBeLessThan(at(/delete jobruns/));
    expect(at(/delete jobruns/)).toBeLessThan(at(/delete nodepools/));
    expect(at(/wait --for=delete nodeclaims/)).toBeLessThan(at(/terraform/));
    expect(at(/terraform\/addons destroy/)).toBeLessThan(
      at(new RegExp(`delete-objects --bucket ${bucketA}`)),
    );
    expect(at(new RegExp(`delete-objects --bucket ${bucketB}`))).toBeLessThan(at(/terraform\/teams destroy/));
    expect(run.stderr).not.toMatch(/npm run teardown/);
    expect(calls.at(-1)).toBe('terraform -chdir=dist/default/terraform/base destroy');
  });
});
