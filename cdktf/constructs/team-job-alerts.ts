import { Construct } from 'constructs';
import { CloudwatchEventApiDestination } from '@cdktf/provider-aws/lib/cloudwatch-event-api-destination';
import { CloudwatchEventConnection } from '@cdktf/provider-aws/lib/cloudwatch-event-connection';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { jobExecutionRoleArn, jobLogUri, teamLogGroupName, type Environment, type Team } from '../../config';
import {
  runLogPath,
  teamAlertKeyAlias,
  teamAlertRuleArn,
  teamAlertRuleName,
  teamAlertTopicName,
  teamAlertWebhookName,
  teamAlertWebhookRoleName,
} from '../../config/observability';
import { accountAdministersKey, policyJson } from './iam-policy';

/** Props for {@link TeamJobAlerts}. */
export interface TeamJobAlertsProps {
  readonly env: Environment;
  /** A team with at least one `notify` entry. */
  readonly team: Team;
}

/** The EMR on EKS job run states that alert. */
export const ALERT_STATES = ['FAILED', 'CANCELLED'] as const;

/** The EventBridge detail type of EMR on EKS job run state changes (source `aws.emr-containers`). */
export const JOB_RUN_STATE_CHANGE = 'EMR Job Run State Change';

/** Fields of the event the alert reads (`detail` of an EMR on EKS job run state change). */
const INPUT_PATHS = {
  name: '$.detail.name',
  id: '$.detail.id',
  virtualClusterId: '$.detail.virtualClusterId',
  state: '$.detail.state',
  failureReason: '$.detail.failureReason',
  stateDetails: '$.detail.stateDetails',
} as const;

/**
 * A team's failure alerts, all AWS-native (decision 20; nothing runs in the cluster): an
 * EventBridge rule on EMR on EKS job run state changes to FAILED or CANCELLED of runs that use
 * the team's execution role, and a per-team SNS topic it publishes to, with the team's email
 * subscriptions; further targets for the team's own SNS topics and webhooks.
 *
 * The rule matches the execution role, not the virtual cluster id: ACK creates the virtual cluster
 * when Argo CD syncs, so Terraform cannot know its id, while the role is derived from the config
 * and belongs to this team alone (the validator refuses a JobRun with another team's role, and
 * ACK a JobRun that names another namespace's virtual cluster), so it picks exactly the runs of
 * the team's virtual cluster.
 *
 * The topic is encrypted with its own customer-managed KMS key (EventBridge cannot publish to a
 * topic under the AWS-managed `alias/aws/sns` key, whose policy cannot be changed); the key and
 * the topic policy let only `events.amazonaws.com`, and only for this rule (`aws:SourceArn`),
 * use them. A webhook's credential is read from Secrets Manager at apply time into the
 * EventBridge connection (which keeps it in a Secrets Manager secret of its own); it is never in
 * git or `dist/`. EventBridge calls webhooks with a role that may invoke only these destinations.
 */
export class TeamJobAlerts extends Construct {
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;
  readonly key: KmsKey;
  /** Only for a team with webhooks. */
  readonly webhookRole?: IamRole;

  constructor(scope: Construct, id: string, props: TeamJobAlertsProps) {
    super(scope, id);
    const { env, team } = props;
    const { accountId, region } = env.cluster;
    const ruleArn = teamAlertRuleArn(env, team);
    const fromThisRule = {
      ArnEquals: { 'aws:SourceArn': ruleArn },
      StringEquals: { 'aws:SourceAccount': accountId },
    };

    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the job failure alerts of ${team.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson({
        Statement: [
          accountAdministersKey(env.cluster),
          {
            Sid: 'EventBridgePublishesAlerts',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: fromThisRule,
          },
        ],
      }),
    });
    new KmsAlias(this, 'key-alias', { name: teamAlertKeyAlias(env, team), targetKeyId: this.key.keyId });

