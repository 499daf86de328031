import { describe, expect, it } from 'vitest';
import { diffTrees, isDestructive, type DiffReport } from '../../review/diff';
import { markdownReport, MARKDOWN_LIMITS } from '../../review/markdown';
import { textReport } from '../../review/report';

/*
 * The Terraform applies a change needs, on small dist/ trees built here: which stacks, in which
 * environments, in which order, before or after the merge.
 */

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type Stacks = Record<string, Record<string, Resources>>;

/** `{ env: { stack: resources } }` as dist/ files; each stack is a `cdk.tf.json`. */
function tree(stacks: Stacks, extra: Record<string, unknown> = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const [env, byStack] of Object.entries(stacks))
    for (const [stack, resource] of Object.entries(byStack))
      files.set(
        `${env}/terraform/${stack}/cdk.tf.json`,
        JSON.stringify({ resource, ...(extra[`${env}/${stack}`] ?? {}) }),
      );
  return files;
}

const passRole = (roles: readonly string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PassTeamExecutionRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roles.map((role) => `arn:aws:iam::111122223333:role/${role}`),
      },
    ],
  });

/** A platform with these teams: `base`, per team a bucket and a role (`teams`), ACK's PassRole on them (`addons`). */
function platform(teams: readonly string[]): Record<string, Resources> {
  return {
    base: { aws_vpc: { network: { cidr_block: '10.0.0.0/16' } } },
    teams: {
      aws_s3_bucket: Object.fromEntries(teams.map((t) => [`team-${t}_bucket`, { bucket: `bucket-${t}` }])),
      aws_iam_role: Object.fromEntries(teams.map((t) => [`team-${t}_execution-role`, { name: `role-${t}` }])),
    },
    addons: {
      aws_iam_role_policy: {
        'ack-emrcontainers_role_policy': { role: 'ack', policy: passRole(teams.map((t) => `role-${t}`)) },
      },
    },
  };
}

const steps = (report: DiffReport) =>
  report.apply.map((s) => `${s.when} ${s.env}/${s.stack} +${s.creates} ~${s.updates} -${s.destroys}`);

