import { describe, expect, it } from 'vitest';
import { environment, policy, resource, resourcesOfType, synthStacks } from '../helpers/terraform';
import { seedPlatformInput } from '../fixtures';
import type { TeamInput } from '../../config/schema';

/**
 * Decision 20 in the `teams` stack: per-team failure alerts (EventBridge → SNS, webhooks) and the
 * Spark History Server's identity, each least privilege. Runs on the seed fixture with notify
 * targets added to team a.
 */

const WEBHOOK_SECRET = 'arn:aws:secretsmanager:us-west-2:111122223333:secret:team-a/alerts-AbCdEf';

function withNotify(): ReturnType<typeof synthStacks> {
  const input = seedPlatformInput();
  const team = input.environments[0]!.teams[0] as TeamInput;
  team.notify = [
    { email: 'team-a@example.com' },
    { snsTopicArn: 'arn:aws:sns:us-west-2:111122223333:team-a-pager' },
    { webhook: { url: 'https://alerts.example.com/hooks/emr', secret: WEBHOOK_SECRET } },
  ];
  return synthStacks(environment(input));
}

const stacks = withNotify();
const teams = stacks.teams!;
const A = 'team-emr-data-team-a';
const RULE_ARN = 'arn:aws:events:us-west-2:111122223333:rule/emr-eks-karpenter-emr-data-team-a-job-failed';
const BUCKET = 'arn:aws:s3:::emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const fromRule = {
  ArnEquals: { 'aws:SourceArn': RULE_ARN },
  StringEquals: { 'aws:SourceAccount': '111122223333' },
};

