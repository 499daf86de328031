import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Environment } from '../../config';
import { SparkNodePool } from '../constructs/spark-node-pool';

/** Props for {@link KarpenterChart}. */
export interface KarpenterChartProps {
  readonly env: Environment;
}

/** App `karpenter`: an EC2NodeClass and a NodePool per configured Spark node pool. */
export class KarpenterChart extends Chart {
  constructor(scope: Construct, id: string, props: KarpenterChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const pool of props.env.nodePools) new SparkNodePool(this, pool.name, { env: props.env, pool });
  }
}
