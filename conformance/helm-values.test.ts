import { existsSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { versions, type Environment } from '../config';
import { charts } from '../config/versions';
import { checkHelmValues, type ChartDefaults } from '../validation/kinds/helm-release/helm-values';
import { environment, resourcesOfType, synthStacks } from '../test/helpers/terraform';
import { referenceText, referenceYaml } from './reference';
import { sharedPath } from './shared';
import { REFERENCES, type Reference } from '../scripts/chart-references';

/**
 * The values our typed Helm constructs render (`helm_release.values` of the addons stack, every
 * add-on on) against each pinned chart's `values.yaml` and `values.schema.json` in
 * `../shared/reference/charts/` (see its SOURCES.md). Two pins are held there only at an earlier
 * version, and are checked against that: argo-cd 10.3.3 (reference 10.1.1, Argo CD v3.4.4) and
 * yunikorn 1.9.0 (reference 1.8.0 and the later master the 1.9.0 release is cut from).
 */

/** Every add-on on, FSx dynamic volumes included: the widest addons stack the config can produce. */
function everything(): Environment {
  const env = environment();
  return {
    ...env,
    addons: Object.fromEntries(Object.keys(env.addons).map((key) => [key, true])) as Environment['addons'],
    storage: { ...env.storage, fsx: { ...env.storage.fsx, dynamic: { enabled: true } } },
  };
}

interface Rendered {
  readonly address: string;
  readonly chart: string;
  readonly values: Record<string, unknown>;
}

const releases: Rendered[] = Object.entries(
  resourcesOfType(synthStacks(everything()).addons!, 'helm_release'),
).map(([address, release]) => {
  const documents = (release.values as string[] | undefined) ?? [];
  return {
    address,
    chart: `${String(release.chart)}@${String(release.version)}`,
    values: (documents[0] === undefined ? {} : load(documents[0])) as Record<string, unknown>,
  };
});

function chartDefaults(folder: string, reference: Reference): ChartDefaults {
  const schemaFile = `reference/charts/${folder}/values.schema.json`;
  return {
    name: folder.replace('/', '@'),
    defaults: referenceYaml('reference', 'charts', folder, 'values.yaml'),
    schema: existsSync(sharedPath(schemaFile))
      ? (JSON.parse(referenceText(schemaFile)) as object)
      : undefined,
    openPaths: Object.keys(reference.openPaths ?? {}),
    documentedPaths: Object.keys(reference.documented ?? {}),
  };
}

describe('Helm values match the pinned charts', () => {
  it('renders a release for every reference chart', () => {
    expect(releases.map((r) => r.chart).sort()).toEqual(Object.keys(REFERENCES).sort());
  });

  it.each(releases.map((r) => [r.address, r] as const))(
    '%s sets only values its chart has',
    (_address, release) => {
      const reference = REFERENCES[release.chart];
      expect(reference, `no reference files for ${release.chart}`).toBeDefined();
      for (const folder of reference?.folders ?? []) {
        expect(checkHelmValues(release.values, chartDefaults(folder, reference!)), folder).toEqual([]);
      }
    },
  );

  it.each(
    Object.entries(REFERENCES).flatMap(([pin, r]) =>
      Object.entries(r.documented ?? {}).flatMap(([path, line]) =>
        r.folders.map((f) => [pin, path, f, line] as const),
      ),
    ),
  )('%s reads %s, shown in %s values.yaml only as a comment', (_pin, _path, folder, line) => {
    expect(referenceText('reference', 'charts', folder, 'values.yaml')).toContain(line);
  });

  it('holds the exact chart version for every pin but the two documented gaps', () => {
    for (const [pin, reference] of Object.entries(REFERENCES)) {
      const version = pin.split('@')[1];
      const exact = reference.folders.some((folder) => folder.split('/').includes(version ?? ''));
      expect(exact, pin).toBe(reference.nearest === undefined);
    }
    expect(
      Object.entries(REFERENCES)
        .filter(([, r]) => r.nearest !== undefined)
        .map(([pin]) => pin),
    ).toEqual([`yunikorn@${versions.yunikorn}`, `argo-cd@${charts.argocd.version}`]);
  });

  it('catches a values typo against the real chart (helm.values-unknown-key)', () => {
    const karpenter = releases.find((r) => r.address === 'karpenter')!;
    const typo = { ...karpenter.values, nodeSelecter: karpenter.values.nodeSelector };
    expect(checkHelmValues(typo, chartDefaults('karpenter/1.14.1', REFERENCES[karpenter.chart]!))).toEqual([
      {
        path: 'nodeSelecter',
        rule: 'helm.values-unknown-key',
        message:
          'nodeSelecter is not a value of karpenter@1.14.1 (Helm would ignore it); did you mean nodeSelector?',
      },
    ]);
  });

  it('catches a value the emrcontainers chart schema refuses (helm.values-schema)', () => {
    const ack = releases.find((r) => r.address === 'ack-emrcontainers')!;
    const broken = { ...ack.values, installScope: 'everywhere' };
    expect(
      checkHelmValues(broken, chartDefaults('emrcontainers-chart/1.4.1', REFERENCES[ack.chart]!)).map(
        (f) => f.rule,
      ),
    ).toContain('helm.values-schema');
  });
});
