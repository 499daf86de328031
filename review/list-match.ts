import { isObject } from '../lib/json';
import { commonSubsequence } from './lcs';

/**
 * Fields that identify an item of a list of mappings, in order of preference: containers, env,
 * volumes and queues by `name`; requirements and taints by `key`; IAM statements by `Sid`;
 * volume mounts by `mountPath`. A field identifies a list only when every item on both sides
 * has it as a string or number and no two items on one side share a value.
 */
export const IDENTITY_FIELDS = ['name', 'key', 'Sid', 'id', 'mountPath'] as const;

/** One item on either side, with the path segment that names it (`[name=driver]`, `[3]`). */
export interface ItemPair {
  readonly segment: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Identity-matched items whose relative order changed, by identity value. */
export interface Reordering {
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface ListMatch {
  /** Items present on both sides (possibly equal), then added ones, then removed ones. */
  readonly pairs: readonly ItemPair[];
  readonly reordered?: Reordering;
}

/** Above this many comparisons lists without an identity are paired by position only. */
const MAX_CELLS = 1_000_000;

/** The identity field of two lists of mappings, if they have one. */
export function identityField(before: readonly unknown[], after: readonly unknown[]): string | undefined {
  const items = [...before, ...after];
  if (items.length === 0 || !items.every(isObject)) return undefined;
  return IDENTITY_FIELDS.find((field) => {
    const identifies = (list: readonly unknown[]): boolean => {
      const seen = new Set<string>();
      for (const item of list) {
        const value = (item as Record<string, unknown>)[field];
        if (typeof value !== 'string' && typeof value !== 'number') return false;
        if (seen.has(String(value))) return false;
        seen.add(String(value));
      }
      return true;
    };
    return identifies(before) && identifies(after);
  });
}

/**
 * Pairs the items of two lists: by identity field where the items have one, so inserting an
 * item at the top shows as one added item; otherwise equal items are aligned (longest common
 * subsequence) and the rest paired by position between them. Unmatched items are added or
 * removed. Segments name items by identity (`[key=karpenter.sh/capacity-type]`), else by index
 * in the new list (in the old list for removed items).
 */
export function matchItems(before: readonly unknown[], after: readonly unknown[]): ListMatch {
  const field = identityField(before, after);
  return field === undefined ? matchByPosition(before, after) : matchByIdentity(before, after, field);
}

function matchByIdentity(before: readonly unknown[], after: readonly unknown[], field: string): ListMatch {
  const id = (item: unknown): string => String((item as Record<string, unknown>)[field]);
  const old = new Map(before.map((item) => [id(item), item]));
  const current = new Set(after.map(id));
  const pairs: ItemPair[] = after.map((item) => ({
    segment: `[${field}=${id(item)}]`,
    before: old.get(id(item)),
    after: item,
  }));
  for (const item of before)
    if (!current.has(id(item)))
      pairs.push({ segment: `[${field}=${id(item)}]`, before: item, after: undefined });
  const commonBefore = before.map(id).filter((value) => current.has(value));
  const commonAfter = after.map(id).filter((value) => old.has(value));
  const reordered = commonBefore.some((value, index) => value !== commonAfter[index])
    ? { before: commonBefore, after: commonAfter }
    : undefined;
  return reordered === undefined ? { pairs } : { pairs, reordered };
}

function matchByPosition(before: readonly unknown[], after: readonly unknown[]): ListMatch {
  const a = before.map((item) => JSON.stringify(item));
  const b = after.map((item) => JSON.stringify(item));
  const anchors = commonSubsequence(a, b, MAX_CELLS) ?? [];
  const pairs: ItemPair[] = [];
  const removed: ItemPair[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...anchors, [a.length, b.length] as const]) {
    // The gap before this anchor: pair by position, the rest is added or removed.
    for (; i < ai && j < bj; i++, j++) pairs.push({ segment: `[${j}]`, before: before[i], after: after[j] });
    for (; j < bj; j++) pairs.push({ segment: `[${j}]`, before: undefined, after: after[j] });
    for (; i < ai; i++) removed.push({ segment: `[${i}]`, before: before[i], after: undefined });
    if (ai < a.length) pairs.push({ segment: `[${bj}]`, before: before[ai], after: after[bj] });
    i = ai + 1;
    j = bj + 1;
  }
  return { pairs: [...pairs, ...removed] };
}
