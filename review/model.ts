import type { FieldChange } from './value-diff';

/**
 * The shapes of a dist/ review, shared by the comparison (`diff.ts`), its rules (`warnings.ts`,
 * `replacements.ts`, `apply-checklist.ts`) and the reports. This module imports nothing at run
 * time, so the rules and the comparison never import each other.
 */

/**
 * Added, removed, changed, or replaced: one Kubernetes object or one Terraform block. A
 * content-addressed object (`<job>-<8 hex>`) whose name changed with its content is one
 * `replaced` change: the old and the new object of the same job, compared field by field.
 */
export interface Change {
  readonly env: string;
  /** Argo CD application folder, or `terraform/<stack>`. */
  readonly app: string;
  /** Kubernetes kind; Terraform resource type, `data.<type>`, or the block (`provider`, `terraform`, …). */
  readonly kind: string;
  /** `namespace/name`, `name` (cluster-scoped), or the Terraform address; the new name when replaced. */
  readonly name: string;
  /** For `replaced`: the name of the object it replaces. */
  readonly previous?: string;
  readonly action: 'added' | 'removed' | 'changed' | 'replaced';
  readonly fields: readonly FieldChange[];
}

/**
 * How a warning weighs on the merge. `destructive`: it destroys, replaces infrastructure,
 * cancels work, fails the sync, moves state or widens access; `--fail-on destructive` fails on
 * it until a reviewer adds the `allow-destructive` label. `rerun`: a job runs again (a changed
 * or rerun job); `notice`: worth reading, nothing is destroyed (a retired job whose run is
 * retained). Neither of the last two fails the gate.
 */
export type Severity = 'destructive' | 'rerun' | 'notice';

/** A consequence of a change a reviewer must read, with the reason. */
export interface Warning {
  readonly env: string;
  readonly app: string;
  /** `Kind namespace/name` or the Terraform address; with `<team>` where `teams` fills it in. */
  readonly subject: string;
  readonly reason: string;
  readonly severity: Severity;
  /** One warning that repeated for each of these teams (in `app`, `subject` and `reason` as `<team>`). */
  readonly teams?: readonly string[];
}

/** One `terraform apply` the pull request needs, in the order of the list it is in. */
export interface ApplyStep {
  readonly env: string;
  /** `base`, `teams` or `addons`. */
  readonly stack: string;
  /** `before`: before merging (what the merged manifests use must exist); `after`: once Argo CD pruned. */
  readonly when: 'before' | 'after';
  /**
   * Terraform resources created, updated (in place, replaced or moved) and destroyed; a changed
   * block that is not a resource (an output, a provider, the settings) counts as an update.
   */
  readonly creates: number;
  readonly updates: number;
  readonly destroys: number;
  /** Why this step and its timing, in one sentence. */
  readonly why: string;
}

export interface DiffReport {
  readonly changes: readonly Change[];
  readonly warnings: readonly Warning[];
  /** The Terraform applies the change needs, in order; empty when it touches no stack. */
  readonly apply: readonly ApplyStep[];
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

/** Entries by `env|app|kind|name`: the identity a Change carries. */
export type Index = ReadonlyMap<string, Entry>;
export const indexKey = (item: {
  readonly env: string;
  readonly app: string;
  readonly kind: string;
  readonly name: string;
}): string => `${item.env}|${item.app}|${item.kind}|${item.name}`;
export const indexOf = (entries: Entries): Index =>
  new Map([...entries.values()].map((entry) => [indexKey(entry), entry]));

/** The label of a change or entry in reports: Terraform addresses alone, `Kind name` otherwise. */
export const subjectOf = (item: {
  readonly app: string;
  readonly kind: string;
  readonly name: string;
  readonly previous?: string;
}): string => {
  const name = item.previous === undefined ? item.name : `${item.previous} → ${item.name}`;
  return item.app.startsWith('terraform/') ? name : `${item.kind} ${name}`;
};

/** The apps a warning is about: its own, or one per team it repeated for. */
export const warningApps = (warning: Warning): readonly string[] =>
  warning.teams === undefined
    ? [warning.app]
    : warning.teams.map((team) => warning.app.split('<team>').join(team));

/** Whether `--fail-on destructive` fails on this report. */
export const isDestructive = (report: DiffReport): boolean =>
  report.warnings.some((warning) => warning.severity === 'destructive');
