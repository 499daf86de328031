import { existsSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { versions, type Environment } from '../config';
import { charts } from '../config/versions';
import { checkHelmValues, type ChartDefaults } from '../validation/kinds/helm-release/helm-values';
import { environment, resourcesOfType, synthStacks } from '../test/helpers/terraform';
import { referenceText, referenceYaml } from './reference';
import { sharedPath } from './shared';

/**
 * The values our typed Helm constructs render (`helm_release.values` of the addons stack, every
 * add-on on) against each pinned chart's `values.yaml` and `values.schema.json` in
 * `../shared/reference/charts/` (see its SOURCES.md). Two pins are held there only at an earlier
 * version, and are checked against that: argo-cd 10.3.3 (reference 10.1.1, Argo CD v3.4.4) and
 * yunikorn 1.9.0 (reference 1.8.0 and the later master the 1.9.0 release is cut from).
 */

/** Where each chart's reference files are, and what the pin is checked against. */
interface Reference {
  /** Folders under reference/charts/ holding values.yaml (each must accept our values). */
  readonly folders: readonly string[];
  /** The pin is not in the reference material: the folders hold the nearest earlier version. */
  readonly nearest?: string;
  /**
   * Dotted paths below which the chart takes any keys, each with where the chart says so. Keys
   * like nodeSelector and resources are open everywhere (OPEN_MAP_KEYS).
   */
  readonly openPaths?: Readonly<Record<string, string>>;
  /**
   * Keys the chart reads that its values.yaml shows only in a comment: path → the comment line,
   * which the test requires to be in the file (so the exception goes when the chart drops it).
   */
  readonly documented?: Readonly<Record<string, string>>;
}

const REFERENCES: Readonly<Record<string, Reference>> = {
  [`karpenter-crd@${charts.karpenterCrd.version}`]: { folders: ['karpenter/1.14.1/karpenter-crd'] },
  [`karpenter@${charts.karpenter.version}`]: { folders: ['karpenter/1.14.1'] },
  [`emrcontainers-chart@${charts.ackEmrContainers.version}`]: { folders: ['emrcontainers-chart/1.4.1'] },
  [`yunikorn@${charts.yunikorn.version}`]: {
    folders: ['yunikorn/1.8.0', 'yunikorn/master-2387b431'],
    nearest: 'yunikorn 1.9.0 is not in the snapshot: checked against 1.8.0 and the master it follows',
    openPaths: {
      // values.yaml: "yunikornDefaults: {}" becomes the yunikorn-defaults ConfigMap, key by key.
      yunikornDefaults: 'rendered key by key into the yunikorn-defaults ConfigMap',
    },
  },
  [`aws-fsx-csi-driver@${charts.fsxCsiDriver.version}`]: { folders: ['aws-fsx-csi-driver/1.17.0'] },
  [`kube-prometheus-stack@${charts.kubePrometheusStack.version}`]: {
    folders: ['kube-prometheus-stack/82.13.3'],
    openPaths: {
      // Chart.yaml: dependency kube-state-metrics; its values.yaml is not in the reference.
      'kube-state-metrics': 'values of the kube-state-metrics subchart (its own values.yaml)',
    },
  },
  [`cost-analyzer@${charts.kubecost.version}`]: {
    folders: ['cost-analyzer/2.9.7'],
    documented: {
      kubecostProductConfigs: '# kubecostProductConfigs:',
      'persistentVolume.storageClass': '# storageClass: "-" #',
    },
  },
  [`aws-for-fluent-bit@${charts.fluentBit.version}`]: {
    folders: ['aws-for-fluent-bit/0.2.0'],
    documented: { priorityClassName: '# priorityClassName: system-node-critical' },
  },
  [`cluster-autoscaler@${charts.clusterAutoscaler.version}`]: { folders: ['cluster-autoscaler/9.53.0'] },
  [`cluster-proportional-autoscaler@${charts.clusterProportionalAutoscaler.version}`]: {
    folders: ['cluster-proportional-autoscaler/1.1.0'],
  },
  [`argo-cd@${charts.argocd.version}`]: {
    folders: ['argo-cd/10.1.1'],
    nearest: 'argo-cd 10.3.3 is not in the snapshot: checked against 10.1.1 (Argo CD v3.4.4)',
    openPaths: {
      // values.yaml: "configs.cm: ... # General Argo CD configuration. Any values you put under
      // .configs.cm are passed to argocd-cm ConfigMap."
      'configs.cm': 'passed to the argocd-cm ConfigMap as its keys',
    },
  },
  [`argocd-apps@${charts.argocdApps.version}`]: {
    folders: ['argocd-apps/2.0.4'],
    openPaths: {
      // values.yaml: projects and applications are maps keyed by object name.
      projects: 'a map of AppProject names to their specs (checked by the validator against the CRD)',
      applications: 'a map of Application names to their specs (checked by the validator against the CRD)',
    },
  },
};

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
