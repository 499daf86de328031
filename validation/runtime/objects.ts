import { asObject as obj, asString as str, type Json } from '../../lib/json';

/**
 * The rendered objects of one environment as the runtime models see them: which Argo CD
 * application syncs each one (from its path, the dist/ contract `<env>/k8s/<app>/…`, or
 * `<env>/argocd/…` for the root application), in which sync wave, and lookups by kind and name.
 */

/** The app name of objects under `<env>/argocd/`: what the root Application syncs. */
export const ROOT_APP = '(root)';

/** Argo CD's sync-wave annotation; objects without it are in wave 0. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** Argo CD's resource hook annotation (comma-separated hook types). */
export const HOOK = 'argocd.argoproj.io/hook';

/**
 * When in a sync operation Argo CD applies an object: the phases run in this order, and waves
 * order the objects inside a phase, hooks and plain resources alike (gitops-engine sorts sync
 * tasks by phase, then wave). `none` is an object a sync never applies here: a `Skip` hook, or
 * one that runs only when a sync fails or the app is deleted.
 */
export const OPERATION_PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type OperationPhase = (typeof OPERATION_PHASES)[number] | 'none';

/** One object with where it comes from and when Argo CD applies it. */
export interface RuntimeObject {
  readonly file: string;
  readonly object: Json;
  readonly kind: string;
  /** API group (`''` for core). */
  readonly group: string;
  readonly name: string;
  /** `undefined` for cluster-scoped objects. */
  readonly namespace: string | undefined;
  /** The Argo CD application folder, {@link ROOT_APP}, or `''` outside the dist/ layout. */
  readonly app: string;
  readonly wave: number;
  /** The hook types it declares (`Sync`, `PreSync`, …); empty for a plain resource. */
  readonly hook: readonly string[];
  /** Its phase: `Sync` for a plain resource, a hook's earliest phase, `none` if never applied. */
  readonly phase: OperationPhase;
}

/** Where an object sits in a sync: `[phase, wave]`, to compare lexicographically. */
function stage(o: RuntimeObject): [number, number] {
  return [OPERATION_PHASES.indexOf(o.phase as (typeof OPERATION_PHASES)[number]), o.wave];
}

/** Negative when `a` is applied before `b` in one sync, 0 in the same step, positive after. */
export function compareStage(a: RuntimeObject, b: RuntimeObject): number {
  const [pa, wa] = stage(a);
  const [pb, wb] = stage(b);
  return pa !== pb ? pa - pb : wa - wb;
}

/** `wave 9`, or `Sync hook, wave 9` for a hook: where an object runs, for messages. */
export function stageLabel(o: RuntimeObject): string {
  return o.hook.length === 0 ? `wave ${o.wave}` : `${o.phase} hook, wave ${o.wave}`;
}

/** `Kind namespace/name` (or `Kind name`) for messages. */
export function describe(o: RuntimeObject): string {
  return `${o.kind} ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name}`;
}

function appOf(file: string): string {
  const k8s = /(?:^|\/)k8s\/([^/]+)\//.exec(file);
  if (k8s?.[1] !== undefined) return k8s[1];
  return /(?:^|\/)argocd\//.test(file) ? ROOT_APP : '';
}

function hookOf(object: Json): string[] {
  const raw = obj(obj(object.metadata).annotations)[HOOK];
  return typeof raw === 'string'
    ? raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

function phaseOf(hook: readonly string[]): OperationPhase {
  if (hook.length === 0) return 'Sync';
  if (hook.includes('Skip')) return 'none';
  return OPERATION_PHASES.find((p) => hook.includes(p)) ?? 'none';
}

function waveOf(object: Json): number {
  const raw = obj(obj(object.metadata).annotations)[SYNC_WAVE];
  const wave = typeof raw === 'string' ? Number(raw) : 0;
  return Number.isInteger(wave) ? wave : 0;
}

/** The rendered set, indexed. */
export class RuntimeObjects {
  readonly all: readonly RuntimeObject[];
  private readonly byKind = new Map<string, RuntimeObject[]>();
  /** Objects by kind and namespace, and the first object of each kind, namespace and name. */
  private readonly byNamespace = new Map<string, RuntimeObject[]>();
  private readonly byName = new Map<string, RuntimeObject>();

  constructor(located: readonly { readonly file: string; readonly object: Json }[]) {
    this.all = located.map(({ file, object }) => {
      const apiVersion = str(object.apiVersion) ?? '';
      const metadata = obj(object.metadata);
      const hook = hookOf(object);
      return {
        file,
        object,
        kind: str(object.kind) ?? '',
        group: apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '',
        name: str(metadata.name) ?? '',
        namespace: str(metadata.namespace),
        app: appOf(file),
        wave: waveOf(object),
        hook,
        phase: phaseOf(hook),
      };
    });
    for (const o of this.all) {
      listed(this.byKind, o.kind).push(o);
      listed(this.byNamespace, inNamespace(o.kind, o.namespace)).push(o);
      const named = `${inNamespace(o.kind, o.namespace)}\0${o.name}`;
      if (!this.byName.has(named)) this.byName.set(named, o);
    }
  }

  /** Every object of a kind (optionally in one namespace). */
  ofKind(kind: string, namespace?: string): readonly RuntimeObject[] {
    if (namespace === undefined) return this.byKind.get(kind) ?? [];
    return this.byNamespace.get(inNamespace(kind, namespace)) ?? [];
  }

  /** The object of a kind with this name (and namespace, for namespaced kinds). */
  find(kind: string, name: string | undefined, namespace?: string): RuntimeObject | undefined {
    // Every object has a name (`''` at the least), so no object matches an undefined one.
    return name === undefined ? undefined : this.byName.get(`${inNamespace(kind, namespace)}\0${name}`);
  }
}

/** The index key of a kind in a namespace (`undefined`: cluster-scoped, apart from any name). */
function inNamespace(kind: string, namespace: string | undefined): string {
  return namespace === undefined ? `${kind}\0-` : `${kind}\0+${namespace}`;
}

/** The list under `key`, created empty the first time. */
function listed<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}
