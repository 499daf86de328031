import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeConfigMap } from '../imports/k8s';
import type { Environment } from '../../config';
import { toYaml } from '../../lib/serialize';
import { admissionNamespaces, yunikornQueues } from '../constructs/yunikorn-queues';
import { YUNIKORN_NAMESPACE } from '../names';

/** Props for {@link YunikornChart}. */
export interface YunikornChartProps {
  readonly env: Environment;
}

/**
 * App `yunikorn`: the `yunikorn-configs` ConfigMap YuniKorn watches, with queues from the team
 * budgets and the admission controller limited to team namespaces (everything else keeps the
 * default scheduler).
 */
export class YunikornChart extends Chart {
  constructor(scope: Construct, id: string, props: YunikornChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new KubeConfigMap(this, 'yunikorn-configs', {
      metadata: { name: 'yunikorn-configs', namespace: YUNIKORN_NAMESPACE },
      data: {
        'queues.yaml': toYaml(yunikornQueues(props.env)),
        'admissionController.filtering.processNamespaces': admissionNamespaces(props.env),
      },
    });
  }
}
