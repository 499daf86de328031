import { checkHelmValues } from '../kinds/helm-release/helm-values';
import { asString as str, isObject } from '../../lib/json';
import { address, type SystemModel } from './context';
import { CHART_VALUES_FILE, pinnedChartValues } from './data';
import { knownClean, rememberClean } from './verdicts';

/**
 * Helm values against the pinned charts (class 5 of the system models), in every `validate` and
 * synth with nothing read outside the repository: each `helm_release` of the environment's
 * Terraform is looked up by `<chart>@<version>` in `validation/system/data/chart-values.json`
 * (derived from the reference charts by `npm run schemas`) and its `values` documents are checked
 * with the model of `validation/helm-values.ts`: a key path the chart's `values.yaml` does not
 * have is `helm.values-unknown-key` (Helm ignores it), a map where the chart has a scalar or list
 * (or the reverse) `helm.values-type`. A version not derived yet is checked against the nearest
 * version of the same chart; a chart of which no version is derived is `system.helm-chart-unknown`.
 * The charts' `values.schema.json` checks stay in `npm run conformance`.
 */
export const helmValues: SystemModel = {
  name: 'helm-values',
  check(sink, context) {
    const releases = context.terraform('helm_release');
    if (releases.length === 0) return;
    const inputs = releases.map((r) => [r.body.chart, r.body.version, r.body.values]);
    if (knownClean('helm-values', CHART_VALUES_FILE, inputs)) return;
    const before = sink.findings.length;
    const pinned = pinnedChartValues();
    for (const release of releases) {
      const pin = `${String(release.body.chart)}@${String(release.body.version)}`;
      // A version bump the data does not hold yet is checked against the nearest version of the
      // same chart it holds: keys rarely move between nearby versions, and a bump must not fail
      // the gate of a repository that cannot reach the chart's new values.yaml.
      const held = pinned.has(pin)
        ? pin
        : nearestHeldVersion(pinned, String(release.body.chart), String(release.body.version));
      const chart = held === undefined ? undefined : pinned.get(held);
      if (chart === undefined) {
        sink.report(
          release.file,
          `${release.path}.version`,
          'system.helm-chart-unknown',
          `${address(release)} installs chart ${pin}, of which validation/system/data/chart-values.json holds no version (it holds ${[...pinned.keys()].join(', ')}); add the chart's reference to scripts/chart-references.ts and run npm run schemas`,
        );
        continue;
      }
      context.helmValues(release).forEach((parsed, index) => {
        if (parsed.error !== undefined) {
          sink.report(
            release.file,
            `${release.path}.values[${index}]`,
            'helm.values-yaml',
            `${address(release)} values are not YAML: ${parsed.error}; fix the release's values`,
          );
          return;
        }
        const values = parsed.value;
        if (!isObject(values)) return;
        const seen = new Set<string>();
        chart.values.forEach((defaults, i) => {
          const name =
            held === pin
              ? `${chart.checkedAgainst[i] ?? pin} (the values of ${pin})`
              : `${chart.checkedAgainst[i] ?? held} (the values of ${held ?? pin}, the nearest version of the chart the repository holds; ${pin} is not derived yet)`;
          for (const finding of checkHelmValues(values, {
            name,
            defaults,
            openPaths: chart.openPaths,
            documentedPaths: chart.documentedPaths,
          })) {
            const key = `${finding.rule}\0${finding.path}`;
            if (seen.has(key)) continue;
            seen.add(key);
            sink.report(
              release.file,
              `${release.path}.values[${index}].${finding.path}`,
              finding.rule,
              `${address(release)} (namespace ${str(release.body.namespace) ?? 'default'}): ${finding.message}; fix or remove the key in the release's values`,
            );
          }
        });
      });
    }
    if (sink.findings.length === before) rememberClean('helm-values', CHART_VALUES_FILE, inputs);
  },
};

/**
 * The held `<chart>@<version>` nearest to `version`: the most leading version numbers in
 * common, then the highest. Undefined when no version of the chart is held.
 */
export function nearestHeldVersion(
  pinned: ReadonlyMap<string, unknown>,
  chart: string,
  version: string,
): string | undefined {
  const parts = (v: string) => v.split(/[.+-]/).map((p) => Number.parseInt(p, 10));
  const wanted = parts(version);
  const common = (v: number[]) => {
    let n = 0;
    while (n < v.length && n < wanted.length && v[n] === wanted[n]) n += 1;
    return n;
  };
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return 0;
  };
  const candidates = [...pinned.keys()]
    .filter((key) => key.startsWith(`${chart}@`))
    .map((key) => ({ key, version: parts(key.slice(chart.length + 1)) }));
  candidates.sort((a, b) => common(b.version) - common(a.version) || compare(b.version, a.version));
  return candidates[0]?.key;
}
