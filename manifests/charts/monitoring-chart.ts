import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeConfigMap } from '../imports/k8s';
import type { Environment } from '../../config';
import { DASHBOARDS, GRAFANA_DASHBOARD_LABEL, GRAFANA_DASHBOARD_LABEL_VALUE } from '../dashboards/dashboards';
import { MONITORING_NAMESPACE } from '../names';

/** Props for {@link MonitoringChart}. */
export interface MonitoringChartProps {
  readonly env: Environment;
}

/** Name of the ConfigMap that holds the platform's dashboards. */
export const DASHBOARDS_CONFIG_MAP = 'grafana-dashboards-emr-eks';

/**
 * App `monitoring` (with the `prometheus` add-on): the platform's Grafana dashboards as one
 * ConfigMap in kube-prometheus-stack's namespace, labelled for the chart's Grafana sidecar, which
 * loads them without a restart. The dashboards are committed JSON (`manifests/dashboards/`),
 * written here with sorted keys, so a change diffs line by line.
 */
export class MonitoringChart extends Chart {
  constructor(scope: Construct, id: string, _props: MonitoringChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new KubeConfigMap(this, 'dashboards', {
      metadata: {
        name: DASHBOARDS_CONFIG_MAP,
        namespace: MONITORING_NAMESPACE,
        labels: { [GRAFANA_DASHBOARD_LABEL]: GRAFANA_DASHBOARD_LABEL_VALUE },
      },
      data: Object.fromEntries(
        Object.entries(DASHBOARDS).map(([file, dashboard]) => [
          file,
          `${JSON.stringify(dashboard, null, 2)}\n`,
        ]),
      ),
    });
  }
}
