import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { ampIngestRoleName, teamNamespace, type Environment } from '../../config';
import { charts } from '../../config/versions';
import { GP3_STORAGE_CLASS, MONITORING_NAMESPACE, YUNIKORN_NAMESPACE } from '../../manifests/names';
import { CORE_NODE_SELECTOR, pinnedRelease, type HelmValues } from './helm-release';
import { KARPENTER_NAMESPACE } from './karpenter-infra';
import {
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
} from '../../manifests/dashboards/dashboards';
import { SPARK_POD_LABELS } from '../../manifests/jobs/observability-properties';
import { PodIdentityRole } from './pod-identity-role';

/** Service account of the Prometheus server (it signs remote writes with its role). */
export const PROMETHEUS_SERVICE_ACCOUNT = 'prometheus';
/** Release name; the chart names the Prometheus service `<release>-prometheus`. */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';
/** In-cluster URL of the Prometheus server (Kubecost reads from it). */
export const PROMETHEUS_URL = `http://${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;

/** The Amazon Managed Prometheus workspace Prometheus writes to. */
export interface AmpWorkspace {
  readonly arn: string;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`. */
  readonly remoteWriteUrl: string;
}

/** Props for {@link HelmKubePrometheusStack}. */
export interface HelmKubePrometheusStackProps {
  readonly env: Environment;
  /** Name of the EKS cluster (from the `aws_eks_cluster` data source). */
  readonly clusterName: string;
  /** Remote write target; without it Prometheus keeps its data locally only. */
  readonly amp?: AmpWorkspace;
}

/** One `prometheusSpec.additionalScrapeConfigs` entry (Prometheus' own snake_case schema). */
type ScrapeConfig = HelmValues & { readonly job_name: string };

/**
 * kube-prometheus-stack in `kube-prometheus-stack` (the namespace the team NetworkPolicies admit
 * scrapes from): Prometheus with remote write to Amazon Managed Prometheus (SigV4 with its own
 * Pod Identity role, `aps:RemoteWrite` on that workspace only), a PodMonitor for the Spark drivers
 * of the team namespaces (the PrometheusServlet endpoints the jobs enable, on the driver's
 * `spark-ui` port, 4040, which the team NetworkPolicies open to this namespace),
 * and scrapes of YuniKorn and Karpenter when they are installed.
 *
 * The driver metrics carry the Spark pods' `team`, `job` and `run` labels (`podTargetLabels`),
 * and kube-state-metrics exposes those labels in `kube_pod_labels`, so dashboards and Kubecost
 * can group by them. Grafana runs with a generated admin password (the chart keeps it in a Secret;
 * no password is set here) and its sidecar loads the dashboard ConfigMaps of this namespace
 * (the `monitoring` app, `manifests/dashboards/`).
 *
 * Left out on purpose: Alertmanager (job failures alert through EventBridge and SNS, per team,
 * in the `teams` stack), and the control-plane and kube-proxy monitors EKS does not expose. Prometheus' volume uses the `gp3` class the
 * `storage` app creates, so the release does not wait for it (see `pinnedRelease`).
 */
export class HelmKubePrometheusStack extends Construct {
  readonly role?: PodIdentityRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmKubePrometheusStackProps) {
    super(scope, id);
    const { env, amp } = props;
    this.role = amp
      ? new PodIdentityRole(this, 'role', {
          env,
          clusterName: props.clusterName,
          roleName: ampIngestRoleName(env),
          description: 'Prometheus remote write to Amazon Managed Prometheus',
          namespace: MONITORING_NAMESPACE,
          serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
          policyName: 'amp-remote-write',
          statements: [{ Sid: 'RemoteWrite', Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: amp.arn }],
        })
      : undefined;

    const scrapeConfigs: ScrapeConfig[] = [];
    if (env.addons.yunikorn) {
      scrapeConfigs.push({
        job_name: 'yunikorn',
        metrics_path: '/ws/v1/metrics',
        dns_sd_configs: [{ names: [`yunikorn-service.${YUNIKORN_NAMESPACE}.svc`], type: 'A', port: 9080 }],
      });
    }
    if (env.addons.karpenter) {
      scrapeConfigs.push({
        job_name: 'karpenter',
        kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [KARPENTER_NAMESPACE] } }],
        relabel_configs: [
          {
            source_labels: ['__meta_kubernetes_endpoints_name', '__meta_kubernetes_endpoint_port_name'],
            action: 'keep',
            regex: 'karpenter;http-metrics',
          },
        ],
      });
    }

    const sparkEndpoint = (path: string) => ({ port: 'spark-ui', path, interval: '30s' });
    const values: HelmValues = {
      alertmanager: { enabled: false },
      grafana: {
        enabled: true,
        // No nodeSelector: the grafana subchart's values are not in the pinned reference, so the
        // conformance check could not vouch for it; the Spark pools' taints (on unless a pool sets
        // taint: false) keep Grafana off Karpenter's nodes.
        sidecar: {
          dashboards: {
            enabled: true,
            label: GRAFANA_DASHBOARD_LABEL,
            labelValue: GRAFANA_DASHBOARD_LABEL_VALUE,
            searchNamespace: MONITORING_NAMESPACE,
          },
        },
      },
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      prometheusOperator: { nodeSelector: CORE_NODE_SELECTOR },
      'kube-state-metrics': {
        nodeSelector: CORE_NODE_SELECTOR,
        // kube_pod_labels with the Spark pods' labels (as label_team, label_job, …).
        metricLabelsAllowlist: [`pods=[${SPARK_POD_LABELS.join(',')}]`],
      },
      prometheus: {
        serviceAccount: { create: true, name: PROMETHEUS_SERVICE_ACCOUNT },
        prometheusSpec: {
          nodeSelector: CORE_NODE_SELECTOR,
          // With AMP holding history, the local copy only bridges outages.
          retention: amp ? '6h' : '7d',
          scrapeInterval: '30s',
          evaluationInterval: '30s',
          scrapeTimeout: '10s',
          // Select every ServiceMonitor/PodMonitor, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                storageClassName: GP3_STORAGE_CLASS,
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '50Gi' } },
              },
            },
          },
          ...(amp
            ? {
                remoteWrite: [
                  {
                    url: amp.remoteWriteUrl,
                    sigv4: { region: env.cluster.region },
                    queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
                  },
                ],
              }
            : {}),
          ...(scrapeConfigs.length > 0 ? { additionalScrapeConfigs: scrapeConfigs } : {}),
        },
        additionalPodMonitors: [
          {
            name: 'spark-drivers',
            selector: { matchLabels: { 'spark-role': 'driver' } },
            namespaceSelector: { matchNames: env.teams.map(teamNamespace) },
            podTargetLabels: [...SPARK_POD_LABELS],
            podMetricsEndpoints: [
              sparkEndpoint('/metrics/driver/prometheus/'),
              sparkEndpoint('/metrics/executors/prometheus/'),
            ],
          },
        ],
      },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.kubePrometheusStack,
      name: KUBE_PROMETHEUS_STACK_RELEASE,
      namespace: MONITORING_NAMESPACE,
      values,
      wait: false,
      dependsOn: this.role ? [this.role.association] : [],
    });
  }
}