describe('team job alerts', () => {
  it('matches failed and cancelled runs of the team’s execution role on EMR on EKS', () => {
    const rule = resource(teams, 'aws_cloudwatch_event_rule', `${A}-alerts_rule`);
    expect(rule.name).toBe('emr-eks-karpenter-emr-data-team-a-job-failed');
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.emr-containers'],
      'detail-type': ['EMR Job Run State Change'],
      detail: {
        state: ['FAILED', 'CANCELLED'],
        executionRoleArn: ['arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a'],
      },
    });
  });

  it('names the job, the run and where its logs are in the alert', () => {
    const target = resource(teams, 'aws_cloudwatch_event_target', `${A}-alerts_topic-target`);
    const transformer = target.input_transformer as {
      input_paths: Record<string, string>;
      input_template: string;
    };
    expect(transformer.input_paths).toMatchObject({ name: '$.detail.name', id: '$.detail.id' });
    const text = JSON.parse(transformer.input_template) as string;
    expect(text).toContain('job run <name> (id <id>)');
    expect(text).toContain('CloudWatch /emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a');
    expect(text).toContain(
      's3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/logs/<virtualClusterId>/jobs/<id>/',
    );
    expect(text).toContain(
      'describe-job-run --region us-west-2 --virtual-cluster-id <virtualClusterId> --id <id>',
    );
  });

  it('encrypts the topic with its own key, which only this rule may use through EventBridge', () => {
    const topic = resource(teams, 'aws_sns_topic', `${A}-alerts_topic`);
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${A}-alerts_key.arn}`);
    const key = resource(teams, 'aws_kms_key', `${A}-alerts_key`);
    expect(key.enable_key_rotation).toBe(true);
    const statements = policy(key.policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['AccountAdministers', 'EventBridgePublishesAlerts']);
    expect(statements[1]).toEqual({
      Sid: 'EventBridgePublishesAlerts',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: fromRule,
    });
  });

  it('lets only EventBridge, for this rule, publish to the topic', () => {
    const topicPolicy = resource(teams, 'aws_sns_topic_policy', `${A}-alerts_topic-policy`);
    expect(policy(topicPolicy.policy).Statement).toEqual([
      {
        Sid: 'EventBridgePublishesAlerts',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: `\${aws_sns_topic.${A}-alerts_topic.arn}`,
        Condition: fromRule,
      },
    ]);
  });

  it('subscribes the emails and targets the team’s own topics', () => {
    expect(resource(teams, 'aws_sns_topic_subscription', `${A}-alerts_email-0`)).toMatchObject({
      protocol: 'email',
      endpoint: 'team-a@example.com',
    });
    expect(resource(teams, 'aws_cloudwatch_event_target', `${A}-alerts_sns-target-1`).arn).toBe(
      'arn:aws:sns:us-west-2:111122223333:team-a-pager',
    );
  });

  it('calls webhooks with a credential read from Secrets Manager, never written in the render', () => {
    const secret = teams.data?.aws_secretsmanager_secret_version?.[`${A}-alerts_webhook-secret-2`];
    expect(secret).toEqual({ secret_id: WEBHOOK_SECRET });
    const connection = resource(teams, 'aws_cloudwatch_event_connection', `${A}-alerts_webhook-connection-2`);
    expect(connection.auth_parameters).toEqual({
      api_key: {
        key: 'Authorization',
        value: `\${data.aws_secretsmanager_secret_version.${A}-alerts_webhook-secret-2.secret_string}`,
      },
    });
    expect(resource(teams, 'aws_cloudwatch_event_api_destination', `${A}-alerts_webhook-2`)).toMatchObject({
      invocation_endpoint: 'https://alerts.example.com/hooks/emr',
      http_method: 'POST',
    });
  });

  it('gives the webhook role only this rule as principal and only these destinations', () => {
    const role = resource(teams, 'aws_iam_role', `${A}-alerts_webhook-role`);
    expect(policy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'AssumeByAlertRule',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: fromRule,
      },
    ]);
    expect(
      policy(resource(teams, 'aws_iam_role_policy', `${A}-alerts_webhook-policy`).policy).Statement,
    ).toEqual([
      {
        Sid: 'InvokeTeamWebhooks',
        Effect: 'Allow',
        Action: 'events:InvokeApiDestination',
        Resource: [`\${aws_cloudwatch_event_api_destination.${A}-alerts_webhook-2.arn}`],
      },
    ]);
  });

  it('makes nothing for a team without notify targets', () => {
    const addresses = Object.values(teams.resource ?? {}).flatMap((byName) => Object.keys(byName));
    expect(addresses.filter((address) => address.startsWith('team-emr-data-team-b-alerts'))).toEqual([]);
    const seed = synthStacks().teams!;
    expect(Object.keys(resourcesOfType(seed, 'aws_sns_topic'))).toEqual([]);
  });
});

describe('Spark History Server identity', () => {
  it.each(['emr-data-team-a', 'emr-data-team-b'])(
    'trusts only %s’s history server service account',
    (team) => {
      const role = resource(teams, 'aws_iam_role', `team-${team}-spark-history_role`);
      expect(role.name).toBe(`emr-eks-karpenter-${team}-spark-history`);
      const issuer = '${local.oidc_issuer_host}';
      expect(policy(role.assume_role_policy).Statement).toEqual([
        {
          Sid: 'AssumeByTeamServiceAccount',
          Effect: 'Allow',
          Principal: { Federated: '${data.aws_iam_openid_connect_provider.oidc-provider.arn}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${team}:spark-history-server`,
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ]);
    },
  );

  it('may only list and read spark-event-logs/ of the team bucket', () => {
    const statements = policy(
      resource(teams, 'aws_iam_role_policy', `${A}-spark-history_policy`).policy,
    ).Statement;
    expect(statements).toEqual([
      {
        Sid: 'ListEventLogs',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: BUCKET,
        Condition: { StringLikeIfExists: { 's3:prefix': ['spark-event-logs/', 'spark-event-logs/*'] } },
      },
      {
        Sid: 'ReadEventLogs',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `${BUCKET}/spark-event-logs/*`,
      },
    ]);
  });

  it('writes no secret value into the teams stack', () => {
    expect(JSON.stringify(teams)).not.toMatch(/secret_string"\s*:/);
  });
});
