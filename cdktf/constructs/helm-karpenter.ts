import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { karpenterQueueName, type Environment } from '../../config';
import { charts } from '../../config/versions';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';
import { KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT } from './karpenter-infra';

/** Props for {@link HelmKarpenter}. */
export interface HelmKarpenterProps {
  readonly env: Environment;
  /** API server endpoint of the cluster (from the `aws_eks_cluster` data source). */
  readonly clusterEndpoint: string;
}

/** The subset of the Karpenter chart's values this project sets. */
type KarpenterValues = {
  readonly settings: {
    readonly clusterName: string;
    readonly clusterEndpoint: string;
    readonly interruptionQueue: string;
  };
  readonly serviceAccount: { readonly create: true; readonly name: string };
  readonly nodeSelector: typeof CORE_NODE_SELECTOR;
  readonly controller: {
    readonly resources: {
      readonly requests: { readonly cpu: string; readonly memory: string };
      readonly limits: { readonly memory: string };
    };
  };
};

/**
 * Karpenter, as two releases: `karpenter-crd` first (Helm never upgrades a chart's `crds/`
 * folder, so the CRDs get a release of their own), then the controller with `skipCrds`. The
 * controller runs on the core nodes (never on nodes it manages) under the service account whose
 * Pod Identity association the `base` stack created (`KarpenterInfra`), and reads spot
 * interruptions from the queue `base` named.
 */
export class HelmKarpenter extends Construct {
  readonly crds: Release;
  readonly controller: Release;

  constructor(scope: Construct, id: string, props: HelmKarpenterProps) {
    super(scope, id);
    const { env } = props;
    this.crds = pinnedRelease(this, 'crd', {
      chart: charts.karpenterCrd,
      name: 'karpenter-crd',
      namespace: KARPENTER_NAMESPACE,
    });
    const values: KarpenterValues = {
      settings: {
        clusterName: env.cluster.name,
        clusterEndpoint: props.clusterEndpoint,
        interruptionQueue: karpenterQueueName(env),
      },
      serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
      nodeSelector: CORE_NODE_SELECTOR,
      // Karpenter's documented sizing; memory request = limit so it is never OOM-evicted first.
      controller: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } } },
    };
    this.controller = pinnedRelease(this, 'Resource', {
      chart: charts.karpenter,
      name: 'karpenter',
      namespace: KARPENTER_NAMESPACE,
      values,
      skipCrds: true,
      dependsOn: [this.crds],
    });
  }
}
