import { Construct } from 'constructs';
import {
  jobExecutionRoleArn,
  jobLogUri,
  teamLogGroupName,
  teamNamespace,
  virtualClusterName,
  type Environment,
} from '../../config';
import type { EffectiveJob } from '../../model/effective-job';
import {
  LOG_GROUP_ANNOTATION,
  LOG_STREAM_PREFIX_ANNOTATION,
  LOG_URI_ANNOTATION,
} from '../../config/observability';
import { JobRun, type JobRunSpec } from '../imports/emrcontainers.services.k8s.aws';
import type { TeamArtifacts } from '../jobs/artifacts';
import {
  configurationOverrides,
  serializeConfigurationOverrides,
  type ConfigurationOverrides,
} from '../jobs/configuration-overrides';
import { contentHash } from '../../lib/hash';
import { mergeRecords } from '../../lib/merge';
import { emrContainersDefaults, jobSubmitterConfiguration } from '../jobs/emr-containers';
import { expandPlaceholders } from '../jobs/placeholders';
import { jobSparkDefaults } from '../jobs/spark-defaults';
import { runLabelProperties } from '../jobs/observability-properties';
import { CHAIN_LABELS, ONE_SHOT_TICK } from '../launcher/launcher-names';

/** Props for {@link EmrJobRun}. */
export interface EmrJobRunProps {
  readonly env: Environment;
  /** The job with its team's defaults merged in. */
  readonly job: EffectiveJob;
  /** The team's artifacts: the JobRun points at their content-addressed S3 URIs. */
  readonly artifacts: TeamArtifacts;
  /**
   * Render the JobRun object (Argo CD syncs it, so it runs once per definition). False for a job
   * that the team's launcher starts (a schedule, or `after`): only {@link EmrJobRun.template} is
   * used then. @default true
   */
  readonly committed?: boolean;
  /**
   * The job retries or another job runs after it: its committed JobRun carries the labels the
   * launcher reads (hash, run, tick `once`, attempt 1). @default false
   */
  readonly chain?: boolean;
}

/** A JobRun without its name: what the launcher copies for each run it creates. */
export interface JobRunTemplateObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: Omit<JobRunSpec, 'name'>;
}

/** Annotation that keeps the EMR job running when the JobRun object is deleted (prune, rename). */
export const DELETION_POLICY_ANNOTATION = 'services.k8s.aws/deletion-policy';
/** Labels and annotations this project puts on a JobRun. */
export const JOB_LABEL = 'emr-eks-gitops/job';
export const TEAM_LABEL = 'emr-eks-gitops/team';
export const RERUN_ANNOTATION = 'emr-eks-gitops/rerun';
/** The job's description, for reviewers (metadata only: editing it does not rename the JobRun). */
export const DESCRIPTION_ANNOTATION = 'emr-eks-gitops/description';

/**
 * One job as an ACK `JobRun` (decision 5, docs/decisions.md). Every spec field is immutable and deleting the
 * object cancels the job, so the object is content-addressed: `metadata.name` = `spec.name` =
 * `<job>-<8 hex of the SHA-256 of the effective spec and the rerun counter>`. Any change to the
 * job, its script, its pod templates or the platform values it reads is a new JobRun (a new
 * run); the old one leaves git and is pruned with `deletion-policy: retain`, which removes the
 * object without cancelling the AWS job.
 */
export class EmrJobRun extends Construct {
  /** `<job>-<8 hex>`. */
  readonly name: string;
  /** The 8 hex of the name: the content address of the definition. */
  readonly hash: string;
  readonly spec: JobRunSpec;
  /** Exactly the JobRun a one-shot run gets, without its name. */
  readonly template: JobRunTemplateObject;
  readonly overrides: ConfigurationOverrides;

