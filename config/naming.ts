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

export function karpenterNodeRoleName(env: Environment): string {
  return `karpenter-${env.cluster.name}`;
}

export function karpenterControllerRoleName(env: Environment): string {
  return `${env.cluster.name}-karpenter-controller`;
}

export function karpenterQueueName(env: Environment): string {
  return `karpenter-${env.cluster.name}`;
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

/** Every IAM role name the project derives, for length checks (IAM allows 64 characters). */
export function allRoleNames(env: Environment): string[] {
  return [
    clusterRoleName(env),
    coreNodeRoleName(env),
    ebsCsiRoleName(env),
    karpenterNodeRoleName(env),
    karpenterControllerRoleName(env),
    ...env.teams.flatMap((team) => [jobExecutionRoleName(env, team), artifactUploaderRoleName(env, team)]),
  ];
}
