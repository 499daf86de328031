import type { Environment, Team } from './schema';

/**
 * Deterministic physical names derived from config (DESIGN decision 1): both halves compute the
 * same name, so the manifests side never reads Terraform state. Changing a rule here renames AWS
 * resources (a replacement): treat it as a migration.
 */

/** Service account of the hook Job that uploads a team's artifacts; its role trusts only this name. */
export const ARTIFACT_UPLOADER_SERVICE_ACCOUNT = 'emr-artifact-uploader';

export function artifactUploaderRoleArn(env: Environment, team: Team): string {
  return `arn:aws:iam::${env.cluster.accountId}:role/${artifactUploaderRoleName(env, team)}`;
}

export function teamNamespace(team: Team): string {
  return team.namespace ?? team.name;
}

/** Job execution role, as the seed names it: `<cluster>-<team>`. */
export function jobExecutionRoleName(env: Environment, team: Team): string {
  return `${env.cluster.name}-${team.name}`;
}

export function jobExecutionRoleArn(env: Environment, team: Team): string {
  return `arn:aws:iam::${env.cluster.accountId}:role/${jobExecutionRoleName(env, team)}`;
}

/** Role that uploads a team's job artifacts (pod templates, scripts) into its S3 prefix. */
export function artifactUploaderRoleName(env: Environment, team: Team): string {
  return `${env.cluster.name}-${team.name}-artifacts`;
}

export function teamLogGroupName(env: Environment, team: Team): string {
  return `/emr-on-eks-logs/${env.cluster.name}/${team.name}`;
}

/** EMR virtual cluster, as the seed names it: `<cluster>-<team>`. */
export function virtualClusterName(env: Environment, team: Team): string {
  return `${env.cluster.name}-${team.name}`;
}

/** One bucket per environment for scripts, pod templates, logs and Spark event logs. */
export function jobBucketName(env: Environment): string {
  return `${env.cluster.name}-${env.cluster.accountId}-${env.cluster.region}`;
}

/** The S3 prefix a team owns in the job bucket. */
export function teamPrefix(team: Team): string {
  return `${team.name}/`;
}

/** `s3://<bucket>/<team>/<path>`: a location in the team's prefix. */
export function teamS3Uri(env: Environment, team: Team, path = ''): string {
  return `s3://${jobBucketName(env)}/${teamPrefix(team)}${path}`;
}

/** Key prefix of a team's content-addressed job artifacts: `<team>/artifacts/<sha256>/<file>`. */
export function artifactKeyPrefix(team: Team): string {
  return `${teamPrefix(team)}artifacts/`;
}

/** S3 key of one artifact, addressed by the SHA-256 (hex) of its bytes. */
export function artifactKey(team: Team, sha256: string, file: string): string {
  return `${artifactKeyPrefix(team)}${sha256}/${file}`;
}

/** Where EMR ships a team's job logs (the bucket's lifecycle rule expires `<team>/logs/`). */
export function jobLogUri(env: Environment, team: Team): string {
  return teamS3Uri(env, team, 'logs/');
}

/** Where the NYC taxi examples read their input (`npm run sample-data` puts the files there). */
export const NYC_TAXI_INPUT_PATH = 'data/nyc-taxi/input/';

export function nycTaxiInputUri(env: Environment, team: Team): string {
  return teamS3Uri(env, team, NYC_TAXI_INPUT_PATH);
}

export function karpenterNodeRoleName(env: Environment): string {
  return `karpenter-${env.cluster.name}`;
}

export function karpenterControllerRoleName(env: Environment): string {
  return `${env.cluster.name}-karpenter-controller`;
}

export function karpenterQueueName(env: Environment): string {
  return `karpenter-${env.cluster.name}`;
}

/** The kinds of interruption events Karpenter reads from its queue, one EventBridge rule each. */
export const KARPENTER_EVENT_IDS = [
  'health',
  'spot-interruption',
  'rebalance',
  'instance-state-change',
  'capacity-reservation',
] as const;
export type KarpenterEventId = (typeof KARPENTER_EVENT_IDS)[number];

/** EventBridge rule that feeds one kind of interruption event to Karpenter's queue (≤ 64 characters). */
export function karpenterEventRuleName(env: Environment, eventId: KarpenterEventId): string {
  return `${env.cluster.name}-karpenter-${eventId}`;
}

export function coreNodeRoleName(env: Environment): string {
  return `${env.cluster.name}-core-node`;
}

export function ebsCsiRoleName(env: Environment): string {
  return `${env.cluster.name}-ebs-csi-driver`;
}

export function clusterRoleName(env: Environment): string {
  return `${env.cluster.name}-cluster`;
}

export function ampWorkspaceAlias(env: Environment): string {
  return `amp-ws-${env.cluster.name}`;
}

export function fsxFilesystemName(env: Environment): string {
  return `${env.cluster.name}-static`;
}

/** Role of the ACK EMR on EKS controller (Pod Identity): virtual clusters and job runs. */
export function ackEmrContainersRoleName(env: Environment): string {
  return `${env.cluster.name}-ack-emrcontainers`;
}

/** Role of the FSx for Lustre CSI controller (Pod Identity): dynamic filesystems. */
export function fsxCsiDriverRoleName(env: Environment): string {
  return `${env.cluster.name}-fsx-csi-driver`;
}

/** Role Prometheus signs its remote writes to Amazon Managed Prometheus with (Pod Identity). */
export function ampIngestRoleName(env: Environment): string {
  return `${env.cluster.name}-amp-ingest`;
}

/** Role of Fluent Bit (Pod Identity): its CloudWatch log group and S3 prefix. */
export function fluentBitRoleName(env: Environment): string {
  return `${env.cluster.name}-fluent-bit`;
}

/** Log group Fluent Bit ships the platform pods' logs to. */
export function fluentBitLogGroupName(env: Environment): string {
  return `/${env.cluster.name}/aws-fluentbit-logs`;
}

/** Role of the Cluster Autoscaler (Pod Identity): the core node group's Auto Scaling group. */
export function clusterAutoscalerRoleName(env: Environment): string {
  return `${env.cluster.name}-cluster-autoscaler`;
}

/** Every IAM role name the project derives, for length checks (IAM allows 64 characters). */
export function allRoleNames(env: Environment): string[] {
  return [
    clusterRoleName(env),
    coreNodeRoleName(env),
    ebsCsiRoleName(env),
    karpenterNodeRoleName(env),
    karpenterControllerRoleName(env),
    ackEmrContainersRoleName(env),
    fsxCsiDriverRoleName(env),
    ampIngestRoleName(env),
    fluentBitRoleName(env),
    clusterAutoscalerRoleName(env),
    ...env.teams.flatMap((team) => [jobExecutionRoleName(env, team), artifactUploaderRoleName(env, team)]),
  ];
}
