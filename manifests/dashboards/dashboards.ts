import sparkJobsAndCapacity from './spark-jobs-and-capacity.json';

/**
 * The Grafana dashboards the platform provisions, committed as JSON beside this file (edit the
 * JSON, or export it from Grafana and commit it; `test/manifests/dashboards.test.ts` checks that
 * every query reads a metric the platform's scrapes produce). Keyed by file name: the key of the
 * dashboard ConfigMap's entry, which Grafana's sidecar loads.
 */
export const DASHBOARDS: Readonly<Record<string, unknown>> = {
  'spark-jobs-and-capacity.json': sparkJobsAndCapacity,
};

/**
 * The label kube-prometheus-stack's Grafana sidecar loads dashboard ConfigMaps by (the chart's
 * `grafana.sidecar.dashboards.label` and `labelValue`, set explicitly in the Helm values).
 */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';
export const GRAFANA_DASHBOARD_LABEL_VALUE = '1';
