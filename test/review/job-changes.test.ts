import { createHash } from 'node:crypto';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { diffTrees, isDestructive, type DiffReport } from '../../review/diff';
import { markdownReport } from '../../review/markdown';
import { textReport } from '../../review/report';
import { submitOptions } from '../../review/spark-conf';
import { shellWords } from '../../lib/shell-words';

/*
 * Job changes as the review shows them, on small dist/ trees built here (no render of the
 * live config): a job's old and new JobRun paired with its settings and script compared, the
 * severity of a job that runs again, pod templates summed up, warnings repeated per team printed
 * once.
 */

const NS = 'team-x';
const DIR = `default/k8s/team-${NS}/${NS}`;
const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const uri = (file: string, content: string) => `s3://bucket/artifacts/${sha(content)}/${file}`;

interface JobRunOptions {
  readonly job?: string;
  readonly hash: string;
  readonly label?: boolean;
  readonly retain?: boolean;
  readonly sparkDefaults?: Record<string, string>;
  readonly submit?: string;
  readonly script?: string;
  readonly rerun?: string;
}

function jobRun(options: JobRunOptions): [string, unknown] {
  const job = options.job ?? 'daily-report';
  const name = `${job}-${options.hash}`;
  const overrides = {
    applicationConfiguration: [
      { classification: 'spark-defaults', properties: options.sparkDefaults ?? {} },
      {
        classification: 'emr-job-submitter',
        properties: { 'jobsubmitter.node.selector.NodeGroupType': 'core' },
      },
    ],
    monitoringConfiguration: { persistentAppUI: 'ENABLED' },
  };
  const object = {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: {
      name,
      namespace: NS,
      annotations: {
        'emr-eks-gitops/rerun': options.rerun ?? '0',
        ...(options.retain === false ? {} : { 'services.k8s.aws/deletion-policy': 'retain' }),
      },
      ...(options.label === false ? {} : { labels: { 'emr-eks-gitops/job': job } }),
    },
    spec: {
      name,
      releaseLabel: 'emr-7.12.0-latest',
      configurationOverrides: JSON.stringify(overrides, null, 2),
      jobDriver: {
        sparkSubmitJobDriver: {
          entryPoint: uri('report.py', options.script ?? SCRIPT),
          ...(options.submit === undefined ? {} : { sparkSubmitParameters: options.submit }),
        },
      },
    },
  };
  return [`${DIR}/JobRun.${name}.yaml`, object];
}

const SCRIPT = 'import sys\n\n\ndef main():\n    print("report")\n\n\nmain()\n';
const jobFiles = (files: Record<string, string>): [string, unknown] => [
  `${DIR}/ConfigMap.spark-job-files.yaml`,
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'spark-job-files', namespace: NS }, data: files },
];

const uploadJob = (hash: string, files: readonly string[]): [string, unknown] => [
  `${DIR}/Job.upload-artifacts-${hash}.yaml`,
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `upload-artifacts-${hash}`,
      namespace: NS,
      labels: { 'app.kubernetes.io/name': 'artifact-uploader' },
    },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'upload',
              command: ['/bin/sh', '-c', `set -eu\n${files.map((f) => `upload ${f}`).join('\n')}\n`],
            },
          ],
        },
      },
    },
  },
];

/** A dist/ tree of Kubernetes objects (YAML) and Terraform stacks (JSON). */
function tree(
  objects: readonly [string, unknown][],
  stacks: Record<string, unknown> = {},
): Map<string, string> {
  const files = new Map<string, string>(objects.map(([path, value]) => [path, dump(value)]));
  for (const [path, json] of Object.entries(stacks)) files.set(path, JSON.stringify(json));
  return files;
}

const diff = (before: Map<string, string>, after: Map<string, string>): DiffReport =>
  diffTrees(before, after);
const lines = (report: DiffReport): string[] => {
  const text = textReport(report, 'base', 'head').split('\n');
  return text.slice(
    2,
    text.findIndex((line) => line.startsWith('env ')),
  );
};

