import { quantityValue as quantity } from '../lib/kubernetes-formats';
import { asObject, isObject } from '../lib/json';
import { jobRunEstimate } from './compute-estimate';
import { eksUpgradeProblem, replacementReason } from './destructive';
import { parseDocument } from './embedded';
import { isPolicyDocument, policyWidenings, publicGrants } from './iam';
import { indexKey, subjectOf, type Change, type Index, type Severity, type Warning } from './model';
import { cronJobWarnings, launcherConfigWarnings, templateEstimate } from './schedules';
import { isKeptAfterRemoval } from './terraform-entries';
import type { FieldChange } from './value-diff';

/** Context for the rules: both sides, and a way to raise a warning about a change. */
interface Rules {
  readonly before: Index;
  readonly after: Index;
  /** `env|name` of each IAM role this change creates. */
  readonly createdRoles: ReadonlySet<string>;
  /** Raises a warning; `destructive` unless said otherwise. */
  readonly warn: (change: Change, reason: string, severity?: Severity) => void;
  /** When the review runs (UTC ms): next run times of schedules count from it. */
  readonly now: number;
}

/** Every warning for a set of changes (see docs/review-and-day2.md for the list). */
export function warningsFor(
  changes: readonly Change[],
  before: Index,
  after: Index,
  now: number = Date.now(),
): Warning[] {
  const warnings: Warning[] = [];
  const rules: Rules = {
    before,
    after,
    now,
    createdRoles: createdRoles(changes, after),
    warn: (change, reason, severity = 'destructive') =>
      warnings.push({ env: change.env, app: change.app, subject: subjectOf(change), reason, severity }),
  };
  for (const change of changes) {
    if (change.app.startsWith('terraform/')) terraformRules(change, rules);
    else kubernetesRules(change, rules);
  }
  return warnings;
}

/**
 * An added or replaced JobRun gets a notice of the compute it reserves (`compute-estimate.ts`).
 * A JobRun edited in place fails the sync (destructive). A replaced one is its job running
 * again (`rerun`), unless pruning the old one cancels a run still going (destructive); a
 * removed one is a retired job, destructive only when its run is cancelled.
 */
function jobRunRules(change: Change, { before, after, warn }: Rules): void {
  if (change.action === 'added' || change.action === 'replaced') {
    const estimate = jobRunEstimate(after.get(indexKey(change))?.value, change.env, after);
    if (estimate !== undefined) warn(change, estimate, 'notice');
  }
  if (change.action === 'changed') {
    if (change.fields.some((f) => f.path.startsWith('.spec')))
      warn(
        change,
        'JobRun spec edited in place: every JobRun spec field is immutable, so the sync would fail (rename the job run: change the job or bump `rerun`)',
      );
    return;
  }
  if (change.action === 'added') return;
  const old = before.get(indexKey({ ...change, name: change.previous ?? change.name }));
  const retained =
    asObject(asObject(asObject(old?.value).metadata).annotations)['services.k8s.aws/deletion-policy'] ===
    'retain';
  if (change.action === 'replaced') {
    if (retained)
      warn(
        change,
        'runs again: the new JobRun starts on sync; a run of the old one still going keeps running in EMR (deletion policy retain)',
        'rerun',
      );
    else
      warn(
        change,
        'runs again, and pruning the old JobRun CANCELS its run if it is still going (no retain deletion policy)',
      );
  } else if (retained)
    warn(
      change,
      'JobRun removed (job retired): a running job keeps running in EMR (deletion policy retain); only the Kubernetes object goes',
      'notice',
    );
  else
    warn(
      change,
      'JobRun removed: pruning it CANCELS the job if it is still running (no retain deletion policy)',
    );
}

