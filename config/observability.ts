import { arn, iamArn } from '../lib/arn';
import { boundedName, LOG_KEY_PREFIXES, teamBucketName } from './naming';
import type { Environment, Team } from './schema';

/**
 * Names and places of what tells a team about its jobs (decision 20): the failure alert plumbing,
 * the Spark event logs and the team's Spark History Server. Derived from config, so the
 * Terraform side, the manifests and the generated README agree without reading state.
 */

/** IAM role names and EventBridge rule names: at most 64 characters. */
const NAME_MAX = 64;

/** The team's SNS topic every alert of a failed or cancelled job run is published to. */
export function teamAlertTopicName(env: Environment, team: Team): string {
  return boundedName(`${env.cluster.name}-${team.name}-job-alerts`, NAME_MAX);
}

/** The EventBridge rule that matches the team's failed and cancelled job runs. */
export function teamAlertRuleName(env: Environment, team: Team): string {
  return boundedName(`${env.cluster.name}-${team.name}-job-failed`, NAME_MAX);
}

export function teamAlertRuleArn(env: Environment, team: Team): string {
  return arn(env.cluster, 'events', `rule/${teamAlertRuleName(env, team)}`);
}

/** Alias of the KMS key that encrypts the team's alert topic. */
export function teamAlertKeyAlias(env: Environment, team: Team): string {
  return `alias/${boundedName(`${env.cluster.name}-${team.name}-job-alerts`, 250)}`;
}

/** Role EventBridge assumes to call the team's webhooks (API destinations). */
export function teamAlertWebhookRoleName(env: Environment, team: Team): string {
  return boundedName(`${env.cluster.name}-${team.name}-alert-webhooks`, NAME_MAX);
}

/** The EventBridge connection and API destination of the team's `index`-th webhook (≤ 64 characters). */
export function teamAlertWebhookName(env: Environment, team: Team, index: number): string {
  return boundedName(`${env.cluster.name}-${team.name}-alert-webhook-${index}`, NAME_MAX);
}

/** Key prefix of the Spark event logs in a team bucket (expired with the logs). */
export const SPARK_EVENT_LOG_PREFIX = LOG_KEY_PREFIXES[1];

/** `s3a://<team bucket>/spark-event-logs/`: where every job writes, and the history server reads. */
export function sparkEventLogDir(env: Environment, team: Team): string {
  return `s3a://${teamBucketName(env, team)}/${SPARK_EVENT_LOG_PREFIX}`;
}

/** Name of each team's Spark History Server: its Deployment, Service and service account. */
export const SPARK_HISTORY_SERVER = 'spark-history-server';
/** The history server's web UI port (Spark's default, `spark.history.ui.port`). */
export const SPARK_HISTORY_PORT = 18080;

/** The history server's role (IRSA): read the team bucket's event logs, nothing else. */
export function sparkHistoryRoleName(env: Environment, team: Team): string {
  return boundedName(`${env.cluster.name}-${team.name}-spark-history`, NAME_MAX);
}

export function sparkHistoryRoleArn(env: Environment, team: Team): string {
  return iamArn(env.cluster, `role/${sparkHistoryRoleName(env, team)}`);
}

/**
 * JobRun annotations that say where the run's logs go, read by the JobRun health check (its
 * message) and the generated README: the CloudWatch log group, the stream prefix EMR starts
 * every stream name with, and the S3 URI (when the job ships logs to S3).
 */
export const LOG_GROUP_ANNOTATION = 'emr-eks-gitops/log-group';
export const LOG_STREAM_PREFIX_ANNOTATION = 'emr-eks-gitops/log-stream-prefix';
export const LOG_URI_ANNOTATION = 'emr-eks-gitops/log-uri';

/**
 * Where EMR on EKS puts one run's logs, below the configured prefix and URI:
 * `<prefix>/<virtual cluster id>/jobs/<job run id>/…` (streams) and
 * `<log uri><virtual cluster id>/jobs/<job run id>/…` (S3).
 */
export function runLogPath(virtualClusterId: string, jobRunId: string): string {
  return `${virtualClusterId}/jobs/${jobRunId}`;
}

/** The one-liner that follows a run's driver and executor logs in CloudWatch. */
export function logsTailCommand(region: string, logGroup: string, streamPrefix: string): string {
  return `aws logs tail ${logGroup} --region ${region} --since 1d --log-stream-name-prefix ${streamPrefix}`;
}
