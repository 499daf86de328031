import { iamLike } from '../terraform-iam';
import { asString as str } from '../json';
import type { SystemContext, TerraformResource } from './context';
import { policyStatements, list } from './iam-policy';

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

/** The S3 resources the inline policies of a role allow. */
function roleS3Resources(context: SystemContext, role: TerraformResource): string[] {
  return context
    .terraform('aws_iam_role_policy')
    .filter((p) => context.referenced(p.body.role) === role || p.body.role === role.body.name)
    .flatMap((p) => policyStatements(p.body.policy))
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => list(s.Resource))
    .filter((r) => r.startsWith('arn:aws:s3:::'));
}

export function teamBuckets(context: SystemContext): TeamBuckets {
  const buckets = new Map<string, { namespaces: Set<string>; resource: TerraformResource }>();
  for (const bucket of context.terraform('aws_s3_bucket')) {
    const name = str(bucket.body.bucket);
    if (name !== undefined && !name.includes('${'))
      buckets.set(name, { namespaces: new Set(), resource: bucket });
  }
  for (const role of context.terraform('aws_iam_role')) {
    const namespaces = trustedNamespaces(role);
    if (namespaces.size === 0) continue;
    for (const arn of roleS3Resources(context, role)) {
      const pattern = arn.slice('arn:aws:s3:::'.length).split('/')[0] ?? '';
      for (const [name, entry] of buckets)
        if (iamLike(pattern, name)) for (const namespace of namespaces) entry.namespaces.add(namespace);
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
