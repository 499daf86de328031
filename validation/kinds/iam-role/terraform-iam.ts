import type { FindingSink } from '../../findings';
import { specS3Uris } from '../jobrun/spec-uris';
import { wildcardMatch } from '../../../lib/wildcard';
import { list, policyStatements, type Statement } from './policy';

/** The IAM facts of an environment's Terraform JSON that the cross-checks compare with the manifests. */
export interface IamRole {
  readonly name: string;
  /** `…:sub` condition values of its web-identity trust (patterns with `*`). */
  readonly trustedSubjects: readonly string[];
  /** S3 object ARNs its inline policies allow (`arn:aws:s3:::bucket/prefix/*`). */
  readonly s3Objects: readonly string[];
  /**
   * Buckets (names, possibly patterns) on which an Allow statement grants `s3:ListBucket` with no
   * `s3:prefix` condition: only there does S3 answer a HEAD of a missing key with 404.
   */
  readonly listableBuckets: readonly string[];
  /** Buckets on which `s3:ListBucket` is allowed only under an `s3:prefix` condition. */
  readonly prefixListedBuckets: readonly string[];
}

const S3_ARN = 'arn:aws:s3:::';

/** Whether a statement's actions include `s3:ListBucket` (directly or by an IAM wildcard). */
function grantsListBucket(statement: Statement): boolean {
  return list(statement.Action).some((action) => iamLike(action.toLowerCase(), 's3:listbucket'));
}

/** Whether any condition of the statement tests `s3:prefix` (which a HEAD request never carries). */
function prefixConditioned(statement: Statement): boolean {
  return Object.values(statement.Condition ?? {}).some((condition) =>
    Object.keys(condition).some((key) => key.toLowerCase() === 's3:prefix'),
  );
}

type MutableRole = {
  -readonly [K in keyof IamRole]: IamRole[K] extends readonly (infer T)[] ? T[] : IamRole[K];
};

