import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { ADDONS } from '../../config/addons';
import { charts } from '../../config/versions';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';

export const COREDNS_AUTOSCALER_NAMESPACE = ADDONS.clusterProportionalAutoscaler.namespace;

/** The subset of the cluster-proportional-autoscaler chart's values this project sets. */
type ProportionalAutoscalerValues = {
  readonly nameOverride: string;
  readonly options: { readonly target: string };
  readonly config: {
    readonly linear: {
      readonly coresPerReplica: number;
      readonly nodesPerReplica: number;
      readonly min: number;
      readonly max: number;
      readonly preventSinglePointFailure: boolean;
      readonly includeUnschedulableNodes: boolean;
    };
  };
  readonly serviceAccount: { readonly create: true; readonly name: string };
  readonly nodeSelector: typeof CORE_NODE_SELECTOR;
  readonly podSecurityContext: {
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
    readonly supplementalGroups: readonly number[];
    readonly fsGroup: number;
  };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
};

/**
 * The cluster-proportional-autoscaler for CoreDNS (the EKS managed add-on's `coredns`
 * Deployment): one replica per 16 nodes or 256 cores, never a single one on a multi-node
 * cluster, so DNS keeps up when Karpenter adds hundreds of Spark nodes. Values as in data-on-eks' `coredns-autoscaler-values`.
 */
export class HelmCorednsAutoscaler extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const values: ProportionalAutoscalerValues = {
      nameOverride: 'kube-dns-autoscaler',
      options: { target: 'deployment/coredns' },
      config: {
        linear: {
          coresPerReplica: 256,
          nodesPerReplica: 16,
          min: 1,
          max: 100,
          preventSinglePointFailure: true,
          includeUnschedulableNodes: true,
        },
      },
      serviceAccount: { create: true, name: 'kube-dns-autoscaler' },
      nodeSelector: CORE_NODE_SELECTOR,
      podSecurityContext: {
        seccompProfile: { type: 'RuntimeDefault' },
        supplementalGroups: [65534],
        fsGroup: 65534,
      },
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '100m', memory: '128Mi' },
      },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.clusterProportionalAutoscaler,
      name: 'coredns-autoscaler',
      namespace: COREDNS_AUTOSCALER_NAMESPACE,
      values,
    });
  }
}
