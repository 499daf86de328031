import { indexKey, type ApplyStep, type Change, type Entry, type Index } from './model';
import { isKeptAfterRemoval, movedTargets } from './terraform-entries';

/**
 * A merge deploys Kubernetes only: Argo CD syncs `dist/<env>/k8s` and `dist/<env>/argocd`, and
 * nobody applies Terraform but a person. When a change touches a stack, the review ends with
 * the applies it needs, in order, and whether before or after the merge:
 *
 * - **Before the merge**, what the merged manifests will use must exist when Argo CD syncs
 *   them: a new team's bucket and roles (`teams`) before its upload Job runs; ACK's PassRole on
 *   its execution role, YuniKorn and Prometheus watching its namespace (`addons`) before its
 *   JobRuns start. Stacks in dependency order, `base` → `teams` → `addons` (the later ones read
 *   the earlier ones through data sources).
 * - **After the merge**, once Argo CD has pruned the objects that use them, what a stack
 *   destroys: a retired team's roles and bucket go only when its namespace, JobRuns and
 *   virtual cluster are gone. Stacks in reverse order, `addons` → `teams` → `base`, so no stack
 *   reads what an earlier step destroyed.
 *
 * A stack that only creates goes before; one that only destroys goes after; one that does
 * both goes before, with a note (split the pull request when what it destroys is still used).
 * A stack that only updates follows the environment: after when the environment's stacks only
 * destroy (a retirement), else before.
 */

/** Dependency order of the stacks; a stack this list does not know comes last, by name. */
const STACK_ORDER = ['base', 'teams', 'addons'];

interface StackCounts {
  env: string;
  stack: string;
  creates: number;
  updates: number;
  destroys: number;
}

const stackOf = (change: Change): string | undefined => /^terraform\/(.+)$/.exec(change.app)?.[1];

/** Resources created, updated and destroyed per environment and stack, in report order. */
function countStacks(changes: readonly Change[], before: Index, after: Index): StackCounts[] {
  const stacks = new Map<string, StackCounts>();
  const blocksOf = new Map<string, Entry[]>();
  for (const entry of after.values()) {
    const key = `${entry.env}|${entry.app}`;
    const blocks = blocksOf.get(key) ?? [];
    blocks.push(entry);
    blocksOf.set(key, blocks);
  }
  const moved = new Map([...blocksOf].map(([key, blocks]) => [key, movedTargets(blocks)]));
  for (const change of changes) {
    const stack = stackOf(change);
    if (stack === undefined) continue;
    const key = `${change.env}|${stack}`;
    const counts = stacks.get(key) ?? { env: change.env, stack, creates: 0, updates: 0, destroys: 0 };
    stacks.set(key, counts);
    const block = (before.get(indexKey(change)) ?? after.get(indexKey(change)))?.block;
    if (block !== 'resource') {
      counts.updates++;
      continue;
    }
    const stackBlocks = blocksOf.get(`${change.env}|${change.app}`) ?? [];
    const movedHere = moved.get(`${change.env}|${change.app}`)?.has(change.name) === true;
    if (change.action === 'added' && !movedHere) counts.creates++;
    else if (change.action === 'removed' && !isKeptAfterRemoval(change.name, stackBlocks)) counts.destroys++;
    else if (change.action !== 'removed') counts.updates++;
  }
  return [...stacks.values()];
}

const rank = (stack: string): number => {
  const index = STACK_ORDER.indexOf(stack);
  return index < 0 ? STACK_ORDER.length : index;
};
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What each stack holds, as the subject of the step's sentence. */
const STACK_HOLDS: Readonly<Record<string, string>> = {
  base: 'the cluster, its network and the shared services',
  teams: "the teams' buckets, roles and log groups",
  addons:
    "the controllers and their permissions (ACK's PassRole on the team roles, Pod Identity, the namespaces YuniKorn and Prometheus watch)",
};

function why(counts: StackCounts, when: ApplyStep['when']): string {
  const holds = STACK_HOLDS[counts.stack] ?? `what the ${counts.stack} stack holds`;
  if (when === 'after') return `once Argo CD has pruned the objects that use ${holds} as they are now`;
  const note =
    counts.destroys > 0
      ? `; it also destroys ${counts.destroys}: apply it now only if nothing running uses that, else split the pull request (the additions first, the removals in a second one applied after its merge)`
      : '';
  return `${holds} must be in place before Argo CD syncs the merged manifests that use them${note}`;
}

/** The Terraform applies a change needs: before the merge in stack order, then after it in reverse. */
export function applyChecklist(changes: readonly Change[], before: Index, after: Index): ApplyStep[] {
  const stacks = countStacks(changes, before, after);
  const retiring = new Set(
    [...new Set(stacks.map((s) => s.env))].filter((env) => {
      const own = stacks.filter((s) => s.env === env);
      return own.some((s) => s.destroys > 0) && own.every((s) => s.creates === 0);
    }),
  );
  const steps = stacks.map((counts): ApplyStep => {
    const when: ApplyStep['when'] =
      counts.creates > 0
        ? 'before'
        : counts.destroys > 0
          ? 'after'
          : retiring.has(counts.env)
            ? 'after'
            : 'before';
    return { ...counts, when, why: why(counts, when) };
  });
  const beforeMerge = steps
    .filter((s) => s.when === 'before')
    .sort((a, b) => order(a.env, b.env) || rank(a.stack) - rank(b.stack) || order(a.stack, b.stack));
  const afterMerge = steps
    .filter((s) => s.when === 'after')
    .sort((a, b) => order(a.env, b.env) || rank(b.stack) - rank(a.stack) || order(a.stack, b.stack));
  return [...beforeMerge, ...afterMerge];
}
