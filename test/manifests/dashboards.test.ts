/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   the test reads the dashboard JSON and the parsed Helm values as untyped trees. */
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_CONFIG_MAP } from '../../manifests/charts/monitoring-chart';
import { DASHBOARDS } from '../../manifests/dashboards/dashboards';
import { SPARK_POD_LABELS } from '../../manifests/jobs/observability-properties';
import { apps, get, objectsOf } from '../helpers/manifests';
import { environment, resource, synthStacks } from '../helpers/terraform';

/**
 * The committed dashboards: provisioned through kube-prometheus-stack's Grafana sidecar, and
 * every query reads a metric (and label) the platform's scrapes actually produce.
 */

type Json = Record<string, any>;

const env = environment();
const monitoring = objectsOf(apps(env).get('monitoring'));
const stackValues = load(
  (resource(synthStacks(env).addons!, 'helm_release', 'kube-prometheus-stack').values as string[])[0]!,
) as Json;

/** Where each metric a dashboard may read comes from, as the render configures it. */
const METRIC_SOURCES: Readonly<Record<string, 'kube-state-metrics' | 'spark-executors' | 'karpenter'>> = {
  kube_pod_labels: 'kube-state-metrics',
  kube_pod_status_phase: 'kube-state-metrics',
  kube_pod_container_resource_requests: 'kube-state-metrics',
  metrics_executor_activeTasks: 'spark-executors',
  metrics_executor_failedTasks_total: 'spark-executors',
  metrics_executor_totalGCTime_seconds_total: 'spark-executors',
  metrics_executor_totalDuration_seconds_total: 'spark-executors',
  metrics_executor_totalShuffleRead_bytes_total: 'spark-executors',
  metrics_executor_totalShuffleWrite_bytes_total: 'spark-executors',
  metrics_executor_memoryUsed_bytes: 'spark-executors',
  metrics_executor_maxMemory_bytes: 'spark-executors',
  karpenter_nodepools_usage: 'karpenter',
  karpenter_nodepools_limit: 'karpenter',
  karpenter_nodes_allocatable: 'karpenter',
  karpenter_nodes_total_pod_requests: 'karpenter',
  karpenter_nodeclaims_created_total: 'karpenter',
  karpenter_nodeclaims_disrupted_total: 'karpenter',
};

const PROMQL_WORDS = new Set(['sum', 'by', 'on', 'group_left', 'count', 'increase', 'rate', 'label_values']);

/** Every query of a dashboard: panel targets and template variables. */
function queries(dashboard: Json): string[] {
  const panels = (dashboard.panels as Json[]).flatMap((p) => [
    p,
    ...((p.panels as Json[] | undefined) ?? []),
  ]);
  return [
    ...panels.flatMap((p) => ((p.targets as Json[] | undefined) ?? []).map((t) => t.expr as string)),
    ...(dashboard.templating.list as Json[]).map((v) => v.definition as string),
  ];
}

function metricNames(expr: string): string[] {
  // label_values(<selector>, <label>): the second argument is a label, not a metric.
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/,\s*\w+\)\s*$/, ')');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}').replace(/\((?:[a-z_, ]*)\)/g, '()');
  return [...withoutMatchers.matchAll(/\b([a-zA-Z_][a-zA-Z0-9_]*)\s*(?=[{(\s)]|$)/g)]
    .map((m) => m[1]!)
    .filter((word) => !PROMQL_WORDS.has(word) && /_/.test(word));
}

/** `app.kubernetes.io/name` → `label_app_kubernetes_io_name`, as kube-state-metrics names it. */
const ksmLabel = (label: string) => `label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;

describe('dashboards', () => {
  it('are provisioned as one ConfigMap the Grafana sidecar of kube-prometheus-stack loads', () => {
    const configMap = get(monitoring, `ConfigMap/${DASHBOARDS_CONFIG_MAP}`);
    expect(configMap.metadata).toMatchObject({
      namespace: 'kube-prometheus-stack',
      labels: { grafana_dashboard: '1' },
    });
    expect(Object.keys(configMap.data as object)).toEqual(Object.keys(DASHBOARDS));
    expect(stackValues.grafana).toMatchObject({
      enabled: true,
      sidecar: {
        dashboards: {
          enabled: true,
          label: 'grafana_dashboard',
          labelValue: '1',
          searchNamespace: 'kube-prometheus-stack',
        },
      },
    });
    expect(stackValues.grafana.adminPassword).toBeUndefined();
  });

  it.each(Object.entries(DASHBOARDS))('%s queries only metrics the platform scrapes', (_file, dashboard) => {
    const names = queries(dashboard as Json).flatMap(metricNames);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => METRIC_SOURCES[name] === undefined)).toEqual([]);
    // The sources exist: kube-state-metrics (chart default), the executors endpoint, Karpenter.
    const monitor = (stackValues.prometheus.additionalPodMonitors as Json[])[0]!;
    expect(monitor.podMetricsEndpoints.map((e: Json) => e.path)).toContain('/metrics/executors/prometheus/');
    expect(
      (stackValues.prometheus.prometheusSpec.additionalScrapeConfigs as Json[]).map((c) => c.job_name),
    ).toContain('karpenter');
  });

  it.each(Object.entries(DASHBOARDS))('%s groups by labels the metrics carry', (_file, dashboard) => {
    const exprs = queries(dashboard as Json);
    const ksmLabels = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\blabel_(?!values\b)[a-z_]+/g)].map((m) => m[0])),
    );
    const allowed = new Set(SPARK_POD_LABELS.map(ksmLabel));
    expect([...ksmLabels].filter((label) => !allowed.has(label))).toEqual([]);
    expect(stackValues['kube-state-metrics'].metricLabelsAllowlist).toEqual([
      `pods=[${SPARK_POD_LABELS.join(',')}]`,
    ]);
    // team, job and run on Spark metrics come from the PodMonitor's podTargetLabels.
    const monitor = (stackValues.prometheus.additionalPodMonitors as Json[])[0]!;
    expect(monitor.podTargetLabels).toEqual(expect.arrayContaining(['team', 'job', 'run']));
  });

  it.each(Object.entries(DASHBOARDS))('%s is well formed', (_file, dashboard) => {
    const d = dashboard as Json;
    const panels = d.panels as Json[];
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type !== 'row') expect(panel.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    }
    expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it('finds the metric names of a query', () => {
    expect(
      metricNames(
        'sum by (team) (rate(metrics_executor_x_total{team=~"$team"}[5m])) / on (pod) kube_pod_labels',
      ),
    ).toEqual(['metrics_executor_x_total', 'kube_pod_labels']);
  });
});