describe('a changed job', () => {
  it('pairs the old and new JobRun of a job and shows its Spark settings by key', () => {
    const report = diff(
      tree([
        jobRun({
          hash: '3e75ff1a',
          sparkDefaults: { 'spark.executor.instances': '2', 'spark.driver.cores': '1' },
        }),
        jobFiles({ 'report.py': SCRIPT }),
      ]),
      tree([
        jobRun({
          hash: '8e4d7d0e',
          sparkDefaults: { 'spark.executor.instances': '4', 'spark.driver.cores': '1' },
          submit:
            '--class org.example.Report --conf spark.driver.cores=2 --conf "spark.app.name=daily report"',
        }),
        jobFiles({ 'report.py': SCRIPT }),
      ]),
    );
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({
      action: 'replaced',
      kind: 'JobRun',
      previous: `${NS}/daily-report-3e75ff1a`,
      name: `${NS}/daily-report-8e4d7d0e`,
    });
    // The --conf flag wins over spark-defaults; other flags by name; names (always new) left out.
    expect(lines(report)).toEqual([
      `default / team-${NS}`,
      `  ± JobRun ${NS}/daily-report-3e75ff1a → ${NS}/daily-report-8e4d7d0e`,
      '      --class: (absent) → "org.example.Report"',
      '      spark.app.name: (absent) → "daily report"',
      '      spark.driver.cores: "1" → "2"',
      '      spark.executor.instances: "2" → "4"',
      '',
      '1 warning (1 runs again):',
      `  ↻ default: JobRun ${NS}/daily-report-3e75ff1a → ${NS}/daily-report-8e4d7d0e: runs again: the new JobRun starts on sync; a run of the old one still going keeps running in EMR (deletion policy retain)`,
      '',
    ]);
  });

  it('shows the script a JobRun runs as a line diff, in full under the first JobRun that shares it', () => {
    const edited = SCRIPT.replace('print("report")', 'print("daily report")');
    const report = diff(
      tree([
        jobRun({ hash: '11111111', script: SCRIPT }),
        jobRun({ job: 'weekly-report', hash: '22222222', script: SCRIPT }),
        jobFiles({ 'report.py': SCRIPT }),
      ]),
      tree([
        jobRun({ hash: '33333333', script: edited }),
        jobRun({ job: 'weekly-report', hash: '44444444', script: edited }),
        jobFiles({ 'report.py': edited }),
      ]),
    );
    const printed = lines(report);
    const first = printed.indexOf(`  ± JobRun ${NS}/daily-report-11111111 → ${NS}/daily-report-33333333`);
    expect(printed.slice(first, first + 7)).toEqual([
      `  ± JobRun ${NS}/daily-report-11111111 → ${NS}/daily-report-33333333`,
      "      files['report.py']: text changed (+1 -1 lines)",
      '        … 2 unchanged lines',
      '',
      '          def main():',
      '        -     print("report")',
      '        +     print("daily report")',
    ]);
    expect(printed).toContain(
      `      files['report.py']: text changed (+1 -1 lines), as under JobRun ${NS}/daily-report-33333333`,
    );
    // The new content address is explained by the content diff, not printed as a changed URI.
    expect(printed.some((line) => line.includes('entryPoint'))).toBe(false);
    expect(report.warnings.map((w) => w.severity)).toEqual(['rerun', 'rerun']);
  });

  it('shows a rerun as the counter that changed, and pairs by name without the job label', () => {
    const report = diff(
      tree([jobRun({ hash: 'aaaaaaaa', label: false })]),
      tree([jobRun({ hash: 'bbbbbbbb', label: false, rerun: '1' })]),
    );
    expect(report.changes.map((c) => [c.action, c.fields.map((f) => f.path)])).toEqual([
      ['replaced', [".metadata.annotations['emr-eks-gitops/rerun']"]],
    ]);
  });

  it('leaves JobRuns unpaired when a job has more than one on a side', () => {
    const report = diff(
      tree([jobRun({ hash: 'aaaaaaaa' }), jobRun({ hash: 'cccccccc' })]),
      tree([jobRun({ hash: 'bbbbbbbb' })]),
    );
    expect(report.changes.map((c) => c.action).sort()).toEqual(['added', 'removed', 'removed']);
  });

  it('pairs the old and new upload Job and diffs what it uploads', () => {
    const report = diff(
      tree([uploadJob('f22a0436', ['a.yaml', 'report.py'])]),
      tree([uploadJob('7125cabf', ['a.yaml', 'b.yaml', 'report.py'])]),
    );
    expect(lines(report)).toEqual([
      `default / team-${NS}`,
      `  ± Job ${NS}/upload-artifacts-f22a0436 → ${NS}/upload-artifacts-7125cabf`,
      '      spec.template.spec.containers[name=upload].command[2]: text changed (+1 -0 lines)',
      '          set -eu',
      '          upload a.yaml',
      '        + upload b.yaml',
      '          upload report.py',
      '',
      '',
    ]);
    expect(report.warnings).toEqual([]);
  });
});

