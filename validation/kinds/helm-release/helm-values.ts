import Ajv from 'ajv';

/**
 * Helm values against a chart's own defaults (`values.yaml`) and, where the chart has one, its
 * `values.schema.json`. Helm ignores a values key no template reads, so a typo (`nodeSelecter`,
 * `serviceAcount`) installs the chart with its defaults and nothing fails; this model catches it.
 *
 * The model: a key path we set must exist in the chart's defaults, except below a map the chart
 * leaves open:
 * - a default that is an empty map `{}` (the chart passes it through: `resources: {}`,
 *   `podAnnotations: {}`) or `null` (any value);
 * - a key whose name is a free-form Kubernetes map in every chart ({@link OPEN_MAP_KEYS}:
 *   `nodeSelector`, labels, annotations, `extraArgs`, …), even when its default holds entries;
 * - a path the chart documents as open in its own comments, or the section of a subchart whose
 *   defaults are not at hand, listed per chart by the caller with the reason (`openPaths`:
 *   `configs.cm` of argo-cd, `projects` of argocd-apps, `kube-state-metrics` of
 *   kube-prometheus-stack, …).
 * A key the chart's templates read but whose `values.yaml` only shows it commented out
 * (`# priorityClassName: …`) is accepted when the caller lists it in `documentedPaths`; nothing
 * below it is checked.
 * Lists are not descended (their items are whatever the chart's template passes on). A map where
 * the chart has a scalar or a list, or the other way round, is a type error. The merged values
 * (defaults, then ours; `null` deletes a key) must satisfy the chart's JSON schema, as `helm
 * install` checks.
 *
 * Rule ids: `helm.values-unknown-key`, `helm.values-type`, `helm.values-schema`.
 */

/** Keys that hold free-form maps (Kubernetes labels, selectors, flags) wherever they appear. */
export const OPEN_MAP_KEYS: ReadonlySet<string> = new Set([
  'nodeSelector',
  'labels',
  'annotations',
  'podLabels',
  'podAnnotations',
  'commonLabels',
  'extraArgs',
  'extraTags',
  'resources',
]);

export type HelmValuesRule = 'helm.values-unknown-key' | 'helm.values-type' | 'helm.values-schema';

/** One problem with a release's values. */
export interface HelmValuesFinding {
  /** Dotted path of the key (`controller.nodeSelecter`). */
  readonly path: string;
  readonly rule: HelmValuesRule;
  readonly message: string;
}

/** A chart's reference files, as the checks need them. */
export interface ChartDefaults {
  /** `<chart>@<version>` for messages. */
  readonly name: string;
  /** The chart's `values.yaml`, parsed. */
  readonly defaults: unknown;
  /** The chart's `values.schema.json`, parsed, when it has one. */
  readonly schema?: object;
  /** Dotted paths below which the chart takes any keys, each documented by the caller. */
  readonly openPaths?: readonly string[];
  /** Dotted paths the chart reads though `values.yaml` has them only in a comment. */
  readonly documentedPaths?: readonly string[];
}

type Tree = Record<string, unknown>;

const isMap = (value: unknown): value is Tree =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `a ${typeof value}`;
}

/** Every finding for `values` against one chart's defaults and schema. */
export function checkHelmValues(values: Tree, chart: ChartDefaults): HelmValuesFinding[] {
  const findings: HelmValuesFinding[] = [];
  const open = new Set(chart.openPaths ?? []);
  const documented = new Set(chart.documentedPaths ?? []);
  const walk = (ours: unknown, theirs: unknown, path: readonly string[]): void => {
    const at = path.join('.');
    if (theirs === null || theirs === undefined) return; // open type, or reported by the caller
    if (isMap(ours)) {
      if (!isMap(theirs)) {
        findings.push({
          path: at,
          rule: 'helm.values-type',
          message: `${at} is a map here, but ${chart.name} has ${kind(theirs)} there`,
        });
        return;
      }
      const last = path.at(-1);
      if (Object.keys(theirs).length === 0 || open.has(at) || (last !== undefined && OPEN_MAP_KEYS.has(last)))
        return;
      for (const [key, value] of Object.entries(ours)) {
        const child = [...path, key];
        if (!(key in theirs)) {
          if (documented.has(child.join('.'))) continue;
          const known = Object.keys(theirs).sort();
          const near = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? closest(key, known);
          findings.push({
            path: child.join('.'),
            rule: 'helm.values-unknown-key',
            message: `${child.join('.')} is not a value of ${chart.name} (Helm would ignore it)${near === undefined ? '' : `; did you mean ${[...path, near].join('.')}?`}`,
          });
          continue;
        }
        walk(value, theirs[key], child);
      }
      return;
    }
    if (isMap(theirs) && Object.keys(theirs).length > 0 && ours !== null) {
      findings.push({
        path: at,
        rule: 'helm.values-type',
        message: `${at} is ${kind(ours)} here, but ${chart.name} has a map there`,
      });
    } else if (Array.isArray(theirs) && ours !== null && !Array.isArray(ours)) {
      findings.push({
        path: at,
        rule: 'helm.values-type',
        message: `${at} is ${kind(ours)} here, but ${chart.name} has a list there`,
      });
    }
  };
  walk(values, isMap(chart.defaults) ? chart.defaults : {}, []);
  if (chart.schema !== undefined) findings.push(...schemaFindings(values, chart));
  return findings;
}

/** Helm's merge: maps merge key by key, anything else replaces, `null` removes the key. */
export function mergeValues(defaults: unknown, overrides: unknown): unknown {
  if (!isMap(defaults) || !isMap(overrides)) return overrides === undefined ? defaults : overrides;
  const merged: Tree = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(defaults[key], value);
  }
  return merged;
}

function schemaFindings(values: Tree, chart: ChartDefaults): HelmValuesFinding[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Charts name the draft-07 meta-schema by its https URL, which ajv registers under http://.
  const schema: Tree = { ...(chart.schema ?? {}) };
  delete schema.$schema;
  const validate = ajv.compile(schema);
  if (validate(mergeValues(chart.defaults, values))) return [];
  return (validate.errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean).join('.') || '(root)';
    return {
      path,
      rule: 'helm.values-schema' as const,
      message: `${path} ${error.message ?? 'is invalid'} (${chart.name} values.schema.json)`,
    };
  });
}

/** The known key within edit distance 2 of `key`, if exactly one is that close. */
function closest(key: string, known: readonly string[]): string | undefined {
  const near = known.filter((candidate) => distance(key, candidate) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
