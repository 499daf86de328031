import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { renderPlatform } from '../../pipeline/render';
import { diffTrees, isDestructive, type DiffReport } from '../../review/diff';
import { markdownReport } from '../../review/markdown';
import { textReport } from '../../review/report';
import { treeAt } from '../../validation/sources';
import { runScript } from '../helpers/run';
import { seedPlatformInput } from '../fixtures';
import { platformModel } from '../helpers/model';

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
  for (const [path, content] of renderPlatform(platformModel(loadPlatform(seedPlatformInput()))).files) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  }
  write(`${JOB_DIR}/JobRun.taxi-0000aaaa.yaml`, jobRun('taxi-0000aaaa', 'emr-7.12.0-latest'));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('tag', 'base');
});

// The cases block on git and child processes; yield to the event loop between them so the
// test runner's messages are answered on a busy machine.
beforeEach(() => new Promise<void>((done) => setImmediate(done)));

const reasons = (report: DiffReport) => report.warnings.map((w) => `${w.subject}: ${w.reason}`);

describe('npm run diff', () => {
  it('shows no change for a pure re-render', () => {
    const report = caseBranch('rerender', () => {
      for (const [path, content] of renderPlatform(platformModel(loadPlatform(seedPlatformInput()))).files)
        writeFileSync(join(dist, path), content);
    });
    expect(report.changes).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('shows a job rerun as exactly one JobRun replaced, which runs again without failing the gate', () => {
    const report = caseBranch('rerun', () => {
      rmSync(join(dist, JOB_DIR, 'JobRun.taxi-0000aaaa.yaml'));
      write(`${JOB_DIR}/JobRun.taxi-1111bbbb.yaml`, jobRun('taxi-1111bbbb', 'emr-7.12.0-latest'));
    });
    expect(report.changes.map((c) => `${c.action} ${c.kind} ${c.previous} ${c.name}`)).toEqual([
      'replaced JobRun emr-data-team-a/taxi-0000aaaa emr-data-team-a/taxi-1111bbbb',
    ]);
    expect(report.changes[0]?.fields).toEqual([]);
    expect(reasons(report)).toEqual([
      'JobRun emr-data-team-a/taxi-0000aaaa → emr-data-team-a/taxi-1111bbbb: runs again: the new JobRun starts on sync; a run of the old one still going keeps running in EMR (deletion policy retain)',
    ]);
    expect(report.warnings.map((w) => w.severity)).toEqual(['rerun']);
    expect(isDestructive(report)).toBe(false);
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
      'an EKS upgrade that skips a minor version',
      () =>
        editTerraform('base', (j) => {
          const cluster = Object.values(j.resource.aws_eks_cluster as Tree)[0] as Tree;
          cluster.version = '1.36';
        }),
      /EKS upgrades one minor version at a time, so 1\.34 → 1\.36 fails at apply: upgrade to 1\.35 first/,
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
    // The lowered limit fails the gate; the job that runs again is listed as such.
    expect(run.stdout).toContain(
      '- ⚠️ `default` **NodePool spark-memory-optimized**: spec.limits.cpu lowered',
    );
    expect(run.stdout).toContain(
      '- 🔁 `default` **JobRun emr-data-team-a/taxi-0000aaaa → emr-data-team-a/taxi-1111bbbb**: runs again',
    );
    expect(run.stdout).toContain('**2 warnings (1 destructive, 1 runs again)**.');
    const plain = runScript('diff', ['--committed', '--base', 'base'], { cwd: repo });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain(
      '~ NodePool spark-memory-optimized\n      spec.limits.cpu: "1000" → "800"',
    );
    expect(markdownReport({ changes: [], warnings: [], apply: [] }, 'a', 'b')).toContain('No changes');
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

/** The change and warning lines the terminal report prints (the summary table aside). */
function printed(report: DiffReport): string[] {
  const lines = textReport(report, 'base', 'head').split('\n');
  const table = lines.findIndex((line) => line.startsWith('env '));
  return lines.slice(2, table).filter((line) => line !== '');
}

const ADDONS = 'addons';
const values = (release: Tree): Tree => JSON.parse((release.values as string[])[0] ?? '{}') as Tree;
const setValues = (release: Tree, next: Tree) => (release.values = [JSON.stringify(next)]);
const policyOf = (text: string): Tree => JSON.parse(text) as Tree;
/** The statement of a policy document with this Sid. */
const sid = (policy: Tree, name: string): Tree => {
  const found = (policy.Statement as Tree[]).find((statement) => statement.Sid === name);
  if (found === undefined) throw new Error(`no statement ${name}`);
  return found;
};

describe('npm run diff shows every change', () => {
  afterAll(() => git('checkout', '-q', 'main'));

  it('diffs Helm values as data: one retention change is one line', () => {
    const report = caseBranch('helm-retention', () =>
      editTerraform(ADDONS, (j) => {
        const release = j.resource.helm_release['kube-prometheus-stack'] as Tree;
        const next = values(release);
        next.prometheus.prometheusSpec.retention = '12h';
        setValues(release, next);
      }),
    );
    expect(printed(report)).toEqual([
      'default / terraform/addons',
      '  ~ helm_release.kube-prometheus-stack',
      '      values[0].prometheus.prometheusSpec.retention: "6h" → "12h"',
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('compares the terraform block: a provider pin bump re-plans the stack', () => {
    const report = caseBranch('provider-pin', () =>
      editTerraform('base', (j) => (j.terraform.required_providers.aws.version = '6.26.0')),
    );
    expect(printed(report)).toEqual([
      'default / terraform/base',
      '  ~ terraform',
      '      required_providers.aws.version: "6.25.0" → "6.26.0"',
      '1 warning:',
      '  ! default: terraform: provider aws 6.25.0 → 6.26.0: run terraform init -upgrade; Terraform re-plans every resource of this stack with the new provider (read its changelog first)',
    ]);
  });

  it('warns that a backend change moves state, and that provider settings re-plan everything', () => {
    const report = caseBranch('backend-and-provider', () =>
      editTerraform('teams', (j) => {
        j.terraform.backend = {
          s3: {
            bucket: 'state',
            key: 'default/teams.tfstate',
            region: 'us-west-2',
            encrypt: true,
            use_lockfile: true,
          },
        };
        j.provider.aws[0].region = 'us-east-1';
      }),
    );
    expect(printed(report)).toEqual([
      'default / terraform/teams',
      '  ~ terraform',
      '      backend.local.path: "../../../../terraform-state/default/teams.tfstate" → (absent)',
      '      backend.local.workspace_dir: "../../../../terraform-state/default/teams.tfstate.d" → (absent)',
      '      backend.s3.bucket: (absent) → "state"',
      '      backend.s3.encrypt: (absent) → true',
      '      backend.s3.key: (absent) → "default/teams.tfstate"',
      '      backend.s3.region: (absent) → "us-west-2"',
      '      backend.s3.use_lockfile: (absent) → true',
      '  ~ provider.aws',
      '      region: "us-west-2" → "us-east-1"',
      '2 warnings:',
      '  ! default: terraform: state backend moves (local → s3): run terraform init -migrate-state before the next plan, or Terraform finds no state there and plans to create every resource again',
      '  ! default: provider.aws: provider configuration changed (region): Terraform re-plans every resource of this stack with it; a region or account change points the stack at other infrastructure',
    ]);
  });

  it('compares data sources, outputs, locals, moved and import blocks', () => {
    const report = caseBranch('other-blocks', () =>
      editTerraform('teams', (j) => {
        j.data.aws_eks_cluster.cluster.name = 'other-cluster';
        j.output.team_count = { value: 2, description: 'Teams' };
        j.locals.oidc_issuer_host = 'oidc.example.com';
        const groups = j.resource.aws_cloudwatch_log_group as Tree;
        groups['team-emr-data-team-b_logs'] = groups['team-emr-data-team-b_log-group'] as Tree;
        delete groups['team-emr-data-team-b_log-group'];
        j.moved = [
          {
            from: 'aws_cloudwatch_log_group.team-emr-data-team-b_log-group',
            to: 'aws_cloudwatch_log_group.team-emr-data-team-b_logs',
          },
        ];
        j.import = [{ to: 'aws_cloudwatch_log_group.team-emr-data-team-b_logs', id: '/emr/b' }];
      }),
    );
    expect(printed(report)).toEqual([
      'default / terraform/teams',
      '  - aws_cloudwatch_log_group.team-emr-data-team-b_log-group',
      '  + aws_cloudwatch_log_group.team-emr-data-team-b_logs',
      '  ~ data.aws_eks_cluster.cluster',
      '      name: "emr-eks-karpenter" → "other-cluster"',
      '  + import to aws_cloudwatch_log_group.team-emr-data-team-b_logs',
      '  ~ local.oidc_issuer_host',
      '      .: "${replace(data.aws_eks_cluster.cluster.identity[0].oidc[0].issuer, \\"https://\\", \\"\\")}" → "oidc.example.com"',
      '  + moved from aws_cloudwatch_log_group.team-emr-data-team-b_log-group',
      '  + output.team_count',
    ]);
    // The moved block keeps the log group: no destroy warning.
    expect(report.warnings).toEqual([]);
  });

  it('warns about a widened IAM policy with the statement Sid, not about a narrowed one', () => {
    const widened = caseBranch('iam-widened', () =>
      editTerraform('teams', (j) => {
        const role = j.resource.aws_iam_role_policy['team-emr-data-team-a_execution-policy'] as Tree;
        const policy = policyOf(role.policy as string);
        sid(policy, 'TeamObjects').Action.push('s3:PutObjectAcl');
        sid(policy, 'FindLogGroups').Resource = '*';
        role.policy = JSON.stringify(policy);
      }),
    );
    expect(printed(widened)).toEqual([
      'default / terraform/teams',
      '  ~ aws_iam_role_policy.team-emr-data-team-a_execution-policy',
      '      policy.Statement[Sid=TeamObjects].Action[5]: (absent) → "s3:PutObjectAcl"',
      '      policy.Statement[Sid=FindLogGroups].Resource: "arn:aws:logs:us-west-2:111122223333:log-group:*" → "*"',
      '2 warnings:',
      '  ! default: aws_iam_role_policy.team-emr-data-team-a_execution-policy: IAM policy widened (policy): Sid TeamObjects: new action s3:PutObjectAcl',
      '  ! default: aws_iam_role_policy.team-emr-data-team-a_execution-policy: IAM policy widened (policy): Sid FindLogGroups: new resource * (wildcard)',
    ]);
    const narrowed = caseBranch('iam-narrowed', () =>
      editTerraform('teams', (j) => {
        const role = j.resource.aws_iam_role_policy['team-emr-data-team-a_execution-policy'] as Tree;
        const policy = policyOf(role.policy as string);
        sid(policy, 'TeamObjects').Action.pop();
        role.policy = JSON.stringify(policy);
      }),
    );
    expect(printed(narrowed)).toEqual([
      'default / terraform/teams',
      '  ~ aws_iam_role_policy.team-emr-data-team-a_execution-policy',
      '      policy.Statement[Sid=TeamObjects].Action[4]: "s3:ListMultipartUploadParts" → (absent)',
    ]);
  });

  it('warns about a trust policy open to more principals and a new policy on an existing role', () => {
    const report = caseBranch('iam-trust', () =>
      editTerraform('teams', (j) => {
        const role = j.resource.aws_iam_role['team-emr-data-team-b_execution-role'] as Tree;
        const trust = policyOf(role.assume_role_policy as string);
        delete trust.Statement[0].Condition.StringLike;
        role.assume_role_policy = JSON.stringify(trust);
        j.resource.aws_iam_role_policy['team-emr-data-team-b_extra'] = {
          name: 'extra',
          role: '${aws_iam_role.team-emr-data-team-b_execution-role.name}',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          }),
        };
      }),
    );
    expect(report.warnings.map((w) => `${w.subject}: ${w.reason}`)).toEqual([
      'aws_iam_role.team-emr-data-team-b_execution-role: IAM policy widened (assume_role_policy): Sid AssumeByTeamServiceAccount: condition StringLike ${local.oidc_issuer_host}:sub removed',
      'aws_iam_role_policy.team-emr-data-team-b_extra: new inline policy on existing role aws_iam_role.team-emr-data-team-b_execution-role: Sid Everything: new Allow statement (actions s3:* on *, with a wildcard)',
    ]);
  });

  it('matches list items by identity: a requirement inserted at the top is one added item', () => {
    const report = caseBranch('requirement-insert', () =>
      editYaml(`${KARPENTER}/NodePool.spark-compute-optimized.yaml`, (o) =>
        o.spec.template.spec.requirements.unshift({
          key: 'karpenter.k8s.aws/instance-generation',
          operator: 'Gt',
          values: ['5'],
        }),
      ),
    );
    expect(printed(report)).toEqual([
      'default / karpenter',
      '  ~ NodePool spark-compute-optimized',
      '      spec.template.spec.requirements[key=karpenter.k8s.aws/instance-generation]: (absent) → {"key":"karpenter.k8s.aws/instance-generation","operator":"Gt","values":["5"]}',
      '1 warning:',
      '  ! default: NodePool spark-compute-optimized: nodes will be replaced (drift): spec.template.spec.requirements[key=karpenter.k8s.aws/instance-generation] changed',
    ]);
  });

  it('diffs ConfigMap documents (queues.yaml, pod templates) and JobRun configurationOverrides as data', () => {
    let run = '';
    const report = caseBranch('embedded-k8s', () => {
      editYaml('default/k8s/yunikorn/yunikorn/ConfigMap.yunikorn-configs.yaml', (o) => {
        o.data['queues.yaml'] = (o.data['queues.yaml'] as string).replace('vcore: "1200"', 'vcore: "1400"');
      });
      editYaml(`${JOB_DIR}/ConfigMap.spark-pod-templates.yaml`, (o) => {
        const key = 'spark-compute-optimized-ebs-driver.yaml';
        const template = load(o.data[key] as string) as Tree;
        template.spec.containers.unshift({ name: 'sidecar', image: 'busybox:1.37' });
        o.data[key] = dump(template);
      });
      const job = readdirSync(join(dist, JOB_DIR)).find((file) => file.startsWith('JobRun.sample-pi-')) ?? '';
      run = job.replace(/^JobRun\.|\.yaml$/g, '');
      editYaml(`${JOB_DIR}/${job}`, (o) => {
        const overrides = JSON.parse(o.spec.configurationOverrides as string) as Tree;
        overrides.monitoringConfiguration.persistentAppUI = 'DISABLED';
        o.spec.configurationOverrides = JSON.stringify(overrides, null, 2);
      });
    });
    expect(printed(report)).toEqual([
      'default / team-emr-data-team-a',
      '  ~ ConfigMap emr-data-team-a/spark-pod-templates',
      `      data['spark-compute-optimized-ebs-driver.yaml'].spec.containers[name=sidecar]: (absent) → {"name":"sidecar","image":"busybox:1.37"}`,
      `  ~ JobRun emr-data-team-a/${run}`,
      '      spec.configurationOverrides.monitoringConfiguration.persistentAppUI: "ENABLED" → "DISABLED"',
      'default / yunikorn',
      '  ~ ConfigMap yunikorn/yunikorn-configs',
      `      data['queues.yaml'].partitions[name=default].queues[name=root].queues[name=emr-data-team-a].resources.max.vcore: "1200" → "1400"`,
      '1 warning:',
      `  ! default: JobRun emr-data-team-a/${run}: JobRun spec edited in place: every JobRun spec field is immutable, so the sync would fail (rename the job run: change the job or bump \`rerun\`)`,
    ]);
  });

  it('falls back to a line diff for an embedded document that does not parse', () => {
    const report = caseBranch('broken-values', () =>
      editTerraform(ADDONS, (j) => {
        const release = j.resource.helm_release.yunikorn as Tree;
        release.values = [
          `${JSON.stringify(values(release), null, 1)}\n# trailing`.replace('"core"', '"core",'),
        ];
      }),
    );
    const lines = printed(report);
    expect(lines[1]).toBe('  ~ helm_release.yunikorn');
    expect(lines[2]).toMatch(/^ {6}values\[0\]: text changed \(\+\d+ -\d+ lines\)$/);
    expect(lines.some((line) => line.includes('→'))).toBe(false);
  });

  it('prints the whole report through the CLI: changes, warnings, then the table', () => {
    caseBranch('cli-report', () =>
      editTerraform('base', (j) => (j.terraform.required_providers.aws.version = '6.26.0')),
    );
    const run = runScript('diff', ['--committed', '--base', 'base'], { cwd: repo });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'Changes from base to HEAD:',
      '',
      'default / terraform/base',
      '  ~ terraform',
      '      required_providers.aws.version: "6.25.0" → "6.26.0"',
      '',
      '1 warning:',
      '  ! default: terraform: provider aws 6.25.0 → 6.26.0: run terraform init -upgrade; Terraform re-plans every resource of this stack with the new provider (read its changelog first)',
      '',
      'env      app             kind       added  changed  replaced  removed',
      '-------  --------------  ---------  -----  -------  --------  -------',
      'default  terraform/base  terraform  0      1        0         0',
      '1 object(s): 0 added, 1 changed, 0 replaced, 0 removed; 1 warning.',
      '',
      'Terraform to apply (a merge deploys Kubernetes only):',
      '  Before merging:',
      '    1. default base (0 to add, 1 to change, 0 to destroy): terraform -chdir=dist/default/terraform/base apply',
      '       the cluster, its network and the shared services must be in place before Argo CD syncs the merged manifests that use them',
      '',
    ]);
    expect(run.stderr).toBe('diff: comparing dist/ at base with the HEAD\n');
  });
});