describe('the severity of a job change', () => {
  const base = tree([jobRun({ hash: 'aaaaaaaa', retain: false })]);
  it.each([
    ['replaced, retained', [jobRun({ hash: 'aaaaaaaa' })], [jobRun({ hash: 'bbbbbbbb' })], 'rerun', false],
    [
      'replaced, not retained',
      [jobRun({ hash: 'aaaaaaaa', retain: false })],
      [jobRun({ hash: 'bbbbbbbb' })],
      'destructive',
      true,
    ],
    ['retired, retained', [jobRun({ hash: 'aaaaaaaa' })], [], 'notice', false],
    ['retired, not retained', [jobRun({ hash: 'aaaaaaaa', retain: false })], [], 'destructive', true],
  ] as const)('a JobRun %s', (_, before, after, severity, fails) => {
    const report = diff(tree(before), tree(after));
    expect(report.warnings.map((w) => w.severity)).toEqual([severity]);
    expect(isDestructive(report)).toBe(fails);
  });

  it('keeps an in-place JobRun edit destructive (the sync would fail)', () => {
    const [path, object] = jobRun({ hash: 'aaaaaaaa', retain: false });
    const edited = structuredClone(object) as { spec: { releaseLabel: string } };
    edited.spec.releaseLabel = 'emr-7.11.0-latest';
    const report = diff(base, tree([[path, edited]]));
    expect(report.warnings.map((w) => [w.severity, w.reason.split(':')[0]])).toEqual([
      ['destructive', 'JobRun spec edited in place'],
    ]);
  });
});

describe('pod templates', () => {
  const template = (pool: string, storage: string, role: string) =>
    dump({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { 'emr-eks-gitops/node-pool': pool, 'emr-eks-gitops/storage': storage } },
      spec: { nodeSelector: { NodeGroupType: pool }, containers: [{ name: `spark-kubernetes-${role}` }] },
    });
  const templates = (pools: readonly string[]) =>
    Object.fromEntries(
      pools.flatMap((pool) =>
        ['ebs', 'nvme'].flatMap((storage) =>
          ['driver', 'executor'].map((role) => [
            `${pool}-${storage}-${role}.yaml`,
            template(pool, storage, role),
          ]),
        ),
      ),
    );
  const configMap = (data: Record<string, string>, namespace = NS): [string, unknown] => [
    `default/k8s/team-${namespace}/${namespace}/ConfigMap.spark-pod-templates.yaml`,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'spark-pod-templates', namespace }, data },
  ];

  it('sums up the templates of a node pool added to a team, and keeps a changed one field by field', () => {
    const old = templates(['spark-compute']);
    const current = { ...templates(['spark-compute', 'spark-general-purpose']) };
    current['spark-compute-ebs-driver.yaml'] = template('spark-compute', 'ebs', 'driver').replace(
      'NodeGroupType: spark-compute',
      'NodeGroupType: SparkCompute',
    );
    const report = diff(tree([configMap(old)]), tree([configMap(current)]));
    expect(lines(report)).toEqual([
      `default / team-${NS}`,
      `  ~ ConfigMap ${NS}/spark-pod-templates`,
      '      + 4 pod templates for spark-general-purpose',
      `      data['spark-compute-ebs-driver.yaml'].spec.nodeSelector.NodeGroupType: "spark-compute" → "SparkCompute"`,
      '',
    ]);
  });

  it("sums up a new team's templates and a removed pool's", () => {
    const added = diff(tree([]), tree([configMap(templates(['spark-general-purpose']), 'team-y')]));
    expect(lines(added)).toContain('      + 4 pod templates for spark-general-purpose');
    const removed = diff(
      tree([configMap(templates(['a-pool', 'b-pool']))]),
      tree([configMap(templates(['b-pool']))]),
    );
    expect(lines(removed)).toEqual([
      `default / team-${NS}`,
      `  ~ ConfigMap ${NS}/spark-pod-templates`,
      '      - 4 pod templates for a-pool',
      '',
    ]);
  });
});

