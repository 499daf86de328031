import { asObject } from '../lib/json';
import { parseDocument } from './embedded';
import type { Change } from './model';
import type { FieldChange } from './value-diff';

/**
 * A team's Spark pod templates live in one ConfigMap, one entry per node pool × storage ×
 * role. A node pool added to a team adds four of them at once; listed leaf by leaf that is
 * some sixty lines nobody reads. Entries that appear or disappear whole are summed up per
 * node pool instead (`+ 4 pod templates for spark-general-purpose`); an entry that changes
 * keeps its field-by-field diff.
 */

/** The label a pod template carries with the node pool it is for. */
const NODE_POOL_LABEL = 'emr-eks-gitops/node-pool';

/** The node pool of a ConfigMap entry that is a pod template, else undefined. */
function templatePool(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const document = asObject(parseDocument(text, 'yaml'));
  if (document.kind !== 'Pod') return undefined;
  const pool = asObject(asObject(document.metadata).labels)[NODE_POOL_LABEL];
  return typeof pool === 'string' ? pool : undefined;
}

/** `.data['spark-x-nvme-driver.yaml']` → the entry key. */
const entryOf = (path: string): string | undefined => /^\.data\['([^']+)'\]/.exec(path)?.[1];

/** Summary lines for whole pod templates added (`+`) or removed (`-`), one per node pool. */
function summaries(sign: '+' | '-', pools: readonly string[]): FieldChange[] {
  const counts = new Map<string, number>();
  for (const pool of pools) counts.set(pool, (counts.get(pool) ?? 0) + 1);
  return [...counts].map(([pool, count]) => ({
    path: '.data',
    before: undefined,
    after: undefined,
    summary: `${sign} ${count} pod template${count === 1 ? '' : 's'} for ${pool}`,
  }));
}

/** The entries of a ConfigMap that are pod templates, by key, with their node pool. */
function templates(value: unknown): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, text] of Object.entries(asObject(asObject(value).data))) {
    if (!/\.ya?ml$/.test(key)) continue;
    const pool = templatePool(text);
    if (pool !== undefined) found.set(key, pool);
  }
  return found;
}

/**
 * A ConfigMap change with its whole pod templates summed up per node pool: for a changed
 * ConfigMap, entries added or removed whole; for an added or removed one, all of them.
 */
export function summarizePodTemplates(change: Change, before: unknown, after: unknown): Change {
  if (change.kind !== 'ConfigMap' || change.action === 'replaced') return change;
  const old = templates(before);
  const current = templates(after);
  if (old.size === 0 && current.size === 0) return change;
  if (change.action === 'added') return { ...change, fields: summaries('+', [...current.values()]) };
  if (change.action === 'removed') return { ...change, fields: summaries('-', [...old.values()]) };
  const addedKeys = [...current.keys()].filter((key) => !old.has(key));
  const removedKeys = [...old.keys()].filter((key) => !current.has(key));
  const whole = new Set([...addedKeys, ...removedKeys]);
  if (whole.size === 0) return change;
  const kept = change.fields.filter((field) => !whole.has(entryOf(field.path) ?? ''));
  return {
    ...change,
    fields: [
      ...summaries(
        '+',
        addedKeys.map((key) => current.get(key) ?? ''),
      ),
      ...summaries(
        '-',
        removedKeys.map((key) => old.get(key) ?? ''),
      ),
      ...kept,
    ],
  };
}
