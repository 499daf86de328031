import { teamNamespace, type Environment } from '../../config';
import type { EffectiveJob } from '../../model/effective-job';
import { SPARK_LOCAL_DIR, type SparkPodTemplate } from '../constructs/spark-pod-template';
import { SPARK_UI_PORT } from '../constructs/team-network-policies';
import { EBS_SCRATCH_VOLUME_SIZE, SPARK_EBS_STORAGE_CLASS, podTemplateFile } from '../names';
import type { PodTemplateArtifact, TeamArtifacts } from './artifacts';
import { expandPlaceholders } from './placeholders';
import { eventLogProperties, podLabelProperties } from './observability-properties';
import { gangSchedulingProperties } from './task-groups';
import { mergeRecords } from '../../lib/merge';

/**
 * A job's `spark-defaults`, section by section: sizes, executor count, pod templates (by content
 * address) and scratch directory, the seed's Prometheus block, graceful decommissioning where
 * executors may run on Spot, YuniKorn gang scheduling, and last the job's own `sparkConf`
 * (which may not touch what the sections above own; `loadPlatform` refuses that).
 */

/** The pod templates a job uses (driver and executor of its pool and storage variant). */
export function jobPodTemplates(
  job: EffectiveJob,
  artifacts: TeamArtifacts,
): { driver: PodTemplateArtifact; executor: PodTemplateArtifact } {
  const get = (role: 'driver' | 'executor') => {
    const file = podTemplateFile(job.nodePool.name, job.storage, role);
    const found = artifacts.podTemplates.get(file);
    if (!found) throw new Error(`job ${job.team.name}/${job.name}: no pod template ${file}`);
    return found;
  };
  return { driver: get('driver'), executor: get('executor') };
}

/** Where the template mounts scratch storage in the Spark container (`spark.local.dir`). */
export function scratchMountPath(template: SparkPodTemplate): string | undefined {
  return template.spec.containers[0]?.volumeMounts?.[0]?.mountPath;
}

function sizing(job: EffectiveJob): Record<string, string> {
  const count: Record<string, string> =
    job.executors.kind === 'fixed'
      ? { 'spark.executor.instances': String(job.executors.instances) }
      : {
          // No external shuffle service on Kubernetes: shuffle tracking keeps executors with live shuffle data.
          'spark.dynamicAllocation.enabled': 'true',
          'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
          'spark.dynamicAllocation.minExecutors': String(job.executors.min),
          'spark.dynamicAllocation.maxExecutors': String(job.executors.max),
          ...(job.executors.initial !== undefined
            ? { 'spark.dynamicAllocation.initialExecutors': String(job.executors.initial) }
            : {}),
        };
  return {
    'spark.driver.cores': String(job.driver.cores),
    'spark.driver.memory': job.driver.memory,
    'spark.executor.cores': String(job.executor.cores),
    'spark.executor.memory': job.executor.memory,
    ...(job.driver.memoryOverhead ? { 'spark.driver.memoryOverhead': job.driver.memoryOverhead } : {}),
    ...(job.executor.memoryOverhead ? { 'spark.executor.memoryOverhead': job.executor.memoryOverhead } : {}),
    ...count,
  };
}

function storage(job: EffectiveJob, templates: ReturnType<typeof jobPodTemplates>): Record<string, string> {
  const localDir = scratchMountPath(templates.driver.template);
  const properties: Record<string, string> = {
    'spark.kubernetes.driver.podTemplateFile': templates.driver.uri,
    'spark.kubernetes.executor.podTemplateFile': templates.executor.uri,
    ...(localDir ? { 'spark.local.dir': localDir } : {}),
  };
  if (job.storage === 'ebs') {
    // One gp3 volume for the driver and one per executor, each created with its pod (Spark's
    // OnDemand claims), bound in the zone the pod lands in, and deleted with the pod.
    for (const role of ['driver', 'executor'] as const) {
      const volume = `spark.kubernetes.${role}.volumes.persistentVolumeClaim.spark-local-dir-1`;
      Object.assign(properties, {
        [`${volume}.options.claimName`]: 'OnDemand',
        [`${volume}.options.storageClass`]: SPARK_EBS_STORAGE_CLASS,
        [`${volume}.options.sizeLimit`]: EBS_SCRATCH_VOLUME_SIZE,
        [`${volume}.mount.path`]: SPARK_LOCAL_DIR,
        [`${volume}.mount.readOnly`]: 'false',
      });
    }
    properties['spark.local.dir'] = SPARK_LOCAL_DIR;
  }
  return properties;
}

/** The seed's metrics block: PrometheusServlet on the driver UI, scraped through annotations. */
function prometheus(): Record<string, string> {
  const port = String(SPARK_UI_PORT);
  return {
    'spark.ui.prometheus.enabled': 'true',
    'spark.executor.processTreeMetrics.enabled': 'true',
    'spark.metrics.appStatusSource.enabled': 'true',
    'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
    'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics/executors/prometheus/',
    'spark.kubernetes.driver.annotation.prometheus.io/port': port,
    'spark.kubernetes.driver.service.annotation.prometheus.io/scrape': 'true',
    'spark.kubernetes.driver.service.annotation.prometheus.io/path': '/metrics/driver/prometheus/',
    'spark.kubernetes.driver.service.annotation.prometheus.io/port': port,
    'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/driver/prometheus/',
    'spark.metrics.conf.master.sink.prometheusServlet.path': '/metrics/master/prometheus/',
    'spark.metrics.conf.applications.sink.prometheusServlet.path': '/metrics/applications/prometheus/',
  };
}

/**
 * Spot executors get a two-minute notice: decommissioning moves their shuffle and cached blocks
 * to surviving executors instead of recomputing them.
 */
function decommissioning(job: EffectiveJob): Record<string, string> {
  if (!job.nodePool.capacityTypes.includes('spot')) return {};
  return {
    'spark.decommission.enabled': 'true',
    'spark.storage.decommission.enabled': 'true',
    'spark.storage.decommission.shuffleBlocks.enabled': 'true',
    'spark.storage.decommission.rddBlocks.enabled': 'true',
  };
}

/**
 * Every `spark-defaults` property of a job but the run's labels: what the JobRun's name is hashed
 * from. The JobRun adds {@link runLabelProperties} of its name (the job's own `sparkConf` may not
 * set them, so they are added last without changing anything else).
 */
export function jobSparkDefaults(
  env: Environment,
  job: EffectiveJob,
  artifacts: TeamArtifacts,
): Record<string, string> {
  const templates = jobPodTemplates(job, artifacts);
  const own = Object.fromEntries(
    Object.entries(job.sparkConf).map(([key, value]) => [
      key,
      expandPlaceholders(value, env, job, artifacts),
    ]),
  );
  return mergeRecords(
    sizing(job),
    storage(job, templates),
    env.addons.prometheus ? prometheus() : {},
    eventLogProperties(env, job),
    podLabelProperties(job),
    decommissioning(job),
    gangSchedulingProperties(
      job,
      teamNamespace(job.team),
      templates.driver.template,
      templates.executor.template,
    ),
    own,
  );
}
