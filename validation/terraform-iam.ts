/** The IAM facts of an environment's Terraform JSON that the cross-checks compare with the manifests. */
export interface IamRole {
  readonly name: string;
  /** `…:sub` condition values of its web-identity trust (patterns with `*`). */
  readonly trustedSubjects: readonly string[];
  /** S3 object ARNs its inline policies allow (`arn:aws:s3:::bucket/prefix/*`). */
  readonly s3Objects: readonly string[];
}

interface PolicyStatement {
  Effect?: string;
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

function statements(policy: unknown): PolicyStatement[] {
  if (typeof policy !== 'string') return [];
  try {
    const parsed = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
    return Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  } catch {
    return [];
  }
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Roles by name, from every `cdk.tf.json` of one environment. */
export function iamRoles(stacks: readonly unknown[]): Map<string, IamRole> {
  const byId = new Map<string, { name: string; trustedSubjects: string[]; s3Objects: string[] }>();
  const policies: { role: unknown; policy: unknown }[] = [];
  for (const stack of stacks) {
    const resources =
      (stack as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
    for (const [id, role] of Object.entries(resources.aws_iam_role ?? {})) {
      if (typeof role.name !== 'string') continue;
      const trustedSubjects = statements(role.assume_role_policy).flatMap((s) =>
        Object.values(s.Condition ?? {}).flatMap((condition) =>
          Object.entries(condition)
            .filter(([key]) => key.endsWith(':sub'))
            .flatMap(([, value]) => list(value)),
        ),
      );
      byId.set(id, { name: role.name, trustedSubjects, s3Objects: [] });
    }
    for (const policy of Object.values(resources.aws_iam_role_policy ?? {}))
      policies.push({ role: policy.role, policy: policy.policy });
  }
  for (const { role, policy } of policies) {
    const ref = typeof role === 'string' ? /^\$\{aws_iam_role\.([^.]+)\.(name|id)\}$/.exec(role) : null;
    const target = ref ? byId.get(ref[1] ?? '') : [...byId.values()].find((r) => r.name === role);
    if (target === undefined) continue;
    for (const statement of statements(policy)) {
      if (statement.Effect !== 'Allow') continue;
      target.s3Objects.push(
        ...list(statement.Resource).filter((r) => r.startsWith('arn:aws:s3:::') && r.includes('/')),
      );
    }
  }
  return new Map([...byId.values()].map((role) => [role.name, role]));
}

/** IAM `StringLike` matching (`*` and `?`). */
export function iamLike(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(value);
}
