import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlatform, loadPlatform } from '../../config';
import { renderPlatform } from '../../pipeline/render';
import { diffTrees, type DiffReport } from '../../review/diff';
import { markdownReport } from '../../review/report';
import { treeAt } from '../../validation/sources';
import { runScript } from '../helpers/run';

type Tree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call --
   the cases edit rendered YAML and Terraform JSON trees in place. */

const repo = mkdtempSync(join(tmpdir(), 'diff-history-'));
const dist = join(repo, 'dist');
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

const KARPENTER = 'default/k8s/karpenter/_cluster';
const PROJECT = 'default/argocd/AppProject.team-emr-data-team-a.yaml';
const jobRun = (name: string, releaseLabel: string) => ({
  apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
  kind: 'JobRun',
  metadata: {
    name,
    namespace: 'emr-data-team-a',
    annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
  },
  spec: { name, releaseLabel },
});
const JOB_DIR = 'default/k8s/team-emr-data-team-a/emr-data-team-a';

function editYaml(path: string, change: (o: Tree) => void): void {
  const file = join(dist, path);
  const object = load(readFileSync(file, 'utf8')) as Tree;
  change(object);
  writeFileSync(file, dump(object));
}

function editTerraform(stack: string, change: (o: Tree) => void): void {
  const file = join(dist, 'default', 'terraform', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Tree;
  change(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

function write(path: string, object: unknown): void {
  mkdirSync(dirname(join(dist, path)), { recursive: true });
  writeFileSync(join(dist, path), dump(object));
}

/** Commits `change` on a branch from `base` and diffs base → branch through git. */
function caseBranch(name: string, change: () => void): DiffReport {
  git('checkout', '-q', '-B', name, 'base');
  change();
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', name);
  return diffTrees(treeAt(dist, 'base'), treeAt(dist, name));
}

beforeAll(() => {
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  for (const [path, content] of renderPlatform(loadPlatform(defaultPlatform)).files) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  }
  write(`${JOB_DIR}/JobRun.taxi-0000aaaa.yaml`, jobRun('taxi-0000aaaa', 'emr-7.12.0-latest'));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('tag', 'base');
});

const reasons = (report: DiffReport) => report.warnings.map((w) => `${w.subject}: ${w.reason}`);

describe('npm run diff', () => {
  it('shows no change for a pure re-render', () => {
    const report = caseBranch('rerender', () => {
      for (const [path, content] of renderPlatform(loadPlatform(defaultPlatform)).files)
        writeFileSync(join(dist, path), content);
    });
    expect(report.changes).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('shows a job rerun as exactly one JobRun replaced', () => {
    const report = caseBranch('rerun', () => {
      rmSync(join(dist, JOB_DIR, 'JobRun.taxi-0000aaaa.yaml'));
      write(`${JOB_DIR}/JobRun.taxi-1111bbbb.yaml`, jobRun('taxi-1111bbbb', 'emr-7.12.0-latest'));
    });
    expect(report.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'removed JobRun emr-data-team-a/taxi-0000aaaa',
      'added JobRun emr-data-team-a/taxi-1111bbbb',
    ]);
    expect(reasons(report)).toEqual([
      'JobRun emr-data-team-a/taxi-0000aaaa: JobRun replaced by emr-data-team-a/taxi-1111bbbb: the new run starts on sync; a running job keeps running in EMR (deletion policy retain); only the Kubernetes object goes',
    ]);
  });

  it.each([
    [
      'a JobRun edited in place',
      () =>
        editYaml(`${JOB_DIR}/JobRun.taxi-0000aaaa.yaml`, (o) => (o.spec.releaseLabel = 'emr-7.11.0-latest')),
      /JobRun spec edited in place/,
    ],
    [
      'a JobRun removed without retain',
      () => {
        editYaml(`${JOB_DIR}/JobRun.taxi-0000aaaa.yaml`, (o) => delete o.metadata.annotations);
        git('commit', '-q', '-am', 'no retain');
        git('tag', '-f', 'base');
        rmSync(join(dist, JOB_DIR, 'JobRun.taxi-0000aaaa.yaml'));
      },
      /JobRun removed: pruning it CANCELS the job/,
    ],
    [
      'a NodePool requirement change',
      () =>
        editYaml(`${KARPENTER}/NodePool.spark-compute-optimized.yaml`, (o) =>
          o.spec.template.spec.requirements[0].values.pop(),
        ),
      /nodes will be replaced \(drift\): spec\.template\.spec\.requirements/,
    ],
    [
      'a NodePool taint change',
      () =>
        editYaml(
          `${KARPENTER}/NodePool.spark-memory-optimized.yaml`,
          (o) => (o.spec.template.spec.taints[0].value = 'false'),
        ),
      /nodes will be replaced.*taints/,
    ],
    [
      'lowered NodePool limits',
      () => editYaml(`${KARPENTER}/NodePool.spark-memory-optimized.yaml`, (o) => (o.spec.limits.cpu = '100')),
      /spec\.limits\.cpu lowered 1000 → 100/,
    ],
    [
      'an EC2NodeClass AMI change',
      () =>
        editYaml(
          `${KARPENTER}/EC2NodeClass.spark-compute-optimized.yaml`,
          (o) => (o.spec.amiSelectorTerms = [{ alias: 'al2023@v20260101' }]),
        ),
      /nodes will be replaced.*amiSelectorTerms/,
    ],
    [
      'a removed NodePool',
      () => rmSync(join(dist, KARPENTER, 'NodePool.spark-memory-optimized.yaml')),
      /NodePool removed: Karpenter drains/,
    ],
    [
      'a Terraform resource removed',
      () =>
        editTerraform(
          'teams',
          (j) => delete j.resource.aws_cloudwatch_log_group['team-emr-data-team-b_log-group'],
        ),
      /aws_cloudwatch_log_group\.team-emr-data-team-b_log-group: Terraform will destroy/,
    ],
    [
      'a bucket rename',
      () =>
        editTerraform('teams', (j) => {
          const bucket = Object.values(j.resource.aws_s3_bucket as Tree)[0] as Tree;
          bucket.bucket = 'renamed-bucket';
        }),
      /Terraform will replace this resource.*bucket cannot change in place/,
    ],
    [
      'a VPC CIDR change',
      () =>
        editTerraform('base', (j) => {
          const vpc = Object.values(j.resource.aws_vpc as Tree)[0] as Tree;
          vpc.cidr_block = '10.9.0.0/16';
        }),
      /cidr_block cannot change in place/,
    ],
    [
      'an EKS version downgrade',
      () =>
        editTerraform('base', (j) => {
          const cluster = Object.values(j.resource.aws_eks_cluster as Tree)[0] as Tree;
          cluster.version = '1.33';
        }),
      /EKS cannot downgrade 1\.34 → 1\.33/,
    ],
    [
      'a widened AppProject',
      () =>
        editYaml(PROJECT, (o) =>
          o.spec.destinations.push({
            server: 'https://kubernetes.default.svc',
            namespace: 'emr-data-team-b',
          }),
        ),
      /AppProject permissions widened: spec\.destinations\[1\]/,
    ],
  ] as const)('warns about %s', (name, change, reason) => {
    const report = caseBranch(name.replace(/\W+/g, '-'), change);
    expect(reasons(report).join('\n')).toMatch(reason);
    git('tag', '-f', 'base', 'main');
  });

  it('prints a markdown PR comment and fails CI on destructive changes', () => {
    caseBranch('markdown', () => {
      rmSync(join(dist, JOB_DIR, 'JobRun.taxi-0000aaaa.yaml'));
      write(`${JOB_DIR}/JobRun.taxi-1111bbbb.yaml`, jobRun('taxi-1111bbbb', 'emr-7.12.0-latest'));
      editYaml(`${KARPENTER}/NodePool.spark-memory-optimized.yaml`, (o) => (o.spec.limits.cpu = '800'));
    });
    const run = runScript(
      'diff',
      ['--committed', '--base', 'base', '--markdown', '--fail-on', 'destructive'],
      { cwd: repo },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toMatchSnapshot();
    const plain = runScript('diff', ['--committed', '--base', 'base'], { cwd: repo });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain(
      '~ NodePool spark-memory-optimized\n      spec.limits.cpu: "1000" → "800"',
    );
    expect(markdownReport({ changes: [], warnings: [] }, 'a', 'b')).toContain('No changes');
  });

  it('refuses an unknown base or fail-on value in one line', () => {
    expect(runScript('diff', ['--committed', '--base', 'nope'], { cwd: repo }).stderr).toBe(
      'diff: --base nope is not a commit in this repository (try --base HEAD~1).\n',
    );
    expect(runScript('diff', ['--fail-on', 'everything'], { cwd: repo }).stderr).toContain(
      '--fail-on everything is not supported',
    );
  });
});
