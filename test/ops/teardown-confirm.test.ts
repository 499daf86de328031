import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusal } from '../../ops/confirm';
import { BIN, ROOT, runScript } from '../helpers/run';

/** The fixture's `dev` environment: cluster spark-dev in eu-west-1, account 111122223333. */
const CONFIG = ['--config', 'test/pipeline/fixtures/platform.yaml', '--env', 'dev'];
const ENDPOINT = 'https://D1E2V3.gr7.eu-west-1.eks.amazonaws.com';
const bucketA = 'spark-dev-emr-data-team-a-111122223333-eu-west-1';
const bucketB = 'spark-dev-emr-data-team-b-111122223333-eu-west-1';

const work = mkdtempSync(join(tmpdir(), 'teardown-confirm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Tools {
  readonly env: NodeJS.ProcessEnv;
  /** Every command the fake tools were asked to run, in order. */
  readonly calls: () => string[];
}

/**
 * Fake `aws`, `kubectl` and `terraform` on PATH: the account and cluster of the fixture, and a
 * kubectl context named spark-dev whose server and CA data are `context`'s.
 */
function fakeTools(name: string, context: { server: string; ca: string }): Tools {
  const bin = join(work, name);
  const log = join(bin, 'calls.log');
  rmSync(bin, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', bin]);
  const tool = (file: string, body: string[]) => {
    writeFileSync(join(bin, file), ['#!/bin/sh', `echo "${file} $*" >> ${log}`, ...body, ''].join('\n'));
    chmodSync(join(bin, file), 0o755);
  };
  tool('aws', [
    'case "$*" in',
    '  *get-caller-identity*) echo 111122223333;;',
    `  *describe-cluster*) echo '{"endpoint": "${ENDPOINT}", "ca": "Q0EtZGV2"}';;`,
    `  *get-bucket-tagging*) echo '{"TagSet": [{"Key": "emr-eks-gitops/cluster", "Value": "spark-dev"}]}';;`,
    `  *list-object-versions*) if [ -f ${bin}/emptied ]; then echo '{}'; else echo '{"Versions": [{"Key": "x", "VersionId": "v1"}]}'; fi;;`,
    `  *delete-objects*) touch ${bin}/emptied; echo '{}';;`,
    'esac',
  ]);
  tool('kubectl', [`printf '%s\\t%s' '${context.server}' '${context.ca}'`]);
  tool('terraform', []);
  writeFileSync(log, '');
  return {
    // A root without jobs/: the fixture platform is loaded alone, not with this repository's job files.
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, EMR_EKS_GITOPS_ROOT: work },
    calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean),
  };
}

const sameCluster = { server: ENDPOINT, ca: 'Q0EtZGV2' };
/** Anything that changes the cluster, the stacks or a bucket. */
const destructive = /patch|delete|annotate|destroy|wait --for/;

describe('teardown --execute checks the kubectl context against the EKS cluster', () => {
  it('refuses a context that points at another cluster, changing nothing', () => {
    const tools = fakeTools('other-server', {
      server: 'https://OTHER.gr7.eu-west-1.eks.amazonaws.com',
      ca: 'Q0EtZGV2',
    });
    const run = runScript('teardown', [...CONFIG, '--execute', '--yes=spark-dev'], { env: tools.env });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `teardown: refusing to run: kubectl context spark-dev points at https://OTHER.gr7.eu-west-1.eks.amazonaws.com, not at cluster spark-dev (${ENDPOINT}); run: aws eks update-kubeconfig --name spark-dev --region eu-west-1 --alias spark-dev.\n`,
    );
    expect(tools.calls().filter((call) => destructive.test(call))).toEqual([]);
  });

  it('refuses a context with the same server but another certificate authority', () => {
    const tools = fakeTools('other-ca', { server: `${ENDPOINT}/`, ca: 'T1RIRVI=' });
    const run = runScript('teardown', [...CONFIG, '--execute', '--yes=spark-dev'], { env: tools.env });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'teardown: refusing to run: kubectl context spark-dev trusts another certificate authority than cluster spark-dev does; run: aws eks update-kubeconfig --name spark-dev --region eu-west-1 --alias spark-dev.\n',
    );
    expect(tools.calls().filter((call) => destructive.test(call))).toEqual([]);
  });
});

