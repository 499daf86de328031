import { sparkEventLogDir } from '../../config/observability';
import type { Environment } from '../../config';
import type { EffectiveJob } from '../../model/effective-job';

/**
 * The `spark-defaults` that let a team see its jobs (decision 20): rolling event logs in the team
 * bucket (read by the team's Spark History Server after the job), and pod labels naming the team,
 * the job and the run on every driver and executor (Kubecost splits cost by them; dashboards
 * group by them). All of them are the platform's (config/spark-properties.ts refuses them in a
 * job's `sparkConf`).
 */

/** Pod label keys the platform puts on Spark pods (values: the team, the job, the JobRun name). */
export const POD_TEAM_LABEL = 'team';
export const POD_JOB_LABEL = 'job';
export const POD_RUN_LABEL = 'run';

/** Every label the platform puts on Spark pods, plus Spark's own role label, for metrics to carry. */
export const SPARK_POD_LABELS = [
  POD_TEAM_LABEL,
  POD_JOB_LABEL,
  POD_RUN_LABEL,
  'spark-role',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
] as const;

/** Rolled event log files: each part is this large at most, so the history server reads a long job early. */
export const EVENT_LOG_ROLL_SIZE = '128m';

/** Rolling event logs under `s3a://<team bucket>/spark-event-logs/`. */
export function eventLogProperties(env: Environment, job: EffectiveJob): Record<string, string> {
  return {
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': sparkEventLogDir(env, job.team),
    'spark.eventLog.rolling.enabled': 'true',
    'spark.eventLog.rolling.maxFileSize': EVENT_LOG_ROLL_SIZE,
  };
}

/**
 * The labels of the job's driver and executor pods: `team`, `job` and the recommended
 * `app.kubernetes.io/*`. The run's own labels ({@link runLabelProperties}) are added once the
 * JobRun is named: the name is hashed from everything else, so they add nothing it does not cover.
 */
export function podLabelProperties(job: EffectiveJob): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const role of ROLES) {
    const labels: Record<string, string> = {
      [POD_TEAM_LABEL]: job.team.name,
      [POD_JOB_LABEL]: job.name,
      'app.kubernetes.io/name': 'spark',
      'app.kubernetes.io/component': role,
      'app.kubernetes.io/part-of': job.name,
      'app.kubernetes.io/managed-by': 'emr-eks-gitops',
    };
    for (const [key, value] of Object.entries(labels))
      properties[`spark.kubernetes.${role}.label.${key}`] = value;
  }
  return properties;
}

/** The labels that name the run (the JobRun) on its driver and executor pods: `run` and `app.kubernetes.io/instance`. */
export function runLabelProperties(run: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const role of ROLES) {
    properties[`spark.kubernetes.${role}.label.${POD_RUN_LABEL}`] = run;
    properties[`spark.kubernetes.${role}.label.app.kubernetes.io/instance`] = run;
  }
  return properties;
}

const ROLES = ['driver', 'executor'] as const;