describe('the apply checklist', () => {
  it('applies a new team: teams, then addons, before the merge', () => {
    const report = diffTrees(tree({ prod: platform(['a']) }), tree({ prod: platform(['a', 'c']) }));
    expect(steps(report)).toEqual(['before prod/teams +2 ~0 -0', 'before prod/addons +0 ~1 -0']);
    // ACK may pass a role the same change creates: a notice, not a destructive widening.
    expect(report.warnings.map((w) => [w.severity, w.reason])).toEqual([
      [
        'notice',
        "IAM policy (policy) now also covers role-c, created by this change: review that role's own policy",
      ],
    ]);
    expect(isDestructive(report)).toBe(false);
  });

  it('keeps a PassRole on a role that already exists destructive', () => {
    const before = platform(['a', 'c']);
    const addons = before.addons as Resources;
    const ack = addons.aws_iam_role_policy?.['ack-emrcontainers_role_policy'];
    if (ack) ack.policy = passRole(['role-a']);
    const report = diffTrees(tree({ prod: before }), tree({ prod: platform(['a', 'c']) }));
    expect(report.warnings.map((w) => w.severity)).toEqual(['destructive']);
    expect(steps(report)).toEqual(['before prod/addons +0 ~1 -0']);
  });

  it('applies a retired team after the merge, addons then teams', () => {
    const report = diffTrees(tree({ prod: platform(['a', 'c']) }), tree({ prod: platform(['a']) }));
    expect(steps(report)).toEqual(['after prod/addons +0 ~1 -0', 'after prod/teams +0 ~0 -2']);
    expect(report.apply[0]?.why).toMatch(/^once Argo CD has pruned the objects that use/);
  });

  it('orders base, teams, addons within each environment, environments by name', () => {
    const next = (teams: readonly string[]) => {
      const stacks = platform(teams);
      (stacks.base as Resources).aws_vpc = { network: { cidr_block: '10.0.0.0/16', tags: { new: 'tag' } } };
      return stacks;
    };
    const report = diffTrees(
      tree({ prod: platform(['a']), dev: platform(['a']) }),
      tree({ prod: next(['a', 'b']), dev: next(['a']) }),
    );
    expect(steps(report)).toEqual([
      'before dev/base +0 ~1 -0',
      'before prod/base +0 ~1 -0',
      'before prod/teams +2 ~0 -0',
      'before prod/addons +0 ~1 -0',
    ]);
  });

  it('says a stack that creates and destroys goes before the merge, or is split', () => {
    const report = diffTrees(tree({ prod: platform(['a', 'b']) }), tree({ prod: platform(['a', 'c']) }));
    expect(steps(report)).toEqual(['before prod/teams +2 ~0 -2', 'before prod/addons +0 ~1 -0']);
    expect(report.apply[0]?.why).toContain('it also destroys 2');
    expect(report.apply[0]?.why).toContain('split the pull request');
  });

  it('counts a moved resource as an update, not a create and a destroy', () => {
    const before = { prod: { teams: { aws_s3_bucket: { old: { bucket: 'b' } } } } };
    const after = { prod: { teams: { aws_s3_bucket: { renamed: { bucket: 'b' } } } } };
    const report = diffTrees(
      tree(before),
      tree(after, { 'prod/teams': { moved: [{ from: 'aws_s3_bucket.old', to: 'aws_s3_bucket.renamed' }] } }),
    );
    expect(steps(report)).toEqual(['before prod/teams +0 ~2 -0']);
  });

  it('is empty when no stack changed', () => {
    const same = tree({ prod: platform(['a']) });
    const objects = new Map([
      ...same,
      [
        'prod/k8s/yunikorn/_cluster/Namespace.yunikorn.yaml',
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: yunikorn\n',
      ],
    ]);
    const report = diffTrees(same, objects);
    expect(report.apply).toEqual([]);
    expect(textReport(report, 'a', 'b')).not.toContain('Terraform to apply');
    expect(markdownReport(report, 'a', 'b')).not.toContain('Terraform to apply');
  });

  it('ends the terminal report and the PR comment, even one cut for size', () => {
    const report = diffTrees(tree({ prod: platform(['a']) }), tree({ prod: platform(['a', 'c']) }));
    expect(textReport(report, 'main', 'head').split('\n').slice(-6)).toEqual([
      'Terraform to apply (a merge deploys Kubernetes only):',
      '  Before merging:',
      '    1. prod teams (2 to add, 0 to change, 0 to destroy): terraform -chdir=dist/prod/terraform/teams apply',
      "       the teams' buckets, roles and log groups must be in place before Argo CD syncs the merged manifests that use them",
      '    2. prod addons (0 to add, 1 to change, 0 to destroy): terraform -chdir=dist/prod/terraform/addons apply',
      "       the controllers and their permissions (ACK's PassRole on the team roles, Pod Identity, the namespaces YuniKorn and Prometheus watch) must be in place before Argo CD syncs the merged manifests that use them",
    ]);
    const markdown = markdownReport(report, 'main', 'head');
    expect(markdown).toContain('**2 Terraform applies** (below)');
    expect(markdown.split('\n').slice(-6)).toEqual([
      '**Terraform to apply**: a merge deploys Kubernetes only (Argo CD); these stacks changed and are applied by hand, in this order.',
      '',
      'Before merging:',
      '',
      "1. [ ] `prod` **teams** (2 to add, 0 to change, 0 to destroy): `terraform -chdir=dist/prod/terraform/teams apply`, the teams' buckets, roles and log groups must be in place before Argo CD syncs the merged manifests that use them",
      "2. [ ] `prod` **addons** (0 to add, 1 to change, 0 to destroy): `terraform -chdir=dist/prod/terraform/addons apply`, the controllers and their permissions (ACK's PassRole on the team roles, Pod Identity, the namespaces YuniKorn and Prometheus watch) must be in place before Argo CD syncs the merged manifests that use them",
    ]);
    const small = markdownReport(report, 'main', 'head', { ...MARKDOWN_LIMITS, maxChars: 1_500 });
    expect(small).toContain('left out to keep this comment under');
    expect(small.split('\n').at(-1)).toMatch(/^2\. \[ \] `prod` \*\*addons\*\*/);
  });
});
