import { iamLike } from '../kinds/iam-role/terraform-iam';
import { asString as str } from '../../lib/json';
import type { SystemContext, TerraformResource } from './context';
import { policyStatements, list } from '../kinds/iam-role/policy';

/**
 * Which team owns which bucket, from the environment's Terraform: a bucket (`aws_s3_bucket`) is
 * a namespace's own when the roles that reach its objects are assumed only by service accounts of
 * that namespace (their web-identity trust names `system:serviceaccount:<namespace>:…`). A
 * bucket reached by roles of several namespaces is nobody's own.
 */
export interface TeamBuckets {
  /** namespace → its own buckets. */
  readonly own: ReadonlyMap<string, ReadonlySet<string>>;
  /** bucket → the namespaces whose roles reach it, and its resource. */
  readonly buckets: ReadonlyMap<
    string,
    { readonly namespaces: ReadonlySet<string>; readonly resource: TerraformResource }
  >;
}

/** The namespaces a role's web-identity trust admits service accounts of. */
export function trustedNamespaces(role: TerraformResource): Set<string> {
  const namespaces = new Set<string>();
  for (const statement of policyStatements(role.body.assume_role_policy)) {
    for (const condition of Object.values(statement.Condition ?? {})) {
      for (const [key, value] of Object.entries(condition)) {
        if (!key.endsWith(':sub')) continue;
        for (const subject of list(value)) {
          const namespace = /^system:serviceaccount:([^:*]+):/.exec(subject)?.[1];
          if (namespace !== undefined) namespaces.add(namespace);
        }
      }
    }
  }
  return namespaces;
}

/** The S3 resources the inline policies allow, by the role they are attached to. */
function s3ResourcesByRole(context: SystemContext): Map<TerraformResource, string[]> {
  const found = new Map<TerraformResource, string[]>();
  for (const policy of context.terraform('aws_iam_role_policy')) {
    const role = context.referenced(policy.body.role) ?? context.role(str(policy.body.role));
    if (role === undefined) continue;
    const arns = policyStatements(policy.body.policy)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Resource))
      .filter((r) => r.startsWith('arn:aws:s3:::'));
    found.set(role, [...(found.get(role) ?? []), ...arns]);
  }
  return found;
}

export function teamBuckets(context: SystemContext): TeamBuckets {
  const buckets = new Map<string, { namespaces: Set<string>; resource: TerraformResource }>();
  for (const bucket of context.terraform('aws_s3_bucket')) {
    const name = str(bucket.body.bucket);
    if (name !== undefined && !name.includes('${'))
      buckets.set(name, { namespaces: new Set(), resource: bucket });
  }
  for (const [role, arns] of s3ResourcesByRole(context)) {
    const namespaces = trustedNamespaces(role);
    if (namespaces.size === 0) continue;
    for (const pattern of new Set(arns.map((arn) => arn.slice('arn:aws:s3:::'.length).split('/')[0] ?? ''))) {
      const exact = buckets.get(pattern);
      const matched =
        exact !== undefined
          ? [exact]
          : /[*?]/.test(pattern)
            ? [...buckets].filter(([name]) => iamLike(pattern, name)).map(([, e]) => e)
            : [];
      for (const entry of matched) for (const namespace of namespaces) entry.namespaces.add(namespace);
    }
  }
  const own = new Map<string, Set<string>>();
  for (const [name, entry] of buckets) {
    if (entry.namespaces.size !== 1) continue;
    const [namespace = ''] = entry.namespaces;
    own.set(namespace, new Set([...(own.get(namespace) ?? []), name]));
  }
  return { own, buckets };
}