  constructor(scope: Construct, id: string, props: EmrJobRunProps) {
    super(scope, id);
    const { env, job, artifacts } = props;
    const team = job.team;
    const namespace = teamNamespace(team);

    const entryPoint =
      job.entryPoint.kind === 'image'
        ? job.entryPoint.uri
        : (artifacts.jobFiles.get(job.entryPoint.source.file)?.uri ??
          fail(`job ${team.name}/${job.name}: no artifact for ${job.entryPoint.source.file}`));
    const args = job.arguments.map((argument) => expandPlaceholders(argument, env, job, artifacts));

    // Built once: the name is hashed from the properties without the run's labels, which are
    // then added (they carry the name).
    const sparkDefaults = jobSparkDefaults(env, job, artifacts);
    const overrides = (run?: string): ConfigurationOverrides =>
      configurationOverrides({
        sparkDefaults:
          run === undefined ? sparkDefaults : mergeRecords(sparkDefaults, runLabelProperties(run)),
        // What EMR adds to the job's pods (logging containers, the job submitter's placement and
        // eviction protection), explicit rather than EMR's defaults.
        more: [emrContainersDefaults(), jobSubmitterConfiguration()],
        monitoring: {
          persistentAppUI: 'ENABLED',
          cloudWatchMonitoringConfiguration: {
            logGroupName: teamLogGroupName(env, team),
            logStreamNamePrefix: job.monitoring.logStreamNamePrefix,
          },
          ...(job.monitoring.s3Logs ? { s3MonitoringConfiguration: { logUri: jobLogUri(env, team) } } : {}),
        },
      });
    const specOf = (configuration: ConfigurationOverrides): Omit<JobRunSpec, 'name'> => ({
      virtualClusterRef: { from: { name: virtualClusterName(env, team) } },
      executionRoleARN: jobExecutionRoleArn(env, team),
      releaseLabel: job.releaseLabel,
      jobDriver: {
        sparkSubmitJobDriver: { entryPoint, ...(args.length > 0 ? { entryPointArguments: args } : {}) },
      },
      configurationOverrides: serializeConfigurationOverrides(configuration),
      tags: { team: team.name, job: job.name },
    });
    // The hash covers everything but the run labels, which carry the name itself (a launcher's
    // runs of this definition share it: their EMR job ids tell them apart).
    this.hash = contentHash({ namespace, spec: specOf(overrides()), rerun: job.rerun });
    this.name = `${job.name}-${this.hash}`;
    this.overrides = overrides(this.name);
    const unnamed = specOf(this.overrides);
    this.spec = { name: this.name, ...unnamed };
    const labels = { [TEAM_LABEL]: team.name, [JOB_LABEL]: job.name };
    const annotations = {
      // Replace cancels a running scheduled run by deleting its object, so those runs are
      // deleted with their EMR job; every other run outlives its object.
      [DELETION_POLICY_ANNOTATION]: job.schedule?.concurrencyPolicy === 'Replace' ? 'delete' : 'retain',
      [RERUN_ANNOTATION]: String(job.rerun),
      // Where the run's logs go: the health check's message and the README name them.
      [LOG_GROUP_ANNOTATION]: teamLogGroupName(env, team),
      [LOG_STREAM_PREFIX_ANNOTATION]: job.monitoring.logStreamNamePrefix,
      ...(job.monitoring.s3Logs ? { [LOG_URI_ANNOTATION]: jobLogUri(env, team) } : {}),
      ...(job.description ? { [DESCRIPTION_ANNOTATION]: job.description } : {}),
    };
    this.template = {
      apiVersion: JobRun.GVK.apiVersion,
      kind: JobRun.GVK.kind,
      metadata: { namespace, labels, annotations },
      spec: unnamed,
    };

    if (props.committed ?? true) {
      new JobRun(this, 'job-run', {
        metadata: {
          name: this.name,
          namespace,
          labels: props.chain
            ? {
                ...labels,
                [CHAIN_LABELS.hash]: this.hash,
                [CHAIN_LABELS.run]: this.hash,
                [CHAIN_LABELS.tick]: ONE_SHOT_TICK,
                [CHAIN_LABELS.attempt]: '1',
              }
            : labels,
          annotations,
        },
        spec: this.spec,
      });
    }
  }
}

function fail(message: string): never {
  throw new Error(message);
}
