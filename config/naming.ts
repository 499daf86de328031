import { iamArn, s3Arn } from '../lib/arn';
import { sha256 } from '../lib/hash';
import type { Environment, InputData, Team } from './schema';

/**
 * Deterministic physical names derived from config (decision 1, docs/decisions.md): both halves compute the
 * same name, so the manifests side never reads Terraform state. Changing a rule here renames AWS
 * resources (a replacement): treat it as a migration.
 */

/** Service account of the hook Job that uploads a team's artifacts; its role trusts only this name. */
export const ARTIFACT_UPLOADER_SERVICE_ACCOUNT = 'emr-artifact-uploader';

export function artifactUploaderRoleArn(env: Environment, team: Team): string {
  return iamArn(env.cluster, `role/${artifactUploaderRoleName(env, team)}`);
}

export function teamNamespace(team: Team): string {
  return team.namespace ?? team.name;
}

/** Job execution role, as the seed names it: `<cluster>-<team>`. */
export function jobExecutionRoleName(env: Environment, team: Team): string {
  return `${env.cluster.name}-${team.name}`;
}

export function jobExecutionRoleArn(env: Environment, team: Team): string {
  return iamArn(env.cluster, `role/${jobExecutionRoleName(env, team)}`);
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

/** S3's limit on bucket names. */
export const S3_BUCKET_NAME_MAX = 63;

/**
 * A name from its readable form: unchanged when it fits in `max` characters, else its head and 8
 * hex of the SHA-256 of the whole form, so long cluster and team names still give a
 * deterministic, distinct name (what was cut off stays in the hashed part).
 */
export function boundedName(readable: string, max: number): string {
  if (readable.length <= max) return readable;
  const hash = sha256(readable).slice(0, 8);
  const head = readable.slice(0, max - hash.length - 1).replace(/[-.]+$/, '');
  return `${head}-${hash}`;
}

/** A bucket name from its readable form (`<name>-<account>-<region>`), within S3's limit. */
function bucketName(readable: string): string {
  return boundedName(readable, S3_BUCKET_NAME_MAX);
}

/**
 * A team's own bucket, `<cluster>-<team>-<account>-<region>`: its job artifacts, seeded inputs,
 * outputs and logs. One bucket per team, so a team's roles may list their bucket without a prefix
 * condition (S3 answers 404, not 403, for a key that does not exist yet) and still see nothing of
 * another team's key names.
 */
export function teamBucketName(env: Environment, team: Team): string {
  const { name, accountId, region } = env.cluster;
  return bucketName(`${name}-${team.name}-${accountId}-${region}`);
}

export function teamBucketArn(env: Environment, team: Team): string {
  return s3Arn(env.cluster, teamBucketName(env, team));
}

/**
 * The environment's platform bucket, `<cluster>-<account>-<region>`: what platform services write
 * (the FSx for Lustre data repository under `fsx/`, Fluent Bit's archive under `fluent-bit/`). No
 * team role has access to it. Created only when one of those features is on.
 */
export function platformBucketName(env: Environment): string {
  const { name, accountId, region } = env.cluster;
  return bucketName(`${name}-${accountId}-${region}`);
}

/** Whether the environment needs its platform bucket (FSx data repository or Fluent Bit archive). */
export function needsPlatformBucket(env: Environment): boolean {
  return env.addons.fluentBit || env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
}

/** Every bucket the environment creates: the platform bucket (when needed), then one per team. */
export function allBucketNames(env: Environment): string[] {
  return [
    ...(needsPlatformBucket(env) ? [platformBucketName(env)] : []),
    ...env.teams.map((team) => teamBucketName(env, team)),
  ];
}

/** `s3://<team bucket>/<path>`: a location in the team's bucket. */
export function teamS3Uri(env: Environment, team: Team, path = ''): string {
  return `s3://${teamBucketName(env, team)}/${path}`;
}

/** Key prefix of the content-addressed job artifacts in a team bucket: `artifacts/<sha256>/<file>`. */
export const ARTIFACT_KEY_PREFIX = 'artifacts/';

/** S3 key of one artifact, addressed by the SHA-256 (hex) of its bytes. */
export function artifactKey(sha256: string, file: string): string {
  return `${ARTIFACT_KEY_PREFIX}${sha256}/${file}`;
}

/** Prefixes of a team bucket that hold logs, expired after `logObjectExpirationDays`. */
export const LOG_KEY_PREFIXES = ['logs/', 'spark-event-logs/'] as const;

/** Where EMR ships a team's job logs, under `logs/` (the bucket's lifecycle rule expires it). */
export function jobLogUri(env: Environment, team: Team): string {
  return teamS3Uri(env, team, LOG_KEY_PREFIXES[0]);
}

/** Key prefix of seeded input data in a team bucket: `inputs/<dataset>/<version>/`. */
export const INPUT_KEY_PREFIX = 'inputs/';

/** Service account of the Job that seeds a team's input data; its role trusts only this name. */
export const INPUT_SEEDER_SERVICE_ACCOUNT = 'emr-input-seeder';

/** Role that seeds a team's input data into `inputs/` of its bucket. */
export function inputSeederRoleName(env: Environment, team: Team): string {
  return `${env.cluster.name}-${team.name}-input-seeder`;
}

export function inputSeederRoleArn(env: Environment, team: Team): string {
  return iamArn(env.cluster, `role/${inputSeederRoleName(env, team)}`);
}

/** 16 hex of the SHA-256 of what decides a dataset's bytes and layout (url, sha256, copies). */
export function inputDataVersion(dataset: InputData): string {
  const identity = JSON.stringify([dataset.url, dataset.sha256 ?? '', dataset.copies]);
  return sha256(identity).slice(0, 16);
}

/** `inputs/<name>/<version>/`: where one version of a dataset lives in the team bucket. */
export function inputDataPrefix(dataset: InputData): string {
  return `${INPUT_KEY_PREFIX}${dataset.name}/${inputDataVersion(dataset)}/`;
}

/** The file name a dataset's URL ends with (its last path segment, percent-decoding left alone). */
export function inputDataFileName(dataset: InputData): string {
  return dataset.url.split('/').at(-1) ?? dataset.name;
}

/** The keys of a dataset's copies: `<prefix>part-<nn>-<file>` (Spark skips names starting with _ or .). */
export function inputDataKeys(dataset: InputData): string[] {
  const width = String(dataset.copies).length;
  const file = inputDataFileName(dataset);
  return Array.from(
    { length: dataset.copies },
    (_, i) => `${inputDataPrefix(dataset)}part-${String(i + 1).padStart(width, '0')}-${file}`,
  );
}

/** `s3://<team bucket>/inputs/<name>/<version>/`: what `{{input:<name>}}` expands to. */
export function inputDataUri(env: Environment, team: Team, dataset: InputData): string {
  return teamS3Uri(env, team, inputDataPrefix(dataset));
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
    ...env.teams.flatMap((team) => [
      jobExecutionRoleName(env, team),
      artifactUploaderRoleName(env, team),
      ...(team.inputData.length > 0 ? [inputSeederRoleName(env, team)] : []),
    ]),
  ];
}
