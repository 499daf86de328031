import { InputFileError, parseYamlInput } from '../lib/structured-input';
import { asObject } from '../lib/json';
import type { FileTree } from '../lib/file-tree';
import { applyChecklist } from './apply-checklist';
import { indexKey, indexOf, type Change, type DiffReport, type Entry } from './model';
import { summarizePodTemplates } from './pod-templates';
import { pairReplacements, shareContentDiffs } from './replacements';
import { terraformEntries } from './terraform-entries';
import { valueDiff } from './value-diff';
import { groupTeamWarnings } from './warning-groups';
import { warningsFor } from './warnings';

export type { ApplyStep, Change, DiffReport, Entries, Entry, Severity, Warning } from './model';
export { isDestructive, subjectOf } from './model';

const K8S = /^([^/]+)\/(k8s\/([^/]+)|argocd)\//;
const TERRAFORM = /^([^/]+)\/terraform\/([^/]+)\/cdk\.tf\.json$/;

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
  now: number = Date.now(),
): DiffReport {
  const before = entries(base, labels.base);
  const after = entries(head, labels.head);
  const beforeIndex = indexOf(before);
  const afterIndex = indexOf(after);
  const raw: Change[] = [];
  const pick = (entry: Entry) => ({ env: entry.env, app: entry.app, kind: entry.kind, name: entry.name });
  for (const [key, entry] of after) {
    const old = before.get(key);
    if (old === undefined) raw.push({ ...pick(entry), action: 'added', fields: [] });
    else {
      const fields = valueDiff(old.value, entry.value, { kind: entry.kind });
      if (fields.length > 0) raw.push({ ...pick(entry), action: 'changed', fields });
    }
  }
  for (const [key, entry] of before)
    if (!after.has(key)) raw.push({ ...pick(entry), action: 'removed', fields: [] });
  const changes = pairReplacements(raw, beforeIndex, afterIndex).map((change) =>
    summarizePodTemplates(
      change,
      beforeIndex.get(indexKey({ ...change, name: change.previous ?? change.name }))?.value,
      afterIndex.get(indexKey(change))?.value,
    ),
  );
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
  const sorted = shareContentDiffs(changes);
  return {
    changes: sorted,
    warnings: groupTeamWarnings(
      warningsFor(sorted, beforeIndex, afterIndex, now),
      teamNames([before, after]),
    ),
    apply: applyChecklist(sorted, beforeIndex, afterIndex),
  };
}

/** The teams of both trees: each has its Argo CD app folder `team-<name>`. */
function teamNames(trees: readonly ReadonlyMap<string, Entry>[]): string[] {
  const names = new Set<string>();
  for (const tree of trees)
    for (const entry of tree.values()) {
      const team = /^team-(.+)$/.exec(entry.app)?.[1];
      if (team !== undefined) names.add(team);
    }
  return [...names];
}