const NODE_POOL_REPLACING = [
  '.spec.template.spec.requirements',
  '.spec.template.spec.taints',
  '.spec.template.spec.nodeClassRef',
  '.spec.template.metadata.labels',
  '.spec.template.spec.expireAfter',
];
const NODE_CLASS_REPLACING = [
  '.spec.role',
  '.spec.instanceProfile',
  '.spec.amiSelectorTerms',
  '.spec.subnetSelectorTerms',
  '.spec.securityGroupSelectorTerms',
  '.spec.blockDeviceMappings',
  '.spec.metadataOptions',
  '.spec.userData',
  '.spec.instanceStorePolicy',
  '.spec.kubelet',
  '.spec.tags',
];
const under = (path: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
/** A value as it reads in a sentence: strings bare, anything else as JSON. */
const plain = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const paths = (fields: readonly FieldChange[]): string =>
  [...new Set(fields.map((f) => f.path.slice(1)))].join(', ');

function kubernetesRules(change: Change, rules: Rules): void {
  const { before, warn } = rules;
  if (change.kind === 'JobRun') {
    jobRunRules(change, rules);
  } else if (change.kind === 'NodePool' && change.action === 'changed') {
    const replacing = change.fields.filter((f) => under(f.path, NODE_POOL_REPLACING));
    if (replacing.length > 0) warn(change, `nodes will be replaced (drift): ${paths(replacing)} changed`);
    for (const field of change.fields.filter((f) => f.path.startsWith('.spec.limits.'))) {
      const oldLimit = quantity(field.before);
      const newLimit = quantity(field.after);
      const lowered =
        field.after !== undefined &&
        (oldLimit === undefined || (newLimit !== undefined && newLimit < oldLimit));
      if (lowered)
        warn(
          change,
          `${field.path.slice(1)} lowered ${plain(field.before)} → ${plain(field.after)}: if the pool already uses more, Karpenter launches no new nodes until usage drops`,
        );
    }
  } else if (change.kind === 'EC2NodeClass' && change.action === 'changed') {
    const replacing = change.fields.filter((f) => under(f.path, NODE_CLASS_REPLACING));
    if (replacing.length > 0) warn(change, `nodes will be replaced (drift): ${paths(replacing)} changed`);
  } else if ((change.kind === 'NodePool' || change.kind === 'EC2NodeClass') && change.action === 'removed') {
    warn(
      change,
      `${change.kind} removed: Karpenter drains and terminates its nodes (running Spark pods on them are evicted)`,
    );
  } else if (change.kind === 'CronJob') {
    cronJobWarnings(change, before, rules.after, warn, rules.now);
  } else if (change.kind === 'ConfigMap' && change.action !== 'removed') {
    spotDriverRule(change, rules);
    launcherConfigWarnings(change, rules.after, warn);
    templateEstimate(change, rules.after, warn);
  } else if (change.kind === 'AppProject' && change.action === 'changed') {
    const widened = change.fields.filter(
      (f) =>
        /^\.spec\.(destinations|sourceRepos|clusterResourceWhitelist|namespaceResourceWhitelist)/.test(
          f.path,
        ) && f.after !== undefined,
    );
    const narrowed = change.fields.filter(
      (f) =>
        /^\.spec\.(clusterResourceBlacklist|namespaceResourceBlacklist)/.test(f.path) &&
        f.before !== undefined,
    );
    if (widened.length + narrowed.length > 0)
      warn(change, `AppProject permissions widened: ${paths([...widened, ...narrowed])}`);
  }
}

const CAPACITY_TYPE = 'karpenter.sh/capacity-type';

/** Driver pod templates (`<pool>-<storage>-driver.yaml`) of a ConfigMap, parsed. */
function driverTemplates(configMap: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const [key, text] of Object.entries(asObject(asObject(configMap).data))) {
    if (!key.endsWith('-driver.yaml') || typeof text !== 'string') continue;
    const pod = asObject(parseDocument(text, 'yaml'));
    if (pod.kind === 'Pod') found.set(key, pod);
  }
  return found;
}

