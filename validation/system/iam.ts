import type { FindingSink } from '../findings';
import { asObject as obj, asString as str, isObject } from '../../lib/json';
import { iamLike, roleNameOf } from '../kinds/iam-role/terraform-iam';
import { address, named, type SystemContext, type SystemModel, type TerraformResource } from './context';
import { IAM_ACTIONS_FILE, iamServiceActions, iamServices } from './data';
import { knownClean, rememberClean } from './verdicts';
import { list, policyStatements, type Statement } from '../kinds/iam-role/policy';

/**
 * IAM across Terraform and the cluster (class 4 of the system models).
 *
 * - Every action (`Action`, `NotAction`) of every policy document in Terraform (role trust and
 *   inline policies, managed policies, bucket and queue policies) exists in the AWS service
 *   catalogue: `validation/system/data/iam-actions.json`, generated from a pinned public copy of
 *   the Service Authorization Reference. A wildcard must match at least one action.
 * - Web-identity trust (IRSA): each ServiceAccount whose `eks.amazonaws.com/role-arn` names a
 *   role, and each JobRun's execution role, is admitted by the trust's `:aud` condition with the
 *   audience its token carries (`eks.amazonaws.com/audience`, default `sts.amazonaws.com`; EMR's
 *   job pods use the default). (`:sub` against the service accounts is `cross.trust-policy`.)
 * - Pod Identity: each `aws_eks_pod_identity_association` names a service account that exists in
 *   its namespace: rendered there, or created by a Helm release installed into that namespace
 *   (`serviceAccount.name` at any depth of its values, with `create` not false); and the trust
 *   of its role, when it checks `aws:RequestTag/kubernetes-namespace` / `-service-account`,
 *   names the same namespace and service account.
 * - Resource policies (`aws_s3_bucket_policy`, `aws_sqs_queue_policy`): a Deny statement does not
 *   apply to an ordinary request the identity policies allow. An ordinary request is made over
 *   TLS 1.2 (`aws:SecureTransport` true, `s3:TlsVersion` 1.2) from inside the account; a Deny
 *   whose conditions all hold for it (Bool, Numeric*, String*, `…IfExists`) and whose actions and
 *   resources cover an action a role's policy allows on that resource blocks the platform.
 */

/** An ordinary request of the platform's own roles, as the condition operators see it. */
const ORDINARY_REQUEST: Readonly<Record<string, string>> = {
  'aws:securetransport': 'true',
  's3:tlsversion': '1.2',
};

const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

interface PolicyDocument {
  readonly resource: TerraformResource;
  readonly field: string;
  readonly statements: readonly Statement[];
  /** `role X` / `bucket policy Y` for messages. */
  readonly what: string;
}

