import { load } from 'js-yaml';
import type { FileTree } from '../validation/sources';
import { replacementReason } from './destructive';
import { valueDiff, type FieldChange } from './value-diff';
import { quantityValue as quantity } from '../validation/formats';
import { asObject as obj, type Json } from '../validation/json';

/** Added, removed or changed: one Kubernetes object or one Terraform resource. */
export interface Change {
  readonly env: string;
  /** Argo CD application folder, or `terraform/<stack>`. */
  readonly app: string;
  /** Kubernetes kind, or Terraform resource type. */
  readonly kind: string;
  /** `namespace/name`, `name` (cluster-scoped), or the Terraform address. */
  readonly name: string;
  readonly action: 'added' | 'removed' | 'changed';
  readonly fields: readonly FieldChange[];
}

/** A change that destroys, replaces, fails or widens something, with the reason. */
export interface Warning {
  readonly env: string;
  readonly subject: string;
  readonly reason: string;
}

export interface DiffReport {
  readonly changes: readonly Change[];
  readonly warnings: readonly Warning[];
}

interface Entry {
  readonly env: string;
  readonly app: string;
  readonly kind: string;
  readonly name: string;
  readonly value: Json;
}

const K8S = /^([^/]+)\/(k8s\/([^/]+)|argocd)\//;
const TERRAFORM = /^([^/]+)\/terraform\/([^/]+)\/cdk\.tf\.json$/;

/** Every object and resource in a dist/ tree, keyed by identity (not by file path). */
function entries(tree: FileTree): Map<string, Entry> {
  const result = new Map<string, Entry>();
  for (const [path, text] of tree) {
    const tf = TERRAFORM.exec(path);
    if (tf) {
      const [, env = '', stack = ''] = tf;
      const resources = obj(obj(JSON.parse(text) as unknown).resource);
      for (const [type, byName] of Object.entries(resources)) {
        for (const [name, value] of Object.entries(obj(byName))) {
          result.set(`${env}|tf|${stack}|${type}.${name}`, {
            env,
            app: `terraform/${stack}`,
            kind: type,
            name: `${type}.${name}`,
            value: obj(value),
          });
        }
      }
      continue;
    }
    const k8s = K8S.exec(path);
    if (!k8s || !path.endsWith('.yaml')) continue;
    const [, env = '', , app = 'argocd'] = k8s;
    const object = obj(load(text));
    const metadata = obj(object.metadata);
    const name =
      typeof metadata.namespace === 'string'
        ? `${metadata.namespace}/${String(metadata.name)}`
        : String(metadata.name);
    const kind = String(object.kind);
    result.set(`${env}|k8s|${String(object.apiVersion)}|${kind}|${name}`, {
      env,
      app,
      kind,
      name,
      value: object,
    });
  }
  return result;
}

/** Compares two dist/ trees (base = the PR's target, head = this branch's render). */
export function diffTrees(base: FileTree, head: FileTree): DiffReport {
  const before = entries(base);
  const after = entries(head);
  const changes: Change[] = [];
  for (const [key, entry] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push({ ...pick(entry), action: 'added', fields: [] });
    else {
      const fields = valueDiff(old.value, entry.value);
      if (fields.length > 0) changes.push({ ...pick(entry), action: 'changed', fields });
    }
  }
  for (const [key, entry] of before)
    if (!after.has(key)) changes.push({ ...pick(entry), action: 'removed', fields: [] });
  changes.sort((a, b) =>
    `${a.env}|${a.app}|${a.kind}|${a.name}`.localeCompare(`${b.env}|${b.app}|${b.kind}|${b.name}`),
  );
  return { changes, warnings: warningsFor(changes, before) };
}

function pick(entry: Entry) {
  return { env: entry.env, app: entry.app, kind: entry.kind, name: entry.name };
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

function warningsFor(changes: readonly Change[], before: Map<string, Entry>): Warning[] {
  const warnings: Warning[] = [];
  const warn = (change: Change, reason: string) =>
    warnings.push({ env: change.env, subject: `${change.kind} ${change.name}`, reason });
  const added = changes.filter((c) => c.action === 'added');
  for (const change of changes) {
    if (change.kind === 'JobRun') {
      const retained = (entry: Entry | undefined) =>
        obj(obj(entry?.value.metadata).annotations)['services.k8s.aws/deletion-policy'] === 'retain';
      const old = [...before.values()].find(
        (e) => e.kind === 'JobRun' && e.name === change.name && e.env === change.env,
      );
      if (change.action === 'changed' && change.fields.some((f) => f.path.startsWith('.spec'))) {
        warn(
          change,
          'JobRun spec edited in place: every JobRun spec field is immutable, so the sync would fail (rename the job run: change the job or bump `rerun`)',
        );
      } else if (change.action === 'removed') {
        const replacement = added.find(
          (a) => a.kind === 'JobRun' && a.env === change.env && jobOf(a.name) === jobOf(change.name),
        );
        const fate = retained(old)
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
      if (replacing.length > 0)
        warn(
          change,
          `nodes will be replaced (drift): ${replacing.map((f) => f.path.slice(1)).join(', ')} changed`,
        );
      for (const field of change.fields.filter((f) => f.path.startsWith('.spec.limits.'))) {
        const oldLimit = quantity(field.before);
        const newLimit = quantity(field.after);
        if (
          field.after === undefined
            ? false
            : oldLimit === undefined || (newLimit !== undefined && newLimit < oldLimit)
        ) {
          warn(
            change,
            `${field.path.slice(1)} lowered ${String(field.before)} → ${String(field.after)}: if the pool already uses more, Karpenter launches no new nodes until usage drops`,
          );
        }
      }
    } else if (change.kind === 'EC2NodeClass' && change.action === 'changed') {
      const replacing = change.fields.filter((f) => under(f.path, NODE_CLASS_REPLACING));
      if (replacing.length > 0)
        warn(
          change,
          `nodes will be replaced (drift): ${replacing.map((f) => f.path.slice(1)).join(', ')} changed`,
        );
    } else if (
      (change.kind === 'NodePool' || change.kind === 'EC2NodeClass') &&
      change.action === 'removed'
    ) {
      warn(
        change,
        `${change.kind} removed: Karpenter drains and terminates its nodes (running Spark pods on them are evicted)`,
      );
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
      if (widened.length + narrowed.length > 0) {
        warn(
          change,
          `AppProject permissions widened: ${[...widened, ...narrowed].map((f) => f.path.slice(1)).join(', ')}`,
        );
      }
    } else if (change.app.startsWith('terraform/')) {
      if (change.action === 'removed') warn(change, 'Terraform will destroy this resource');
      else if (change.action === 'changed') {
        const reason = replacementReason(change.kind, change.fields);
        if (reason !== undefined)
          warn(change, `Terraform will replace this resource (destroy, then create): ${reason}`);
      }
    }
  }
  return warnings;
}