/** NodePools of `env` that a pod with `selector` may land on and that launch Spot capacity. */
function spotPools(after: Index, env: string, selector: Record<string, unknown>): string[] {
  return [...after.values()]
    .filter((entry) => entry.env === env && entry.kind === 'NodePool')
    .filter((entry) => {
      const template = asObject(asObject(asObject(entry.value).spec).template);
      const labels = asObject(asObject(template.metadata).labels);
      const requirements = Array.isArray(asObject(template.spec).requirements)
        ? (asObject(template.spec).requirements as unknown[]).map(asObject)
        : [];
      const capacity = requirements.find((r) => r.key === CAPACITY_TYPE && r.operator === 'In');
      const matches = Object.entries(selector).every(
        ([key, value]) => key === CAPACITY_TYPE || labels[key] === value,
      );
      return matches && Array.isArray(capacity?.values) && capacity.values.includes('spot');
    })
    .map((entry) => entry.name);
}

/**
 * A driver template that newly lets drivers land on Spot (a pool set `driverOnDemand: false`):
 * a reclaimed driver fails the whole job, so the reviewer should see the choice.
 */
function spotDriverRule(change: Change, { before, after, warn }: Rules): void {
  const old = driverTemplates(before.get(indexKey(change))?.value);
  for (const [key, pod] of driverTemplates(after.get(indexKey(change))?.value)) {
    const selector = asObject(asObject(pod.spec).nodeSelector);
    if (selector[CAPACITY_TYPE] === 'on-demand') continue;
    const previous = old.get(key);
    if (
      previous !== undefined &&
      asObject(asObject(previous.spec).nodeSelector)[CAPACITY_TYPE] !== 'on-demand'
    )
      continue;
    const pools = spotPools(after, change.env, selector);
    if (pools.length > 0)
      warn(
        change,
        `driver template ${key} lets drivers run on Spot capacity of NodePool ${pools.join(', ')}: a Spot interruption of a driver fails its whole job; keep driverOnDemand: true on the pool unless its jobs may simply be rerun`,
        'notice',
      );
  }
}

function terraformRules(change: Change, rules: Rules): void {
  const { before, after, warn } = rules;
  const old = before.get(indexKey(change))?.value;
  const current = after.get(indexKey(change))?.value;
  const block = (before.get(indexKey(change)) ?? after.get(indexKey(change)))?.block;
  if (block === 'terraform') return terraformSettingsRules(change, old, current, warn);
  if (block === 'provider') {
    if (change.action === 'changed')
      warn(
        change,
        `provider configuration changed (${topLevel(change.fields)}): Terraform re-plans every resource of this stack with it; a region or account change points the stack at other infrastructure`,
      );
    else if (change.action === 'removed')
      warn(
        change,
        'provider removed: resources of this stack still in state need it to be planned or destroyed',
      );
    return;
  }
  if (block !== 'resource') return;
  if (change.action === 'removed') {
    const fate = destroyFate(change, rules);
    if (fate !== undefined) warn(change, fate);
    return;
  }
  if (change.action === 'changed') {
    const reason = replacementReason(change.kind, change.fields);
    if (reason !== undefined)
      warn(change, `Terraform will replace this resource (destroy, then create): ${reason}`);
    const upgrade = change.kind === 'aws_eks_cluster' ? eksUpgradeProblem(change.fields) : undefined;
    if (upgrade !== undefined) warn(change, upgrade);
  }
  const oldDocs = policyDocuments(old);
  for (const [path, document] of policyDocuments(current)) {
    const previous = oldDocs.get(path);
    if (change.action === 'changed' && JSON.stringify(previous) !== JSON.stringify(document))
      policyChangeRules(change, path, previous, document, rules);
    if (change.action === 'added')
      for (const finding of publicGrants(document)) warn(change, `IAM policy (${path.slice(1)}): ${finding}`);
  }
  if (change.action === 'added') existingRoleRules(change, asObject(current), rules);
}

/** The IAM roles a change creates, as `env|name`. */
function createdRoles(changes: readonly Change[], after: Index): Set<string> {
  const names = new Set<string>();
  for (const change of changes) {
    if (change.action !== 'added' || change.kind !== 'aws_iam_role') continue;
    const name = asObject(after.get(indexKey(change))?.value).name;
    if (typeof name === 'string') names.add(`${change.env}|${name}`);
  }
  return names;
}