function documents(context: SystemContext): PolicyDocument[] {
  const found: PolicyDocument[] = [];
  const add = (type: string, field: string, what: (r: TerraformResource) => string): void => {
    for (const resource of context.terraform(type)) {
      const text = resource.body[field];
      if (text === undefined) continue;
      found.push({ resource, field, statements: policyStatements(text), what: what(resource) });
    }
  };
  add('aws_iam_role', 'assume_role_policy', (r) => `the trust policy of role ${String(r.body.name)}`);
  add('aws_iam_role_policy', 'policy', (r) => `inline policy ${str(r.body.name) ?? r.id}`);
  add('aws_iam_policy', 'policy', (r) => `managed policy ${str(r.body.name) ?? r.id}`);
  add('aws_s3_bucket_policy', 'policy', (r) => `bucket policy ${r.id}`);
  add('aws_sqs_queue_policy', 'policy', (r) => `queue policy ${r.id}`);
  return found;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Why an action names nothing in the catalogue, or undefined when it names something. */
export function unknownAction(action: string): string | undefined {
  if (action === '*') return undefined;
  const [prefix = '', name] = action.toLowerCase().split(':');
  if (name === undefined) return 'it is not of the form service:Action';
  const service = iamServiceActions(prefix);
  if (service === undefined) {
    const near = iamServices().find((p) => distance(p, prefix) <= 1);
    return `there is no service prefix ${prefix}${near !== undefined ? ` (did you mean ${near}?)` : ''}`;
  }
  if (name.includes('*') || name.includes('?')) {
    return [...service].some((a) => iamLike(name, a)) ? undefined : `no ${prefix} action matches ${name}`;
  }
  if (service.has(name)) return undefined;
  const near = [...service]
    .filter((a) => distance(a, name) <= 2)
    .sort((x, y) => distance(x, name) - distance(y, name));
  return `service ${prefix} has no action ${action.split(':')[1] ?? ''}${near[0] !== undefined ? ` (did you mean ${prefix}:${near[0]}?)` : ''}`;
}

function checkActions(sink: FindingSink, docs: readonly PolicyDocument[]): void {
  const named = [
    ...new Set(
      docs.flatMap((doc) => doc.statements.flatMap((s) => [...list(s.Action), ...list(s.NotAction)])),
    ),
  ].sort();
  if (knownClean('iam-actions', IAM_ACTIONS_FILE, named)) return;
  let clean = true;
  for (const doc of docs) {
    doc.statements.forEach((statement, i) => {
      for (const key of ['Action', 'NotAction'] as const) {
        for (const action of list(statement[key])) {
          const problem = unknownAction(action);
          if (problem === undefined) continue;
          clean = false;
          sink.report(
            doc.resource.file,
            `${doc.resource.path}.${doc.field}.Statement[${i}].${key}`,
            'system.iam-action-unknown',
            `${doc.what} (${address(doc.resource)}) names ${action}, which the AWS service catalogue does not have: ${problem} (validation/system/data/iam-actions.json); IAM ignores it, so the permission is silently missing: use the action's exact name`,
          );
        }
      }
    });
  }
  if (clean) rememberClean('iam-actions', IAM_ACTIONS_FILE, named);
}

/** The `:aud` values a role's web-identity trust admits, or undefined when it does not test `:aud`. */
function trustedAudiences(role: TerraformResource): string[] | undefined {
  let found: string[] | undefined;
  for (const statement of policyStatements(role.body.assume_role_policy)) {
    if (!list(statement.Action).some((a) => a.toLowerCase() === 'sts:assumerolewithwebidentity')) continue;
    for (const condition of Object.values(statement.Condition ?? {}))
      for (const [key, value] of Object.entries(condition))
        if (key.endsWith(':aud')) found = [...(found ?? []), ...list(value)];
  }
  return found;
}

function checkAudiences(sink: FindingSink, context: SystemContext): void {
  const assumers: {
    o: ReturnType<SystemContext['objects']['ofKind']>[number];
    role?: TerraformResource;
    audience: string;
    path: string;
  }[] = [];
  for (const sa of context.objects.ofKind('ServiceAccount')) {
    const annotations = obj(obj(sa.object.metadata).annotations);
    const role = context.role(roleNameOf(str(annotations['eks.amazonaws.com/role-arn'])));
    assumers.push({
      o: sa,
      role,
      audience: str(annotations['eks.amazonaws.com/audience']) ?? DEFAULT_AUDIENCE,
      path: "$.metadata.annotations['eks.amazonaws.com/role-arn']",
    });
  }
  for (const run of context.objects.ofKind('JobRun')) {
    const role = context.role(roleNameOf(str(obj(run.object.spec).executionRoleARN)));
    assumers.push({ o: run, role, audience: DEFAULT_AUDIENCE, path: '$.spec.executionRoleARN' });
  }
  const reported = new Set<string>();
  for (const { o, role, audience, path } of assumers) {
    if (role === undefined) continue;
    const audiences = trustedAudiences(role);
    if (audiences === undefined || audiences.some((a) => iamLike(a, audience))) continue;
    const key = `${role.id}\0${o.namespace ?? ''}\0${o.kind}`;
    if (reported.has(key)) continue;
    reported.add(key);
    sink.report(
      o.file,
      path,
      'system.iam-trust-audience',
      `${named(o)} assumes role ${String(role.body.name)} with a token for audience ${audience}, but the role's trust (${address(role)}) admits only aud ${audiences.join(', ')}, so STS refuses it; set the trust's :aud condition to ${audience}`,
    );
  }
}

/** Service accounts by namespace: rendered ones and those the Helm releases create. */
function serviceAccounts(
  context: SystemContext,
  namespaces: ReadonlySet<string>,
): Map<string, Map<string, string>> {
  const found = new Map<string, Map<string, string>>();
  const add = (namespace: string, name: string, by: string): void => {
    const names = found.get(namespace) ?? new Map<string, string>();
    if (!names.has(name)) names.set(name, by);
    found.set(namespace, names);
  };
  for (const sa of context.objects.ofKind('ServiceAccount')) add(sa.namespace ?? '', sa.name, named(sa));
  for (const release of context.terraform('helm_release')) {
    const namespace = str(release.body.namespace) ?? 'default';
    if (!namespaces.has(namespace)) continue;
    for (const parsed of context.helmValues(release)) {
      if (parsed.error !== undefined) continue;
      const walk = (node: unknown): void => {
        if (!isObject(node)) return;
        for (const [key, value] of Object.entries(node)) {
          if (
            key === 'serviceAccount' &&
            isObject(value) &&
            typeof value.name === 'string' &&
            value.create !== false
          )
            add(namespace, value.name, `helm_release ${release.id} (chart ${String(release.body.chart)})`);
          walk(value);
        }
      };
      walk(parsed.value);
    }
  }
  return found;
}

function checkPodIdentity(sink: FindingSink, context: SystemContext): void {
  const associations = context.terraform('aws_eks_pod_identity_association');
  if (associations.length === 0) return;
  const accounts = serviceAccounts(context, new Set(associations.map((a) => str(a.body.namespace) ?? '')));
  for (const association of associations) {
    const namespace = str(association.body.namespace) ?? '';
    const account = str(association.body.service_account) ?? '';
    const known = accounts.get(namespace);
    if (known !== undefined && !known.has(account)) {
      sink.report(
        association.file,
        `${association.path}.service_account`,
        'system.iam-pod-identity-account',
        `${address(association)} gives service account ${namespace}/${account} its role, but nothing creates that service account in ${namespace} (there: ${[...known].map(([n, by]) => `${n} from ${by}`).join(', ')}), so the pods run without AWS credentials; name the service account the chart creates`,
      );
    }
    const role =
      context.referenced(association.body.role_arn) ??
      context.role(roleNameOf(str(association.body.role_arn)));
    if (role === undefined) continue;
    for (const statement of policyStatements(role.body.assume_role_policy)) {
      for (const [operator, condition] of Object.entries(statement.Condition ?? {})) {
        if (!operator.startsWith('String')) continue;
        for (const [key, expected, actual] of [
          [
            'aws:RequestTag/kubernetes-namespace',
            condition['aws:RequestTag/kubernetes-namespace'],
            namespace,
          ],
          [
            'aws:RequestTag/kubernetes-service-account',
            condition['aws:RequestTag/kubernetes-service-account'],
            account,
          ],
        ] as const) {
          if (expected === undefined || list(expected).some((e) => iamLike(e, actual))) continue;
          sink.report(
            association.file,
            association.path,
            'system.iam-pod-identity-trust',
            `${address(association)} hands role ${String(role.body.name)} to ${namespace}/${account}, but the role's trust (${address(role)}) requires ${key} ${list(expected).join(', ')}, so EKS Pod Identity cannot assume it; make the trust condition and the association name the same ${key.endsWith('namespace') ? 'namespace' : 'service account'}`,
          );
        }
      }
    }
  }
}

/** Whether every condition of a statement holds for the ordinary request (missing keys: false). */
function conditionsHold(statement: Statement): boolean {
  for (const [rawOperator, condition] of Object.entries(statement.Condition ?? {})) {
    const ifExists = rawOperator.endsWith('IfExists');
    const operator = rawOperator.replace(/IfExists$/, '').replace(/^ForAnyValue:|^ForAllValues:/, '');
    for (const [rawKey, expected] of Object.entries(condition)) {
      const actual = ORDINARY_REQUEST[rawKey.toLowerCase()];
      const values = list(expected);
      if (actual === undefined) {
        if (ifExists || (operator === 'Null' && values.includes('true'))) continue;
        return false;
      }
      const number = Number(actual);
      const holds = ((): boolean => {
        switch (operator) {
          case 'Bool':
            return values.some((v) => v.toLowerCase() === actual);
          case 'StringEquals':
          case 'StringEqualsIgnoreCase':
            return values.some((v) => v.toLowerCase() === actual.toLowerCase());
          case 'StringNotEquals':
          case 'StringNotEqualsIgnoreCase':
            return values.every((v) => v.toLowerCase() !== actual.toLowerCase());
          case 'StringLike':
            return values.some((v) => iamLike(v, actual));
          case 'StringNotLike':
            return values.every((v) => !iamLike(v, actual));
          case 'NumericEquals':
            return values.some((v) => Number(v) === number);
          case 'NumericNotEquals':
            return values.every((v) => Number(v) !== number);
          case 'NumericLessThan':
            return values.some((v) => number < Number(v));
          case 'NumericLessThanEquals':
            return values.some((v) => number <= Number(v));
          case 'NumericGreaterThan':
            return values.some((v) => number > Number(v));
          case 'NumericGreaterThanEquals':
            return values.some((v) => number >= Number(v));
          case 'Null':
            return values.includes('false');
          default:
            return false;
        }
      })();
      if (!holds) return false;
    }
  }
  return true;
}

/** The S3 ARNs a bucket policy's `${aws_s3_bucket.x.arn}` resources stand for. */
function concreteResources(context: SystemContext, resources: readonly string[]): string[] {
  return resources.map((r) =>
    r.replace(/\$\{aws_s3_bucket\.([^.}]+)\.arn\}/g, (whole, id: string) => {
      const bucket = context.terraform('aws_s3_bucket').find((b) => b.id === id);
      const name = str(bucket?.body.bucket);
      return name !== undefined ? `arn:aws:s3:::${name}` : whole;
    }),
  );
}

