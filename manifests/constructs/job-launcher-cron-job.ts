import { Construct } from 'constructs';
import { KubeCronJob, Quantity, type VolumeProjection } from '../imports/k8s';
import { versions } from '../../config';
import {
  JOB_RUN_TEMPLATE_KEY,
  LAUNCHER_CONFIG_KEY,
  LAUNCHER_DIR,
  LAUNCHER_SCRIPT_KEY,
  LAUNCHER_SERVICE_ACCOUNT,
  LAUNCHER_UID,
} from '../launcher/launcher-names';
import { nonRootPodSecurity, RESTRICTED_CONTAINER_SECURITY } from '../jobs/pod-security';
import { JOB_LABEL, TEAM_LABEL } from './emr-job-run';

/** Props for {@link JobLauncherCronJob}. */
export interface JobLauncherCronJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly team: string;
  /** The job a `tick` launcher serves; absent for the follow-up launcher. */
  readonly job?: string;
  readonly schedule: string;
  readonly timeZone: string;
  /** The launcher ConfigMap (`job-launcher-<8 hex>`). */
  readonly configMap: string;
  /** Job name → its JobRun template ConfigMap. */
  readonly templates: ReadonlyMap<string, string>;
}

/** How long a launcher pod may take (one list, a few creates and deletes). */
export const LAUNCHER_DEADLINE_SECONDS = 300;

/**
 * A CronJob that runs the job launcher (`manifests/launcher/launcher-script.ts`) in the pinned
 * Node.js image: as `launch-<job>` on the job's schedule and time zone (`tick <job>`), or as
 * `job-follow-up` every minute (`follow-up`). The CronJob's own concurrency policy is Forbid and
 * applies to launcher pods, which take seconds; the job's policy applies to its JobRuns and is
 * the launcher's to enforce. The pod passes Pod Security `restricted`: non-root uid 1000,
 * read-only root filesystem, no privilege escalation, every capability dropped, the runtime's
 * seccomp profile; only this pod mounts the launcher's token.
 */
export class JobLauncherCronJob extends Construct {
  constructor(scope: Construct, id: string, props: JobLauncherCronJobProps) {
    super(scope, id);
    const labels = {
      'app.kubernetes.io/name': 'job-launcher',
      [TEAM_LABEL]: props.team,
      ...(props.job !== undefined ? { [JOB_LABEL]: props.job } : {}),
    };
    const sources: VolumeProjection[] = [
      {
        configMap: {
          name: props.configMap,
          items: [
            { key: LAUNCHER_SCRIPT_KEY, path: LAUNCHER_SCRIPT_KEY },
            { key: LAUNCHER_CONFIG_KEY, path: `config/${LAUNCHER_CONFIG_KEY}` },
          ],
        },
      },
      ...[...props.templates]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([job, name]) => ({
          configMap: { name, items: [{ key: JOB_RUN_TEMPLATE_KEY, path: `templates/${job}.json` }] },
        })),
    ];
    const memory = Quantity.fromString('96Mi');
    new KubeCronJob(this, 'cron-job', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: LAUNCHER_DEADLINE_SECONDS,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: LAUNCHER_DEADLINE_SECONDS,
            ttlSecondsAfterFinished: 24 * 3600,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: LAUNCHER_SERVICE_ACCOUNT,
                automountServiceAccountToken: true,
                restartPolicy: 'Never',
                securityContext: nonRootPodSecurity(LAUNCHER_UID, LAUNCHER_UID),
                containers: [
                  {
                    name: 'launcher',
                    image: versions.nodeImage,
                    command: [
                      'node',
                      `${LAUNCHER_DIR}/${LAUNCHER_SCRIPT_KEY}`,
                      ...(props.job !== undefined ? ['tick', props.job] : ['follow-up']),
                    ],
                    env: [
                      { name: 'LAUNCHER_DIR', value: LAUNCHER_DIR },
                      { name: 'LAUNCHER_CRONJOB', value: props.name },
                      {
                        name: 'LAUNCHER_JOB_NAME',
                        valueFrom: {
                          fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" },
                        },
                      },
                    ],
                    resources: {
                      requests: { cpu: Quantity.fromString('50m'), memory },
                      limits: { memory },
                    },
                    securityContext: RESTRICTED_CONTAINER_SECURITY,
                    volumeMounts: [{ name: 'launcher', mountPath: LAUNCHER_DIR, readOnly: true }],
                  },
                ],
                volumes: [{ name: 'launcher', projected: { sources } }],
              },
            },
          },
        },
      },
    });
  }
}