/** The role name of an IAM role ARN (`arn:aws:iam::<account>:role/<path/>name`), else undefined. */
const roleName = (arn: string): string | undefined =>
  /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];

/** A policy document without the resources `drop` picks (statements kept, their lists shortened). */
function withoutResources(document: unknown, drop: (resource: string) => boolean): unknown {
  const copy = structuredClone(document);
  const statements = asObject(copy).Statement;
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const object = asObject(statement);
    const resource = object.Resource;
    if (typeof resource === 'string' && drop(resource)) object.Resource = [];
    else if (Array.isArray(resource))
      object.Resource = resource.filter((item) => typeof item !== 'string' || !drop(item));
  }
  return copy;
}

/**
 * A changed policy document: what it widens is destructive, except grants on IAM roles the same
 * change creates (a new team's execution role in ACK's PassRole): that role did not exist, so
 * nothing that was possible before becomes possible; its own policy is reviewed in this change.
 */
function policyChangeRules(
  change: Change,
  path: string,
  previous: unknown,
  document: unknown,
  { createdRoles: created, warn }: Rules,
): void {
  const isNewRole = (resource: string): boolean => {
    const name = roleName(resource);
    return name !== undefined && created.has(`${change.env}|${name}`);
  };
  const all = policyWidenings(previous, document);
  const beyondNewRoles = policyWidenings(previous, withoutResources(document, isNewRole));
  for (const finding of beyondNewRoles) warn(change, `IAM policy widened (${path.slice(1)}): ${finding}`);
  if (all.join('\n') === beyondNewRoles.join('\n')) return;
  const roles = [...new Set([...JSON.stringify(document).matchAll(/"(arn:[^"]+)"/g)].map((m) => m[1] ?? ''))]
    .filter((arn) => isNewRole(arn) && !JSON.stringify(previous).includes(`"${arn}"`))
    .map((arn) => roleName(arn) ?? arn);
  warn(
    change,
    `IAM policy (${path.slice(1)}) now also covers ${roles.join(', ')}, created by this change: review that role's own policy`,
    'notice',
  );
}

/** Why a removed resource is destroyed, or undefined when a `moved` or `removed` block keeps it. */
function destroyFate(change: Change, { after }: Rules): string | undefined {
  const stackBlocks = [...after.values()].filter((e) => e.env === change.env && e.app === change.app);
  return isKeptAfterRemoval(change.name, stackBlocks) ? undefined : 'Terraform will destroy this resource';
}

/** New IAM resources that give an identity that already exists more (a role, via a policy or a service account). */
function existingRoleRules(change: Change, value: Record<string, unknown>, { before, warn }: Rules): void {
  const existingRole = (reference: unknown): string | undefined => {
    if (typeof reference !== 'string') return undefined;
    const match = /^\$\{aws_iam_role\.([\w-]+)\.(name|id|arn)\}$/.exec(reference);
    const address = match ? `aws_iam_role.${match[1]}` : undefined;
    if (address !== undefined)
      return before.has(indexKey({ ...change, kind: 'aws_iam_role', name: address })) ? address : undefined;
    const named = [...before.values()].find(
      (e) => e.env === change.env && e.kind === 'aws_iam_role' && asObject(e.value).name === reference,
    );
    return named?.name;
  };
  if (change.kind === 'aws_iam_role_policy') {
    const role = existingRole(value.role);
    const document = parsePolicy(value.policy);
    if (role !== undefined && document !== undefined)
      for (const finding of policyWidenings(undefined, document))
        warn(change, `new inline policy on existing role ${role}: ${finding}`);
  } else if (change.kind === 'aws_iam_role_policy_attachment') {
    const role = existingRole(value.role);
    if (role !== undefined)
      warn(change, `managed policy ${String(value.policy_arn)} attached to existing role ${role}`);
  } else if (change.kind === 'aws_eks_pod_identity_association') {
    const role = existingRole(value.role_arn);
    if (role !== undefined)
      warn(
        change,
        `service account ${String(value.namespace)}/${String(value.service_account)} can now assume existing role ${role}`,
      );
  }
}

const parsePolicy = (value: unknown): unknown => {
  if (typeof value !== 'string' || !/^\s*\{/.test(value)) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return isPolicyDocument(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** The IAM policy documents held in string arguments of a Terraform block, by argument path. */
function policyDocuments(
  value: unknown,
  path = '',
  depth = 0,
  found = new Map<string, unknown>(),
): Map<string, unknown> {
  if (depth > 8) return found;
  if (typeof value === 'string') {
    const document = parsePolicy(value);
    if (document !== undefined) found.set(path, document);
  } else if (Array.isArray(value))
    value.forEach((item, i) => policyDocuments(item, `${path}[${i}]`, depth + 1, found));
  else if (isObject(value))
    for (const [key, item] of Object.entries(value))
      policyDocuments(item, `${path}.${key}`, depth + 1, found);
  return found;
}

const topLevel = (fields: readonly FieldChange[]): string =>
  [...new Set(fields.map((f) => /^\.([^.[]+)/.exec(f.path)?.[1] ?? f.path))].join(', ');

/** `aws` and `hashicorp/aws` are the same provider: `registry.terraform.io/hashicorp/aws`. */
function providerAddress(source: unknown): string {
  const parts = String(source).toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0] ?? ''}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return parts.join('/');
}

/** Backend arguments that say where the state is: changing one moves it. */
const STATE_LOCATION = new Set([
  'bucket',
  'key',
  'region',
  'workspace_key_prefix',
  'endpoint',
  'endpoints',
  'path',
  'workspace_dir',
  'prefix',
  'container_name',
  'storage_account_name',
  'organization',
  'workspaces',
  'hostname',
]);

/** `terraform {}`: provider versions and sources, the state backend. */
function terraformSettingsRules(
  change: Change,
  old: unknown,
  current: unknown,
  warn: (change: Change, reason: string) => void,
): void {
  if (change.action !== 'changed') return;
  const providers = (value: unknown) => asObject(asObject(value).required_providers);
  const oldProviders = providers(old);
  for (const [name, requirement] of Object.entries(providers(current))) {
    const previous = asObject(oldProviders[name]);
    const next = asObject(requirement);
    if (oldProviders[name] === undefined) continue;
    if (previous.version !== next.version)
      warn(
        change,
        `provider ${name} ${String(previous.version)} → ${String(next.version)}: run terraform init -upgrade; Terraform re-plans every resource of this stack with the new provider (read its changelog first)`,
      );
    if (providerAddress(previous.source) !== providerAddress(next.source))
      warn(
        change,
        `provider ${name} source ${String(previous.source)} → ${String(next.source)}: a different provider; run terraform init -upgrade and terraform state replace-provider for the resources in state`,
      );
  }
  const backend = (value: unknown): [string | undefined, Record<string, unknown>] => {
    const [type, settings] = Object.entries(asObject(asObject(value).backend))[0] ?? [];
    return [type, asObject(settings)];
  };
  const [oldType, oldSettings] = backend(old);
  const [newType, newSettings] = backend(current);
  if (JSON.stringify([oldType, oldSettings]) === JSON.stringify([newType, newSettings])) return;
  const keys = [...new Set([...Object.keys(oldSettings), ...Object.keys(newSettings)])]
    .filter((key) => JSON.stringify(oldSettings[key]) !== JSON.stringify(newSettings[key]))
    .sort();
  const moves = oldType !== newType || keys.some((key) => STATE_LOCATION.has(key));
  const what =
    oldType !== newType
      ? `${oldType ?? 'none'} → ${newType ?? 'none'}`
      : `${newType ?? 'none'}: ${keys.join(', ')}`;
  warn(
    change,
    moves
      ? `state backend moves (${what}): run terraform init -migrate-state before the next plan, or Terraform finds no state there and plans to create every resource again`
      : `state backend settings changed (${what}): run terraform init -reconfigure before the next plan`,
  );
}
