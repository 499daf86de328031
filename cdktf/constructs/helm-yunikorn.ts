import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { Environment } from '../../config';
import { charts } from '../../config/versions';
import { admissionNamespaces } from '../../manifests/constructs/yunikorn-queues';
import { YUNIKORN_NAMESPACE } from '../../manifests/names';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';

/** Props for {@link HelmYunikorn}. */
export interface HelmYunikornProps {
  readonly env: Environment;
}

/** The subset of the YuniKorn chart's values this project sets. */
type YunikornValues = {
  readonly nodeSelector: typeof CORE_NODE_SELECTOR;
  readonly admissionController: { readonly nodeSelector: typeof CORE_NODE_SELECTOR };
  /** Rendered into the `yunikorn-defaults` ConfigMap; `yunikorn-configs` (Argo CD's) overrides it. */
  readonly yunikornDefaults: Readonly<Record<string, string>>;
};

/**
 * Apache YuniKorn, the batch scheduler for Spark gang scheduling and team queues. Its admission
 * controller only touches pods in the team namespaces (regular expressions anchored on each
 * namespace, the same value the `yunikorn` app's `yunikorn-configs` carries); every other pod
 * keeps the default scheduler. Queues live in `yunikorn-configs`, which Argo CD owns; the chart
 * only writes `yunikorn-defaults`, so nothing is owned twice.
 */
export class HelmYunikorn extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmYunikornProps) {
    super(scope, id);
    const values: YunikornValues = {
      nodeSelector: CORE_NODE_SELECTOR,
      admissionController: { nodeSelector: CORE_NODE_SELECTOR },
      yunikornDefaults: {
        'admissionController.filtering.processNamespaces': admissionNamespaces(props.env),
        // EBS volumes can take longer to attach than YuniKorn's 10 s default (data-on-eks).
        'service.volumeBindTimeout': '60s',
      },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.yunikorn,
      name: 'yunikorn',
      namespace: YUNIKORN_NAMESPACE,
      values,
    });
  }
}
