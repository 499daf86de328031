import { charts } from '../config/versions';

/**
 * The reference files of each pinned Helm chart (`../shared/reference/charts/`, see its
 * SOURCES.md) and what each chart leaves open: read by `npm run schemas`, which derives
 * `validation/system/data/chart-values.json` for the validator, and by the Helm values
 * conformance test, which also checks the charts' JSON schemas.
 */

/** Where each chart's reference files are, and what the pin is checked against. */
export interface Reference {
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

export const REFERENCES: Readonly<Record<string, Reference>> = {
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