describe('teardown destroys nothing without --execute and a confirmation', () => {
  it('--empty-bucket alone says what it would do and calls nothing', () => {
    const tools = fakeTools('print-bucket', sameCluster);
    const run = runScript('teardown', [...CONFIG, '--empty-bucket', bucketA], { env: tools.env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      `Would empty bucket ${bucketA} of cluster spark-dev in AWS account 111122223333: every object version and delete marker (that data is gone for good).\n` +
        `Nothing was changed; run it with: npm run teardown -- --env dev --config test/pipeline/fixtures/platform.yaml --empty-bucket ${bucketA} --execute\n`,
    );
    expect(tools.calls()).toEqual([]);
  });

  it('refuses --execute without a terminal or --yes, before any step (no bucket emptied first)', () => {
    const tools = fakeTools('no-tty', sameCluster);
    for (const args of [['--execute'], ['--empty-bucket', bucketB, '--execute']]) {
      const run = runScript('teardown', [...CONFIG, ...args], { env: tools.env });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        'teardown: refusing to run: stdin is not a terminal, so nobody can confirm: run it in a terminal, or pass --yes=spark-dev (the cluster name) to confirm from a script.\n',
      );
    }
    expect(tools.calls()).toEqual([]);
  });

  it('refuses a --yes that does not name the cluster, and --yes without --execute', () => {
    const tools = fakeTools('wrong-yes', sameCluster);
    const wrong = runScript('teardown', [...CONFIG, '--execute', '--yes=spark-prod'], { env: tools.env });
    expect(wrong.stderr).toBe(
      'teardown: not confirmed, nothing was changed: --yes=spark-prod does not name the cluster, spark-dev.\n',
    );
    const alone = runScript('teardown', [...CONFIG, '--yes=spark-dev'], { env: tools.env });
    expect(alone.stderr).toBe(
      'teardown: --yes confirms --execute; add --execute, or leave out --yes to print the plan.\n',
    );
    expect(tools.calls().filter((call) => destructive.test(call))).toEqual([]);
  });

  it('runs every step once --yes names the cluster', () => {
    const tools = fakeTools('yes', sameCluster);
    const run = runScript('teardown', [...CONFIG, '--execute', '--yes=spark-dev'], { env: tools.env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('teardown: dev is gone.');
    expect(tools.calls().at(-1)).toBe('terraform -chdir=dist/dev/terraform/base destroy');
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('at a terminal, asks naming the account, the cluster and the buckets', () => {
    const tools = fakeTools('tty', sameCluster);
    /** Runs teardown on a pseudo-terminal (util-linux `script`), typing `answer`. */
    const typed = (answer: string) => {
      const command = [process.execPath, BIN, 'teardown', ...CONFIG, '--execute'].join(' ');
      return spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, ...tools.env },
        input: `${answer}\n`,
        encoding: 'utf8',
        timeout: 60_000,
      });
    };
    const wrong = typed('yes');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain(
      `teardown: this destroys environment dev in AWS account 111122223333: EKS cluster spark-dev (eu-west-1) with its jobs, virtual clusters and node pools, the Terraform stacks addons, teams, base, and the buckets ${bucketA}, ${bucketB} with every object version in them (that data is gone for good).`,
    );
    expect(wrong.stdout).toContain('Type the cluster name (spark-dev) to go on: ');
    expect(wrong.stdout).toContain(
      'teardown: not confirmed, nothing was changed: "yes" is not the cluster name, spark-dev.',
    );
    expect(tools.calls().filter((call) => destructive.test(call))).toEqual([]);
    const right = typed('spark-dev');
    expect(right.status, right.stdout).toBe(0);
    expect(right.stdout).toContain('teardown: dev is gone.');
  });
});

describe('refusal', () => {
  const confirmation = { what: 'this destroys X', answer: 'spark-dev' };
  it('accepts only the cluster name, typed or given with --yes', () => {
    const asked: string[] = [];
    const asker = (line: string | undefined) => ({
      interactive: true,
      prompt: (question: string) => (asked.push(question), line),
    });
    expect(refusal(confirmation, asker(' spark-dev '))).toBeUndefined();
    expect(refusal(confirmation, asker('y'))).toBe('"y" is not the cluster name, spark-dev');
    expect(refusal(confirmation, asker(undefined))).toBe('nothing was typed (end of input)');
    expect(asked[0]).toBe('this destroys X\nType the cluster name (spark-dev) to go on: ');
    expect(refusal(confirmation, { ...asker('no'), yes: 'spark-dev' })).toBeUndefined();
    expect(refusal(confirmation, { interactive: false, prompt: () => 'spark-dev' })).toMatch(
      /^stdin is not a terminal/,
    );
  });
});
