import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from '../framework';
import type { Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { charts } from '../../config/versions';
import { GP3_STORAGE_CLASS } from '../../manifests/names';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';
import { PROMETHEUS_URL } from './helm-kube-prometheus-stack';
import { POD_JOB_LABEL, POD_TEAM_LABEL } from '../../manifests/jobs/observability-properties';

export const KUBECOST_NAMESPACE = ADDONS.kubecost.namespace;

/** Props for {@link HelmKubecost}. */
export interface HelmKubecostProps {
  readonly env: Environment;
  /** The kube-prometheus-stack release: Kubecost reads its Prometheus and uses its ServiceMonitor CRD. */
  readonly prometheus: ITerraformDependable;
}

/** The subset of the cost-analyzer chart's values this project sets. */
type KubecostValues = {
  readonly global: {
    readonly prometheus: { readonly enabled: false; readonly fqdn: string };
    readonly grafana: { readonly enabled: false; readonly proxy: false };
  };
  readonly kubecostProductConfigs: {
    readonly clusterName: string;
    /** Which pod labels Kubecost reads as its allocation concepts (team, product, …). */
    readonly labelMappingConfigs: {
      readonly enabled: true;
      readonly team_label: string;
      readonly product_label: string;
      readonly owner_label: string;
    };
  };
  readonly nodeSelector: typeof CORE_NODE_SELECTOR;
  readonly persistentVolume: { readonly storageClass: string; readonly size: string };
  readonly serviceMonitor: { readonly enabled: true };
  readonly networkCosts: { readonly enabled: false };
  readonly reporting: { readonly productAnalytics: false };
};

/**
 * Kubecost without its bundled Prometheus and Grafana: it reads the cluster's kube-prometheus-stack
 * Prometheus (which scrapes Kubecost through the ServiceMonitor) and reports nothing home. Its
 * label mapping reads the `team` and `job` labels of the Spark pods, so the Allocations view
 * splits cost by team and by job (aggregate by label `run` for one run). Its
 * volume uses the `gp3` class the `storage` app creates, so the release does not wait for it.
 */
export class HelmKubecost extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmKubecostProps) {
    super(scope, id);
    const values: KubecostValues = {
      global: {
        prometheus: { enabled: false, fqdn: PROMETHEUS_URL },
        grafana: { enabled: false, proxy: false },
      },
      kubecostProductConfigs: {
        clusterName: props.env.cluster.name,
        // Spark pods carry team, job and run labels: cost per team, and per job as the product.
        labelMappingConfigs: {
          enabled: true,
          team_label: POD_TEAM_LABEL,
          product_label: POD_JOB_LABEL,
          owner_label: POD_TEAM_LABEL,
        },
      },
      nodeSelector: CORE_NODE_SELECTOR,
      persistentVolume: { storageClass: GP3_STORAGE_CLASS, size: '32Gi' },
      serviceMonitor: { enabled: true },
      networkCosts: { enabled: false },
      reporting: { productAnalytics: false },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.kubecost,
      name: 'kubecost',
      namespace: KUBECOST_NAMESPACE,
      values,
      wait: false,
      dependsOn: [props.prometheus],
    });
  }
}