describe('a warning that repeats for each team', () => {
  const policy = (actions: readonly string[]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'TeamObjects', Effect: 'Allow', Action: actions, Resource: '*' }],
    });
  const teamsStack = (actions: readonly string[], teams: readonly string[]) => ({
    'default/terraform/teams/cdk.tf.json': {
      resource: {
        aws_iam_role_policy: Object.fromEntries(
          teams.map((team) => [
            `team-${team}_execution-policy`,
            { name: 'execution', role: `role-${team}`, policy: policy(actions) },
          ]),
        ),
      },
    },
  });
  const namespaces = (teams: readonly string[]): [string, unknown][] =>
    teams.map((team) => [
      `default/k8s/team-${team}/_cluster/Namespace.${team}.yaml`,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: team } },
    ]);
  const teams = ['emr-data-team-a', 'emr-data-team-ab'];

  it('prints once, naming the teams', () => {
    const report = diff(
      tree(namespaces(teams), teamsStack(['s3:GetObject'], teams)),
      tree(namespaces(teams), teamsStack(['s3:GetObject', 's3:PutObjectAcl'], teams)),
    );
    expect(report.warnings).toEqual([
      {
        env: 'default',
        app: 'terraform/teams',
        subject: 'aws_iam_role_policy.team-<team>_execution-policy',
        reason: 'IAM policy widened (policy): Sid TeamObjects: new action s3:PutObjectAcl',
        severity: 'destructive',
        teams: ['emr-data-team-a', 'emr-data-team-ab'],
      },
    ]);
    expect(markdownReport(report, 'main', 'head')).toContain(
      '- ⚠️ `default` **aws\\_iam\\_role\\_policy.team-\\<team\\>\\_execution-policy (emr-data-team-a, emr-data-team-ab)**: IAM policy widened',
    );
  });

  it('keeps warnings apart when they differ beyond the team name', () => {
    const before = teamsStack(['s3:GetObject'], teams);
    const after = teamsStack(['s3:GetObject', 's3:PutObjectAcl'], teams);
    const resource = (
      after['default/terraform/teams/cdk.tf.json'].resource.aws_iam_role_policy as Record<
        string,
        { policy: string }
      >
    )['team-emr-data-team-ab_execution-policy'];
    if (resource !== undefined) resource.policy = policy(['s3:GetObject', 's3:DeleteObject']);
    const report = diff(tree(namespaces(teams), before), tree(namespaces(teams), after));
    expect(report.warnings.map((w) => [w.subject, w.teams])).toEqual([
      ['aws_iam_role_policy.team-emr-data-team-a_execution-policy', undefined],
      ['aws_iam_role_policy.team-emr-data-team-ab_execution-policy', undefined],
    ]);
  });
});

describe('spark-submit parameters', () => {
  it('splits words with quotes and reads --conf, --flag value and --flag=value', () => {
    expect(shellWords(`--conf 'a=b c' --name "x y"  --verbose`)).toEqual([
      '--conf',
      'a=b c',
      '--name',
      'x y',
      '--verbose',
    ]);
    expect(submitOptions('--conf=spark.a=1 --conf spark.b=2 --jars a.jar,b.jar --verbose')).toEqual([
      ['spark.a', '1'],
      ['spark.b', '2'],
      ['--jars', 'a.jar,b.jar'],
      ['--verbose', true],
    ]);
  });
});
