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
 * (or the reverse) `helm.values-type`. The data is keyed by chart, so a version bump is checked
 * against the reference values the chart's entry names; a chart it does not hold is
 * `system.helm-chart-unknown`.
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
      const chart = pinned.get(String(release.body.chart));
      if (chart === undefined) {
        sink.report(
          release.file,
          `${release.path}.version`,
          'system.helm-chart-unknown',
          `${address(release)} installs chart ${pin}, whose values validation/system/data/chart-values.json does not hold (it holds ${[...pinned.keys()].join(', ')}); add the chart's reference to scripts/chart-references.ts and run npm run schemas`,
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
          const name = `${chart.checkedAgainst[i] ?? pin} (the reference values ${pin} is checked against)`;
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