/** Roles by name, from every `cdk.tf.json` of one environment. */
export function iamRoles(stacks: readonly unknown[]): Map<string, IamRole> {
  const byId = new Map<string, MutableRole>();
  const policies: { role: unknown; policy: unknown }[] = [];
  for (const stack of stacks) {
    const resources =
      (stack as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
    for (const [id, role] of Object.entries(resources.aws_iam_role ?? {})) {
      if (typeof role.name !== 'string') continue;
      const trustedSubjects = policyStatements(role.assume_role_policy).flatMap((s) =>
        Object.values(s.Condition ?? {}).flatMap((condition) =>
          Object.entries(condition)
            .filter(([key]) => key.endsWith(':sub'))
            .flatMap(([, value]) => list(value)),
        ),
      );
      byId.set(id, {
        name: role.name,
        trustedSubjects,
        s3Objects: [],
        listableBuckets: [],
        prefixListedBuckets: [],
      });
    }
    for (const policy of Object.values(resources.aws_iam_role_policy ?? {}))
      policies.push({ role: policy.role, policy: policy.policy });
  }
  for (const { role, policy } of policies) {
    const ref = typeof role === 'string' ? /^\$\{aws_iam_role\.([^.]+)\.(name|id)\}$/.exec(role) : null;
    const target = ref ? byId.get(ref[1] ?? '') : [...byId.values()].find((r) => r.name === role);
    if (target === undefined) continue;
    for (const statement of policyStatements(policy)) {
      if (statement.Effect !== 'Allow') continue;
      const s3 = list(statement.Resource).filter((r) => r.startsWith(S3_ARN));
      target.s3Objects.push(...s3.filter((r) => r.includes('/')));
      if (!grantsListBucket(statement)) continue;
      const buckets = s3.filter((r) => !r.includes('/')).map((r) => r.slice(S3_ARN.length));
      (prefixConditioned(statement) ? target.prefixListedBuckets : target.listableBuckets).push(...buckets);
    }
  }
  return new Map([...byId.values()].map((role) => [role.name, role]));
}

/** The bucket names the environment's roles reach: S3 URIs into any other bucket are not checked. */
export function managedBuckets(roles: ReadonlyMap<string, IamRole> | undefined): Set<string> {
  return new Set(
    [...(roles?.values() ?? [])].flatMap((r) =>
      r.s3Objects.map((arn) => arn.slice(S3_ARN.length).split('/')[0] ?? ''),
    ),
  );
}

/**
 * Spark's S3 access through a JobRun's execution role: every S3 URI into one of the environment's
 * buckets lies under a prefix the role may use (`cross.s3-prefix`), and the role may list each of
 * those buckets without an `s3:prefix` condition (`cross.s3-list-bucket`): S3A and EMRFS probe
 * keys that do not exist yet (output paths, parent "directories", `_delta_log`), and S3 answers
 * such a HEAD with 404 only to a caller that holds `s3:ListBucket` on the bucket; to anyone else it
 * answers 403, and the job fails.
 */
export function checkS3Access(
  sink: FindingSink,
  file: string,
  roleName: string,
  role: IamRole,
  spec: unknown,
  buckets: ReadonlySet<string>,
): void {
  const unlisted = new Set<string>();
  for (const [uri, bucket, key] of specS3Uris(spec)) {
    if (!buckets.has(bucket)) continue;
    if (!role.s3Objects.some((arn) => iamLike(arn.slice(S3_ARN.length), `${bucket}/${key}`))) {
      sink.report(
        file,
        '$.spec',
        'cross.s3-prefix',
        `${uri} is outside the S3 prefixes role ${roleName} may use`,
      );
    }
    if (!role.listableBuckets.some((pattern) => iamLike(pattern, bucket))) unlisted.add(bucket);
  }
  for (const bucket of unlisted) {
    const conditioned = role.prefixListedBuckets.some((pattern) => iamLike(pattern, bucket));
    sink.report(
      file,
      '$.spec',
      'cross.s3-list-bucket',
      `role ${roleName} may ${conditioned ? 'list bucket ' + bucket + ' only under an s3:prefix condition' : 'not list bucket ' + bucket}, so S3 answers 403 instead of 404 when Spark probes a key that does not exist yet (an output path, _delta_log) and the job fails; allow s3:ListBucket on ${S3_ARN}${bucket} without a prefix condition`,
    );
  }
}

/** IAM `StringLike` matching (`*` and `?`). */
export function iamLike(pattern: string, value: string): boolean {
  return wildcardMatch(pattern, value);
}

/** The session tags EKS Pod Identity sets that name the one service account a role is for. */
const POD_IDENTITY_SCOPE = [
  'aws:RequestTag/kubernetes-namespace',
  'aws:RequestTag/kubernetes-service-account',
];

/**
 * Every role that `pods.eks.amazonaws.com` may assume checks the namespace and the service account
 * in its trust policy (`iam.pod-identity-trust-unscoped`). A trust that checks only
 * `aws:SourceAccount` lets any Pod Identity association of the account, in any cluster and
 * namespace, hand the role to its pods: whoever may create an association gets its permissions.
 */
export function checkPodIdentityTrust(
  sink: FindingSink,
  stacks: readonly unknown[],
  files: readonly string[],
): void {
  stacks.forEach((stack, i) => {
    const roles =
      (stack as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource
        ?.aws_iam_role ?? {};
    for (const [id, role] of Object.entries(roles)) {
      for (const statement of policyStatements(role.assume_role_policy)) {
        const principal = statement.Principal as { Service?: unknown } | undefined;
        if (statement.Effect !== 'Allow' || !list(principal?.Service).includes('pods.eks.amazonaws.com'))
          continue;
        const exact = Object.entries(statement.Condition ?? {})
          .filter(([operator]) => operator === 'StringEquals')
          .flatMap(([, condition]) => Object.keys(condition));
        const missing = POD_IDENTITY_SCOPE.filter((key) => !exact.includes(key));
        if (missing.length === 0) continue;
        sink.report(
          files[i] ?? 'terraform',
          `$.resource.aws_iam_role['${id}'].assume_role_policy`,
          'iam.pod-identity-trust-unscoped',
          `role ${String(role.name)} may be assumed through any EKS Pod Identity association of the account because its trust policy does not check ${missing.join(' and ')}; add StringEquals conditions naming the one namespace and service account it is for`,
        );
      }
    }
  });
}

/** `arn:aws:iam::123:role/path/name` → `name`. */
export function roleNameOf(arn: string | undefined): string | undefined {
  return arn?.split(':role/')[1]?.split('/').at(-1);
}
