import { teamNamespace, type Environment } from '../config';
import {
  LOG_GROUP_ANNOTATION,
  LOG_STREAM_PREFIX_ANNOTATION,
  LOG_URI_ANNOTATION,
  logsTailCommand,
  runLogPath,
  SPARK_HISTORY_PORT,
  SPARK_HISTORY_SERVER,
} from '../config/observability';
import type { K8sApp } from '../manifests/render';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The "Where to look" section of `dist/<env>/README.md`: for each rendered JobRun, the CloudWatch
 * log group and stream prefix and the S3 URI its logs go to (read from the JobRun's annotations,
 * the ones its health message reads), then the one-liners that open them and the team's Spark
 * History Server. Which alerts a team gets is in `config/` (`teams[].notify`).
 */
export function whereToLookSection(env: Environment, apps: readonly K8sApp[]): string[] {
  const rows: string[] = [];
  for (const app of apps) {
    for (const { object } of app.objects) {
      if (object.kind !== 'JobRun') continue;
      const annotations = (object.metadata.annotations ?? {}) as Record<string, string>;
      const group = annotations[LOG_GROUP_ANNOTATION];
      const prefix = annotations[LOG_STREAM_PREFIX_ANNOTATION];
      if (group === undefined || prefix === undefined) continue;
      const uri = annotations[LOG_URI_ANNOTATION];
      rows.push(
        `| ${[
          String(object.metadata.namespace),
          object.metadata.name,
          `\`${group}\``,
          `\`${prefix}/\``,
          uri === undefined ? '-' : `\`${uri}\``,
        ]
          .map(cell)
          .join(' | ')} |`,
      );
    }
  }
  const run = runLogPath('<virtual cluster id>', '<job run id>');
  const notified = env.teams.filter((team) => team.notify.length > 0).map((team) => team.name);
  return [
    '## Where to look',
    '',
    `A failed or cancelled run turns its JobRun Degraded in Argo CD, with a message naming its log streams${notified.length > 0 ? `, and alerts ${notified.join(', ')} (\`teams[].notify\`)` : ''}. EMR writes each run's logs under \`<stream prefix>/${run}/\` in the log group and \`<S3 logs>${run}/\`; the ids are in the JobRun's \`status\` (\`kubectl get jobrun <name> -n <namespace> -o jsonpath='{.status.ackResourceMetadata.arn}'\`). See [docs/operations.md](../../docs/operations.md).`,
    '',
    '| namespace | JobRun | CloudWatch log group | stream prefix | S3 logs |',
    '| --- | --- | --- | --- | --- |',
    ...(rows.length > 0 ? rows : ['| - | - | - | - | - |']),
    '',
    `- Driver and executor logs of one run: \`${logsTailCommand(env.cluster.region, '<log group>', `<stream prefix>/${run}`)}\``,
    `- Why EMR stopped it: \`aws emr-containers describe-job-run --region ${env.cluster.region} --virtual-cluster-id <virtual cluster id> --id <job run id> --query 'jobRun.[state,failureReason,stateDetails]'\``,
    `- Its Spark UI after the job: \`kubectl port-forward -n <namespace> svc/${SPARK_HISTORY_SERVER} ${SPARK_HISTORY_PORT}\`, then http://localhost:${SPARK_HISTORY_PORT} (history servers: ${env.teams.map((team) => `\`${teamNamespace(team)}\``).join(', ')}).`,
    '',
  ];
}
