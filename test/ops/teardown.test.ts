import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teardownPlan } from '../../ops/teardown';
import { environment } from '../helpers/terraform';
import { runScript } from '../helpers/run';

const bin = mkdtempSync(join(tmpdir(), 'teardown-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** Fake `aws` and `kubectl` on PATH that answer the identity checks and log every call. */
function fakeTools(account: string): NodeJS.ProcessEnv {
  const log = join(bin, 'calls.log');
  writeFileSync(
    join(bin, 'aws'),
    `#!/bin/sh\necho "aws $*" >> ${log}\ncase "$*" in *get-caller-identity*) echo ${account};; *describe-cluster*) echo https://ABC.gr7.us-west-2.eks.amazonaws.com;; esac\n`,
  );
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh\necho "kubectl $*" >> ${log}\necho https://ABC.gr7.us-west-2.eks.amazonaws.com\n`,
  );
  writeFileSync(join(bin, 'terraform'), `#!/bin/sh\necho "terraform $*" >> ${log}\n`);
  for (const tool of ['aws', 'kubectl', 'terraform']) chmodSync(join(bin, tool), 0o755);
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

  it('prints the plan by default and runs nothing', () => {
    const tools = fakeTools('111122223333');
    const run = runScript('teardown', ['--env', 'default'], { env: tools });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^1\. Pause Argo CD auto-sync of Application root$/m);
    expect(run.stdout).toContain('terraform -chdir=dist/default/terraform/base destroy');
  });

  it('refuses to execute against another account', () => {
    const run = runScript('teardown', ['--env', 'default', '--execute'], { env: fakeTools('999999999999') });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'teardown: refusing to run: AWS credentials are for account 999999999999, but default is in 111122223333.\n',
    );
  });

  it('executes every step in order when the cluster matches', () => {
    const tools = fakeTools('111122223333');
    const run = runScript('teardown', ['--env', 'default', '--execute'], { env: tools });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('teardown: default is gone.');
    const calls = readFileSync(join(bin, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls.slice(0, 3).map((c) => c.split(' ')[0])).toEqual(['aws', 'aws', 'kubectl']);
    const at = (pattern: RegExp) => calls.findIndex((c) => pattern.test(c));
    expect(at(/patch applications\.argoproj\.io root /)).toBeLessThan(at(/delete jobruns/));
    expect(at(/delete jobruns/)).toBeLessThan(at(/delete nodepools/));
    expect(at(/wait --for=delete nodeclaims/)).toBeLessThan(at(/terraform/));
    expect(calls.at(-1)).toBe('terraform -chdir=dist/default/terraform/base destroy');
  });
});
