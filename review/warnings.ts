import { quantityValue as quantity } from '../validation/formats';
import { asObject, isObject } from '../validation/json';
import type { Change, Entries, Entry, Warning } from './diff';
import { subjectOf } from './diff';
import { replacementReason } from './destructive';
import { parseDocument } from './embedded';
import { isPolicyDocument, policyWidenings, publicGrants } from './iam';
import type { FieldChange } from './value-diff';

/** Entries by `env|app|kind|name` (the identity a Change carries). */
type Index = ReadonlyMap<string, Entry>;
const indexKey = (item: { env: string; app: string; kind: string; name: string }) =>
  `${item.env}|${item.app}|${item.kind}|${item.name}`;
const index = (entries: Entries): Index =>
  new Map([...entries.values()].map((entry) => [indexKey(entry), entry]));

/** Context for the rules: both sides, and a way to raise a warning about a change. */
interface Rules {
  readonly before: Index;
  readonly after: Index;
  readonly changes: readonly Change[];
  readonly warn: (change: Change, reason: string) => void;
}

/** Every warning for a set of changes (see docs/review-and-day2.md for the list). */
export function warningsFor(changes: readonly Change[], before: Entries, after: Entries): Warning[] {
  const warnings: Warning[] = [];
  const rules: Rules = {
    before: index(before),
    after: index(after),
    changes,
    warn: (change, reason) =>
      warnings.push({ env: change.env, app: change.app, subject: subjectOf(change), reason }),
  };
  for (const change of changes) {
    if (change.app.startsWith('terraform/')) terraformRules(change, rules);
    else kubernetesRules(change, rules);
  }
  return warnings;
}

const jobOf = (name: string): string => name.replace(/-[0-9a-f]{8}$/, '');
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
  const { before, changes, warn } = rules;
  if (change.kind === 'JobRun') {
    const old = before.get(indexKey(change));
    const retained =
      asObject(asObject(asObject(old?.value).metadata).annotations)['services.k8s.aws/deletion-policy'] ===
      'retain';
    if (change.action === 'changed' && change.fields.some((f) => f.path.startsWith('.spec'))) {
      warn(
        change,
        'JobRun spec edited in place: every JobRun spec field is immutable, so the sync would fail (rename the job run: change the job or bump `rerun`)',
      );
    } else if (change.action === 'removed') {
      const replacement = changes.find(
        (a) =>
          a.action === 'added' &&
          a.kind === 'JobRun' &&
          a.env === change.env &&
          jobOf(a.name) === jobOf(change.name),
      );
      const fate = retained
        ? 'a running job keeps running in EMR (deletion policy retain); only the Kubernetes object goes'
        : 'pruning it CANCELS the job if it is still running (no retain deletion policy)';
      warn(
        change,
        replacement
          ? `JobRun replaced by ${replacement.name}: the new run starts on sync; ${fate}`
          : `JobRun removed: ${fate}`,
      );
    }
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
  } else if (change.kind === 'ConfigMap' && change.action !== 'removed') {
    spotDriverRule(change, rules);
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
  }
  const oldDocs = policyDocuments(old);
  for (const [path, document] of policyDocuments(current)) {
    const previous = oldDocs.get(path);
    if (change.action === 'changed' && JSON.stringify(previous) !== JSON.stringify(document))
      for (const finding of policyWidenings(previous, document))
        warn(change, `IAM policy widened (${path.slice(1)}): ${finding}`);
    if (change.action === 'added')
      for (const finding of publicGrants(document)) warn(change, `IAM policy (${path.slice(1)}): ${finding}`);
  }
  if (change.action === 'added') existingRoleRules(change, asObject(current), rules);
}

/** Why a removed resource is destroyed, or undefined when a `moved` or `removed` block keeps it. */
function destroyFate(change: Change, { after }: Rules): string | undefined {
  const stackBlocks = [...after.values()].filter((e) => e.env === change.env && e.app === change.app);
  const moved = stackBlocks.find((e) => e.block === 'moved' && asObject(e.value).from === change.name);
  if (moved !== undefined) return undefined;
  const forgotten = stackBlocks.find((e) => e.block === 'removed' && asObject(e.value).from === change.name);
  if (forgotten !== undefined) {
    const lifecycle = asObject(asObject(forgotten.value).lifecycle);
    if (lifecycle.destroy === false) return undefined;
  }
  return 'Terraform will destroy this resource';
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