    this.topic = new SnsTopic(this, 'topic', {
      name: teamAlertTopicName(env, team),
      displayName: `EMR job alerts ${team.name}`.slice(0, 100),
      kmsMasterKeyId: this.key.arn,
    });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: policyJson({
        Statement: [
          {
            Sid: 'EventBridgePublishesAlerts',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.topic.arn,
            Condition: fromThisRule,
          },
        ],
      }),
    });

    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: teamAlertRuleName(env, team),
      description: `EMR on EKS job runs of ${team.name} that failed or were cancelled`,
      eventPattern: JSON.stringify({
        source: ['aws.emr-containers'],
        'detail-type': [JOB_RUN_STATE_CHANGE],
        detail: { state: [...ALERT_STATES], executionRoleArn: [jobExecutionRoleArn(env, team)] },
      }),
    });

    const logGroup = teamLogGroupName(env, team);
    const logUri = jobLogUri(env, team);
    const run = runLogPath('<virtualClusterId>', '<id>');
    const text =
      `EMR on EKS job run <name> (id <id>) of team ${team.name} is <state> <failureReason>: <stateDetails>. ` +
      `Logs: CloudWatch ${logGroup}, streams PREFIX/${run}/ (PREFIX is the job name unless its job file sets monitoring.logStreamNamePrefix; dist/${env.name}/README.md lists each job's), ` +
      `and ${logUri}${run}/. ` +
      `Why it stopped: aws emr-containers describe-job-run --region ${region} --virtual-cluster-id <virtualClusterId> --id <id>. ` +
      `Spark UI: the team's Spark History Server (docs/operations.md).`;
    const message = { inputPaths: INPUT_PATHS, inputTemplate: JSON.stringify(text) };

    new CloudwatchEventTarget(this, 'topic-target', {
      rule: this.rule.name,
      targetId: 'team-topic',
      arn: this.topic.arn,
      inputTransformer: message,
    });
    team.notify.forEach((target, index) => {
      if (target.email !== undefined) {
        new SnsTopicSubscription(this, `email-${index}`, {
          topicArn: this.topic.arn,
          protocol: 'email',
          endpoint: target.email,
        });
      } else if (target.snsTopicArn !== undefined) {
        new CloudwatchEventTarget(this, `sns-target-${index}`, {
          rule: this.rule.name,
          targetId: `sns-${index}`,
          arn: target.snsTopicArn,
          inputTransformer: message,
        });
      }
    });

    const webhooks = team.notify.flatMap((target, index) =>
      target.webhook === undefined ? [] : [{ webhook: target.webhook, index }],
    );
    if (webhooks.length === 0) return;
    const destinations = webhooks.map(({ webhook, index }) => {
      const secret = new DataAwsSecretsmanagerSecretVersion(this, `webhook-secret-${index}`, {
        secretId: webhook.secret,
      });
      const connection = new CloudwatchEventConnection(this, `webhook-connection-${index}`, {
        name: teamAlertWebhookName(env, team, index),
        description: `Credential of ${team.name}'s alert webhook ${index}, from ${webhook.secret}`,
        authorizationType: 'API_KEY',
        authParameters: { apiKey: { key: webhook.header, value: secret.secretString } },
      });
      const destination = new CloudwatchEventApiDestination(this, `webhook-${index}`, {
        name: teamAlertWebhookName(env, team, index),
        description: `${team.name}'s alert webhook ${index}`,
        invocationEndpoint: webhook.url,
        httpMethod: 'POST',
        connectionArn: connection.arn,
        invocationRateLimitPerSecond: 1,
      });
      return { destination, index };
    });
    this.webhookRole = new IamRole(this, 'webhook-role', {
      name: teamAlertWebhookRoleName(env, team),
      description: `EventBridge calls ${team.name}'s alert webhooks`,
      assumeRolePolicy: policyJson({
        Statement: [
          {
            Sid: 'AssumeByAlertRule',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: fromThisRule,
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'webhook-policy', {
      name: 'invoke-alert-webhooks',
      role: this.webhookRole.name,
      policy: policyJson({
        Statement: [
          {
            Sid: 'InvokeTeamWebhooks',
            Effect: 'Allow',
            Action: 'events:InvokeApiDestination',
            Resource: destinations.map(({ destination }) => destination.arn),
          },
        ],
      }),
    });
    const json = Object.fromEntries(Object.keys(INPUT_PATHS).map((key) => [key, `<${key}>`]));
    for (const { destination, index } of destinations) {
      new CloudwatchEventTarget(this, `webhook-target-${index}`, {
        rule: this.rule.name,
        targetId: `webhook-${index}`,
        arn: destination.arn,
        roleArn: this.webhookRole.arn,
        inputTransformer: {
          inputPaths: INPUT_PATHS,
          inputTemplate: JSON.stringify({
            team: team.name,
            ...json,
            logGroup,
            logStreamSuffix: `/${run}/`,
            logUri: `${logUri}${run}/`,
          }),
        },
      });
    }
  }
}