function checkResourceDenies(
  sink: FindingSink,
  context: SystemContext,
  docs: readonly PolicyDocument[],
): void {
  type Allow = { doc: PolicyDocument; action: string; resource: string };
  let allowed: Allow[] | undefined;
  // Built only when a Deny holds for an ordinary request (never, on a sound platform).
  const allows = (): Allow[] =>
    (allowed ??= docs
      .filter((d) => d.resource.type === 'aws_iam_role_policy' || d.resource.type === 'aws_iam_policy')
      .flatMap((doc) =>
        doc.statements
          .filter((x) => x.Effect === 'Allow')
          .flatMap((x) =>
            list(x.Action).flatMap((action) =>
              list(x.Resource).map((resource) => ({ doc, action, resource })),
            ),
          ),
      ));
  for (const doc of docs.filter(
    (d) => d.resource.type === 'aws_s3_bucket_policy' || d.resource.type === 'aws_sqs_queue_policy',
  )) {
    doc.statements.forEach((statement, i) => {
      if (statement.Effect !== 'Deny' || !conditionsHold(statement)) return;
      const denied = list(statement.Action);
      const resources = concreteResources(context, list(statement.Resource));
      const hit = allows().find(
        (a) =>
          denied.some(
            (d) =>
              iamLike(d.toLowerCase(), a.action.toLowerCase()) ||
              iamLike(a.action.toLowerCase(), d.toLowerCase()),
          ) && resources.some((r) => iamLike(r, a.resource) || iamLike(a.resource, r)),
      );
      if (hit === undefined) return;
      sink.report(
        doc.resource.file,
        `${doc.resource.path}.policy.Statement[${i}]`,
        'system.iam-resource-deny',
        `${doc.what} (${address(doc.resource)}) statement ${statement.Sid ?? i} denies ${denied.join(', ')} even to an ordinary request over TLS 1.2 (its conditions ${JSON.stringify(statement.Condition ?? {})} hold for it), which ${hit.doc.what} (${address(hit.doc.resource)}) allows (${hit.action} on ${hit.resource}); the deny must match only what it means to refuse (e.g. Bool aws:SecureTransport "false", NumericLessThan s3:TlsVersion 1.2)`,
      );
    });
  }
}

export const iam: SystemModel = {
  name: 'iam',
  check(sink, context) {
    if (!context.hasTerraform) return;
    const docs = documents(context);
    checkActions(sink, docs);
    checkAudiences(sink, context);
    checkPodIdentity(sink, context);
    checkResourceDenies(sink, context, docs);
  },
};
