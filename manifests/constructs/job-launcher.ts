import { Construct } from 'constructs';
import { KubeConfigMap } from '../imports/k8s';
import type { Team } from '../../config';
import type { EffectiveJob } from '../../model/effective-job';
import { toJson } from '../../lib/serialize';
import { contentHash } from '../../lib/hash';
import { launcherConfig } from '../launcher/launcher-config';
import {
  FOLLOW_UP_CRON_JOB,
  LAUNCHER_CONFIG_KEY,
  LAUNCHER_CONFIG_MAP_PREFIX,
  LAUNCHER_SCRIPT_KEY,
} from '../launcher/launcher-names';
import { LAUNCHER_SCRIPT } from '../launcher/launcher-script';
import { launchCronJobName } from '../../config/job-chains';
import { JobLauncherAccess } from './job-launcher-access';
import { JobLauncherCronJob } from './job-launcher-cron-job';
import { TEAM_LABEL } from './emr-job-run';

/** Props for {@link JobLauncher}. */
export interface JobLauncherProps {
  readonly team: Team;
  readonly namespace: string;
  /** Every job of the team, effective. */
  readonly jobs: readonly EffectiveJob[];
  /** Job name → the content address of its definition. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Job name → its JobRun template ConfigMap, for every job the launcher starts or retries. */
  readonly templates: ReadonlyMap<string, string>;
}

/**
 * A team's job launcher (decision 19, docs/decisions.md): its identity ({@link JobLauncherAccess}),
 * ConfigMap `job-launcher-<8 hex>` (the script and `launcher.json`, content-addressed so a change
 * of either reaches the CronJobs as a new name), one `launch-<job>` CronJob per job with a
 * schedule of its own, and `job-follow-up` (every minute) when a job has `after` or `retry`.
 */
export class JobLauncher extends Construct {
  constructor(scope: Construct, id: string, props: JobLauncherProps) {
    super(scope, id);
    const { team, namespace, jobs, templates } = props;
    const config = launcherConfig(team.name, namespace, jobs, props.hashes);
    const data = {
      [LAUNCHER_SCRIPT_KEY]: LAUNCHER_SCRIPT,
      [LAUNCHER_CONFIG_KEY]: toJson(config),
    };
    const configMap = `${LAUNCHER_CONFIG_MAP_PREFIX}-${contentHash(data)}`;
    new JobLauncherAccess(this, 'access', { namespace });
    new KubeConfigMap(this, 'config-map', {
      metadata: { name: configMap, namespace, labels: { [TEAM_LABEL]: team.name } },
      data,
    });
    for (const job of jobs) {
      const template = templates.get(job.name);
      if (job.schedule === undefined || job.after.length > 0 || template === undefined) continue;
      new JobLauncherCronJob(this, `launch-${job.name}`, {
        name: launchCronJobName(job.name),
        namespace,
        team: team.name,
        job: job.name,
        schedule: job.schedule.cron,
        timeZone: job.schedule.timeZone,
        configMap,
        templates: new Map([[job.name, template]]),
      });
    }
    const followed = jobs.filter((job) => job.after.length > 0 || job.retry !== undefined);
    if (followed.length > 0) {
      new JobLauncherCronJob(this, 'follow-up', {
        name: FOLLOW_UP_CRON_JOB,
        namespace,
        team: team.name,
        schedule: '* * * * *',
        timeZone: 'UTC',
        configMap,
        templates: new Map(
          followed.flatMap((job) => {
            const template = templates.get(job.name);
            return template === undefined ? [] : [[job.name, template] as const];
          }),
        ),
      });
    }
  }
}
