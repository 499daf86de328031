import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import {
  karpenterControllerRoleName,
  karpenterEventRuleName,
  karpenterNodeRoleName,
  karpenterQueueName,
  type Environment,
  type KarpenterEventId,
} from '../../config';
import { ADDONS } from '../../config/addons';
import { WORKER_NODE_POLICIES } from './core-node-group';
import { managedPolicy, podIdentityTrust, policyJson, serviceTrust } from './iam-policy';
import { karpenterControllerPolicy } from './karpenter-controller-policy';

/** Namespace and service account of the Karpenter controller (the Helm release uses the same). */
export const KARPENTER_NAMESPACE = ADDONS.karpenter.namespace;
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** Props for {@link KarpenterInfra}. */
export interface KarpenterInfraProps {
  readonly env: Environment;
  readonly cluster: EksCluster;
}

/**
 * EventBridge rules whose events Karpenter handles, as upstream's v1.14.1 CloudFormation: health
 * (scheduled changes), spot interruption, rebalance, instance state changes, and interruptions of
 * instances in capacity reservations. Ids name the rules (see `karpenterEventRuleName`).
 */
export const INTERRUPTION_EVENTS = [
  { id: 'health', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'instance-state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  {
    id: 'capacity-reservation',
    source: 'aws.ec2',
    detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
  },
] as const satisfies readonly {
  readonly id: KarpenterEventId;
  readonly source: string;
  readonly detailType: string;
}[];

/**
 * What Karpenter needs from AWS: the node role (with an `EC2_LINUX` access entry; Karpenter makes
 * the instance profiles itself), the controller role through Pod Identity, and the interruption
 * queue (SSE, TLS only) fed by four EventBridge rules.
 */
export class KarpenterInfra extends Construct {
  readonly nodeRole: IamRole;
  readonly controllerRole: IamRole;
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: KarpenterInfraProps) {
    super(scope, id);
    const { env } = props;
    const { cluster } = env;

    this.nodeRole = new IamRole(this, 'node-role', {
      name: karpenterNodeRoleName(env),
      assumeRolePolicy: serviceTrust('ec2.amazonaws.com'),
    });
    for (const policy of WORKER_NODE_POLICIES) {
      new IamRolePolicyAttachment(this, `node-role-${policy}`, {
        role: this.nodeRole.name,
        policyArn: managedPolicy(cluster, policy),
      });
    }
    new EksAccessEntry(this, 'node-access-entry', {
      clusterName: props.cluster.name,
      principalArn: this.nodeRole.arn,
      type: 'EC2_LINUX',
    });

    this.queue = new SqsQueue(this, 'interruption-queue', {
      name: karpenterQueueName(env),
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, 'interruption-queue-policy', {
      queueUrl: this.queue.url,
      policy: policyJson({
        Statement: [
          {
            Sid: 'EventBridgeSendsEvents',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
            Action: 'sqs:SendMessage',
            Resource: this.queue.arn,
          },
          {
            Sid: 'DenyHTTP',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sqs:*',
            Resource: this.queue.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    for (const event of INTERRUPTION_EVENTS) {
      const rule = new CloudwatchEventRule(this, `${event.id}-rule`, {
        name: karpenterEventRuleName(env, event.id),
        description: `Karpenter interruption handling: ${event.detailType}`,
        eventPattern: JSON.stringify({ source: [event.source], 'detail-type': [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `${event.id}-target`, {
        rule: rule.name,
        targetId: 'KarpenterInterruptionQueue',
        arn: this.queue.arn,
      });
    }

    this.controllerRole = new IamRole(this, 'controller-role', {
      name: karpenterControllerRoleName(env),
      assumeRolePolicy: podIdentityTrust({
        accountId: cluster.accountId,
        clusterName: cluster.name,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      }),
    });
    new IamRolePolicy(this, 'controller-policy', {
      name: 'karpenter-controller',
      role: this.controllerRole.name,
      policy: policyJson(
        karpenterControllerPolicy({
          clusterName: cluster.name,
          region: cluster.region,
          accountId: cluster.accountId,
          queueArn: this.queue.arn,
          nodeRoleArn: this.nodeRole.arn,
          clusterArn: props.cluster.arn,
        }),
      ),
    });
    new EksPodIdentityAssociation(this, 'controller-identity', {
      clusterName: props.cluster.name,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      roleArn: this.controllerRole.arn,
    });
  }
}
