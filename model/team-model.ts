import {
  artifactUploaderRoleArn,
  artifactUploaderRoleName,
  inputSeederRoleArn,
  inputSeederRoleName,
  jobExecutionRoleArn,
  jobExecutionRoleName,
  teamBucketArn,
  teamBucketName,
  teamLogGroupName,
  teamNamespace,
  virtualClusterName,
} from '../config/naming';
import { jobFile, type JobFile } from '../config/jobs';
import type { Environment, Team } from '../config/schema';
import type { PlatformSources } from '../config/sources';
import { sha256 } from '../lib/hash';
import { effectiveJob, type EffectiveJob } from './effective-job';

/** An IAM role the platform creates, by name and ARN. */
export interface RoleRef {
  readonly name: string;
  readonly arn: string;
}

/** A file a team's jobs ship from `jobs/<team>/`, with its text and content address. */
export interface JobFileContent extends JobFile {
  /** The exact UTF-8 text, as read when the platform was loaded. */
  readonly content: string;
  /** SHA-256 (hex) of its bytes: its S3 key is `artifacts/<sha256>/<file>`. */
  readonly sha256: string;
}

/** A job of the team that waits, with a feature, for Terraform outputs. */
export interface WaitingJob {
  readonly job: EffectiveJob;
  readonly feature: string;
}

/** One team of one environment, as every renderer sees it. */
export interface TeamModel {
  /** The team as configured. */
  readonly config: Team;
  readonly name: string;
  readonly namespace: string;
  readonly bucket: { readonly name: string; readonly arn: string };
  readonly roles: {
    readonly jobExecution: RoleRef;
    readonly artifactUploader: RoleRef;
    /** Only for a team that seeds input data. */
    readonly inputSeeder?: RoleRef;
  };
  /** CloudWatch log group its jobs write to. */
  readonly logGroup: string;
  /** Its EMR virtual cluster. */
  readonly virtualCluster: string;
  /** The jobs that render now, effective. */
  readonly jobs: readonly EffectiveJob[];
  /** Jobs left out until a feature they need has its Terraform outputs. */
  readonly waitingJobs: readonly WaitingJob[];
  /** The files the rendered jobs ship, each once, by file name. */
  readonly jobFiles: readonly JobFileContent[];
}

/**
 * Builds a team's model. `cluster` is the environment the in-cluster side renders (waiting
 * features off, their jobs left out) and `rendered` the team as it holds it; `config` the
 * environment as configured, for the jobs that wait (`waiting` names the feature of each, by
 * `<team>/<job>`).
 */
export function buildTeamModel(
  config: Environment,
  cluster: Environment,
  team: Team,
  rendered: Team,
  waiting: ReadonlyMap<string, string>,
  sources: PlatformSources,
): TeamModel {
  const jobs = rendered.jobs.map((job) => effectiveJob(cluster, rendered, job));
  const waitingJobs = team.jobs.flatMap((job) => {
    const feature = waiting.get(`${team.name}/${job.name}`);
    return feature === undefined ? [] : [{ job: effectiveJob(config, team, job), feature }];
  });
  const role = (name: string, arn: string): RoleRef => ({ name, arn });
  return {
    config: rendered,
    name: team.name,
    namespace: teamNamespace(team),
    bucket: { name: teamBucketName(config, team), arn: teamBucketArn(config, team) },
    roles: {
      jobExecution: role(jobExecutionRoleName(config, team), jobExecutionRoleArn(config, team)),
      artifactUploader: role(artifactUploaderRoleName(config, team), artifactUploaderRoleArn(config, team)),
      ...(team.inputData.length > 0
        ? { inputSeeder: role(inputSeederRoleName(config, team), inputSeederRoleArn(config, team)) }
        : {}),
    },
    logGroup: teamLogGroupName(config, team),
    virtualCluster: virtualClusterName(config, team),
    jobs,
    waitingJobs,
    jobFiles: shippedFiles(rendered, sources),
  };
}

/** The files a team's jobs ship, each once, sorted by file name, with their text. */
function shippedFiles(team: Team, sources: PlatformSources): JobFileContent[] {
  const byFile = new Map<string, JobFileContent>();
  for (const job of team.jobs) {
    for (const path of [job.script, ...job.files]) {
      const found = jobFile(team, path);
      if (found === undefined || byFile.has(found.file)) continue;
      const content = sources.jobFiles.get(path);
      if (content === undefined) {
        throw new Error(`${path} was not loaded: build the model from loadSources() of the same platform`);
      }
      byFile.set(found.file, { ...found, content, sha256: sha256(content) });
    }
  }
  return [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
