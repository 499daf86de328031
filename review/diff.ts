import { InputFileError, parseYamlInput } from '../config/input-file';
import { asObject } from '../validation/json';
import type { FileTree } from '../validation/sources';
import { terraformEntries } from './terraform-entries';
import { valueDiff, type FieldChange } from './value-diff';
import { warningsFor } from './warnings';

/** Added, removed or changed: one Kubernetes object or one Terraform block. */
export interface Change {
  readonly env: string;
  /** Argo CD application folder, or `terraform/<stack>`. */
  readonly app: string;
  /** Kubernetes kind; Terraform resource type, `data.<type>`, or the block (`provider`, `terraform`, …). */
  readonly kind: string;
  /** `namespace/name`, `name` (cluster-scoped), or the Terraform address. */
  readonly name: string;
  readonly action: 'added' | 'removed' | 'changed';
  readonly fields: readonly FieldChange[];
}

/** A change that destroys, replaces, fails, moves state or widens access, with the reason. */
export interface Warning {
  readonly env: string;
  readonly app: string;
  /** `Kind namespace/name` or the Terraform address. */
  readonly subject: string;
  readonly reason: string;
}

export interface DiffReport {
  readonly changes: readonly Change[];
  readonly warnings: readonly Warning[];
}

/** One object or Terraform block of a dist/ tree. */
export interface Entry {
  readonly env: string;
  readonly app: string;
  readonly kind: string;
  readonly name: string;
  readonly value: unknown;
  /** For Terraform: the block (`resource`, `provider`, …); undefined for Kubernetes objects. */
  readonly block?: string;
}

/** Entries keyed by identity: `env|k8s|apiVersion|kind|name` or `env|tf|stack|address`. */
export type Entries = ReadonlyMap<string, Entry>;

const K8S = /^([^/]+)\/(k8s\/([^/]+)|argocd)\//;
const TERRAFORM = /^([^/]+)\/terraform\/([^/]+)\/cdk\.tf\.json$/;

/** The label of a change or entry in reports: Terraform addresses alone, `Kind name` otherwise. */
export const subjectOf = (item: {
  readonly app: string;
  readonly kind: string;
  readonly name: string;
}): string => (item.app.startsWith('terraform/') ? item.name : `${item.kind} ${item.name}`);

/** Every object and Terraform block in a dist/ tree, keyed by identity (not by file path). */
function entries(tree: FileTree, label: string): Map<string, Entry> {
  const result = new Map<string, Entry>();
  for (const [path, text] of tree) {
    const tf = TERRAFORM.exec(path);
    if (tf) {
      const [, env = '', stack = ''] = tf;
      let json: unknown;
      try {
        json = JSON.parse(text) as unknown;
      } catch (error) {
        throw new InputFileError(
          `${path} at ${label} is not valid JSON (${(error as Error).message}): it was not written by synth; re-render that commit or compare with another --base.`,
        );
      }
      for (const entry of terraformEntries(json))
        result.set(`${env}|tf|${stack}|${entry.name}`, { ...entry, env, app: `terraform/${stack}` });
      continue;
    }
    const k8s = K8S.exec(path);
    if (!k8s || !path.endsWith('.yaml')) continue;
    const [, env = '', , app = 'argocd'] = k8s;
    const object = asObject(parseYamlInput(`${path} at ${label}`, text, 'rendered manifest').value);
    const metadata = asObject(object.metadata);
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

/** Terraform settings and providers first (they affect every resource), then by kind and name. */
const rank = (change: Change): number =>
  !change.app.startsWith('terraform/')
    ? 0
    : change.kind === 'terraform'
      ? 0
      : change.kind === 'provider'
        ? 1
        : 2;

/**
 * Compares two dist/ trees (base = the PR's target, head = this branch's render): every
 * Kubernetes object and every Terraform block, matched by identity, field by field.
 */
export function diffTrees(
  base: FileTree,
  head: FileTree,
  labels: { readonly base: string; readonly head: string } = { base: 'base', head: 'head' },
): DiffReport {
  const before = entries(base, labels.base);
  const after = entries(head, labels.head);
  const changes: Change[] = [];
  const pick = (entry: Entry) => ({ env: entry.env, app: entry.app, kind: entry.kind, name: entry.name });
  for (const [key, entry] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push({ ...pick(entry), action: 'added', fields: [] });
    else {
      const fields = valueDiff(old.value, entry.value, { kind: entry.kind });
      if (fields.length > 0) changes.push({ ...pick(entry), action: 'changed', fields });
    }
  }
  for (const [key, entry] of before)
    if (!after.has(key)) changes.push({ ...pick(entry), action: 'removed', fields: [] });
  // Code-point order (not the locale's): the same report on every machine.
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  changes.sort(
    (a, b) =>
      order(a.env, b.env) ||
      order(a.app, b.app) ||
      rank(a) - rank(b) ||
      order(a.kind, b.kind) ||
      order(a.name, b.name),
  );
  return { changes, warnings: warningsFor(changes, before, after) };
}
