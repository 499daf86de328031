import type { PodTemplate } from '../../cross-checks';
import { podTemplateOf } from '../pod-template/lookup';
import { quantityValue } from '../../../lib/kubernetes-formats';
import { putMember } from '../../../lib/merge';
import type { FindingSink } from '../../findings';
import { classificationProperties, overridesEntry, parseOverrides } from './checks';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import { jobRunConf, sparkPodRequest, type SparkConf } from './spark-conf';
import type { RuntimeObject } from '../../runtime/objects';
import { specClaims, specContainer, stringMap, type ModelContainer, type ModelPod } from '../pod/model';

/**
 * The pods EMR on EKS creates for each JobRun, in the pod model of `kinds/pod/model.ts` (EMR on EKS Development Guide,
 * "Using job submitter classification" and "Using Amazon EMR container defaults classification";
 * Spark 3.5 on Kubernetes for the driver and executors):
 *
 * - the **job submitter** (job-runner) pod that runs spark-submit: a `job-runner` container
 *   whose resources EMR does not document (modelled as none, so the namespace's LimitRange
 *   decides them) and, when the job ships logs, a logging container requesting
 *   `jobsubmitter.logging.request.cores` (default 100m) and `jobsubmitter.logging.request.memory`
 *   (default 200Mi) with no limits (`jobsubmitter.logging: DISABLED` removes it); node selector,
 *   tolerations, labels and annotations from the `emr-job-submitter` classification;
 * - the **driver** and each **executor**: the pod template's containers and init containers,
 *   with Spark's own container (`spark-kubernetes-driver` / `spark-kubernetes-executor`, or a
 *   fresh one when the template has none of that name) requesting its cores
 *   (`spark.kubernetes.<role>.request.cores` or `spark.<role>.cores`) and heap + memory
 *   overhead, with a memory limit of the same size (and a CPU limit only from
 *   `spark.kubernetes.<role>.limit.cores`); node selector and annotations from the template plus
 *   `spark.kubernetes[.<role>].node.selector.*` / `spark.kubernetes.<role>.annotation.*`;
 *   plus EMR's logging container requesting `logging.request.memory` (default 512Mi) and
 *   `logging.request.cores` (default none), no limits, on the driver when the job ships logs or
 *   keeps the persistent UI, on each executor when the job ships logs unless
 *   `executor.logging: DISABLED`; a native sidecar (a restartable init container, after the
 *   template's) with `logging.nativeSidecar: ENABLED`.
 *
 * Not modelled: resources EMR may give the job-runner container itself.
 */

/** Spark's container name per role. */
export const SPARK_CONTAINER = {
  driver: 'spark-kubernetes-driver',
  executor: 'spark-kubernetes-executor',
} as const;

/** EMR's documented defaults for the containers it adds. */
export { EMR_LOGGING_DEFAULTS } from '../../../lib/spark-sizing';
import { EMR_LOGGING_DEFAULTS } from '../../../lib/spark-sizing';

const MIB = 2 ** 20;

/** Properties under `prefix` with the prefix removed (from a record or a SparkConf, without copying it). */
function withPrefix(
  properties: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  prefix: string,
): Record<string, string> {
  const found: Record<string, string> = {};
  const add = (value: string, key: string): void => {
    if (key.length <= prefix.length || !key.startsWith(prefix)) return;
    putMember(found, key.slice(prefix.length), value);
  };
  if (properties instanceof Map) properties.forEach(add);
  else {
    const record = properties as Readonly<Record<string, string>>;
    for (const key of Object.keys(record)) add(record[key]!, key);
  }
  return found;
}

/** `spark.kubernetes.<role>.volumes.persistentVolumeClaim.<v>.options.claimName` values naming a fixed claim. */
function confClaims(conf: SparkConf, role: 'driver' | 'executor'): string[] {
  const prefix = `spark.kubernetes.${role}.volumes.persistentVolumeClaim.`;
  return [...conf]
    .filter(([key]) => key.startsWith(prefix) && key.endsWith('.options.claimName'))
    .map(([, value]) => value)
    .filter((name) => name !== 'OnDemand' && !name.includes('SPARK_EXECUTOR_ID'));
}

/** EMR's logging container, or nothing when the job ships no logs from this pod. */
function loggingContainer(cpu: string | undefined, memory: string, sidecar: boolean): ModelContainer {
  const requests = new Map<string, number>();
  const cores = cpu === undefined ? undefined : quantityValue(cpu);
  if (cores !== undefined) requests.set('cpu', cores);
  const bytes = quantityValue(memory);
  if (bytes !== undefined) requests.set('memory', bytes);
  return { name: 'emr-logging', requests, limits: new Map(), sidecar, origin: 'emr-logging' };
}

/** What a JobRun's overrides say about logging. */
interface Monitoring {
  /** CloudWatch or S3 log shipping is configured. */
  readonly shipsLogs: boolean;
  readonly persistentUi: boolean;
}

function monitoringOf(overrides: Json | undefined): Monitoring {
  const monitoring = obj(
    overrides === undefined ? undefined : overridesEntry(overrides, 'monitoringConfiguration'),
  );
  return {
    shipsLogs:
      isObject(overridesEntry(monitoring, 'cloudWatchMonitoringConfiguration')) ||
      isObject(overridesEntry(monitoring, 's3MonitoringConfiguration')),
    persistentUi: overridesEntry(monitoring, 'persistentAppUI') !== 'DISABLED',
  };
}

/** Tolerations from `jobsubmitter.node.toleration.<key>[.effect|.tolerationSeconds]`. */
function submitterTolerations(properties: Readonly<Record<string, string>>): Json[] {
  const entries = withPrefix(properties, 'jobsubmitter.node.toleration.');
  const tolerations = new Map<string, Json>();
  const at = (key: string): Json => {
    let found = tolerations.get(key);
    if (found === undefined) tolerations.set(key, (found = { key }));
    return found;
  };
  for (const [rest, value] of Object.entries(entries)) {
    if (rest.endsWith('.effect')) at(rest.slice(0, -'.effect'.length)).effect = value;
    else if (rest.endsWith('.tolerationSeconds'))
      at(rest.slice(0, -'.tolerationSeconds'.length)).tolerationSeconds = Number(value);
    else Object.assign(at(rest), value === '' ? { operator: 'Exists' } : { operator: 'Equal', value });
  }
  return [...tolerations.values()];
}

function executorCount(conf: SparkConf): number {
  if (conf.get('spark.dynamicAllocation.enabled') === 'true') {
    const min = Number(conf.get('spark.dynamicAllocation.minExecutors') ?? '0');
    const initial = Number(conf.get('spark.dynamicAllocation.initialExecutors') ?? '0');
    return Math.max(min, initial, 1);
  }
  return Number(conf.get('spark.executor.instances') ?? '2');
}

/** The pod template a JobRun names for a role (by file name, in its namespace). */
export function jobRunTemplate(
  conf: SparkConf,
  role: 'driver' | 'executor',
  namespace: string | undefined,
  templates: readonly PodTemplate[],
): PodTemplate | undefined {
  const file = conf.get(`spark.kubernetes.${role}.podTemplateFile`)?.split('/').at(-1);
  return file === undefined ? undefined : podTemplateOf(templates, namespace, file);
}

function sparkPod(
  run: RuntimeObject,
  role: 'driver' | 'executor',
  conf: SparkConf,
  entryPoint: string,
  monitoring: Monitoring,
  defaults: Readonly<Record<string, string>>,
  templates: readonly PodTemplate[],
): ModelPod | undefined {
  let request;
  try {
    request = sparkPodRequest(conf, role, entryPoint);
  } catch {
    return undefined; // reported as cross.spark-conf
  }
  const template = jobRunTemplate(conf, role, run.namespace, templates);
  const spec = obj(template?.pod.spec);
  const fromTemplate = arr(spec.containers).filter(isObject);
  const own = fromTemplate.find((c) => c.name === SPARK_CONTAINER[role]);
  const base = own === undefined ? undefined : specContainer(own);
  const requests = new Map(base?.requests ?? []);
  requests.set('cpu', request.cpu);
  requests.set('memory', request.memoryMiB * MIB);
  const limits = new Map(base?.limits ?? []);
  limits.set('memory', request.memoryMiB * MIB);
  const limitCores = quantityValue(conf.get(`spark.kubernetes.${role}.limit.cores`));
  if (limitCores !== undefined) limits.set('cpu', limitCores);
  const spark: ModelContainer = {
    name: SPARK_CONTAINER[role],
    requests,
    limits,
    sidecar: false,
    origin: 'spark',
  };
  const logs =
    role === 'driver'
      ? monitoring.shipsLogs || monitoring.persistentUi
      : monitoring.shipsLogs && defaults['executor.logging'] !== 'DISABLED';
  const native = defaults['logging.nativeSidecar'] === 'ENABLED';
  const logging = logs
    ? loggingContainer(
        defaults['logging.request.cores'],
        defaults['logging.request.memory'] ?? EMR_LOGGING_DEFAULTS.sparkMemory,
        native,
      )
    : undefined;
  const init = arr(spec.initContainers)
    .filter(isObject)
    .map((c) => specContainer(c, c.restartPolicy === 'Always'));
  const metadata = obj(template?.pod.metadata);
  return {
    owner: run,
    role,
    count: role === 'driver' ? 1 : executorCount(conf),
    namespace: run.namespace ?? '',
    nodeSelector: {
      ...stringMap(spec.nodeSelector),
      ...withPrefix(conf, 'spark.kubernetes.node.selector.'),
      ...withPrefix(conf, `spark.kubernetes.${role}.node.selector.`),
    },
    tolerations: arr(spec.tolerations).filter(isObject),
    annotations: {
      ...stringMap(metadata.annotations),
      ...withPrefix(conf, `spark.kubernetes.${role}.annotation.`),
    },
    initContainers: [...init, ...(logging?.sidecar === true ? [logging] : [])],
    containers: [
      spark,
      ...fromTemplate.filter((c) => c !== own).map((c) => specContainer(c)),
      ...(logging !== undefined && !logging.sidecar ? [logging] : []),
    ],
    claims: [...specClaims(spec), ...confClaims(conf, role)],
    ...(template !== undefined ? { template } : {}),
  };
}

/** The pods EMR on EKS creates for one JobRun: job submitter, driver, executors. */
export function jobRunPods(run: RuntimeObject, templates: readonly PodTemplate[]): ModelPod[] {
  const spec = obj(run.object.spec);
  const overrides = parseOverrides(spec);
  const { conf, entryPoint } = jobRunConf(spec);
  const monitoring = monitoringOf(overrides);
  const defaults = classificationProperties(overrides, 'emr-containers-defaults');
  const submitter = classificationProperties(overrides, 'emr-job-submitter');
  const submitterLogging =
    monitoring.shipsLogs && submitter['jobsubmitter.logging'] !== 'DISABLED'
      ? [
          loggingContainer(
            submitter['jobsubmitter.logging.request.cores'] ?? EMR_LOGGING_DEFAULTS.submitterCpu,
            submitter['jobsubmitter.logging.request.memory'] ?? EMR_LOGGING_DEFAULTS.submitterMemory,
            false,
          ),
        ]
      : [];
  const jobRunner: ModelContainer = {
    name: 'job-runner',
    requests: new Map(),
    limits: new Map(),
    sidecar: false,
    origin: 'job-runner',
  };
  const pods: ModelPod[] = [
    {
      owner: run,
      role: 'job-submitter',
      count: 1,
      namespace: run.namespace ?? '',
      nodeSelector: withPrefix(submitter, 'jobsubmitter.node.selector.'),
      tolerations: submitterTolerations(submitter),
      annotations: withPrefix(submitter, 'jobsubmitter.annotation.'),
      initContainers: [],
      containers: [jobRunner, ...submitterLogging],
      claims: [],
    },
  ];
  for (const role of ['driver', 'executor'] as const) {
    const pod = sparkPod(run, role, conf, entryPoint, monitoring, defaults, templates);
    if (pod !== undefined) pods.push(pod);
  }
  return pods;
}

/**
 * Spark takes the container of its own name from a template and treats every other container
 * as a sidecar: a template meant for a role but without `spark-kubernetes-driver` /
 * `spark-kubernetes-executor` (a typo such as `spark-kubernetes-executors`) silently gets a
 * second, fresh Spark container next to the misnamed one. A template's role is the one JobRuns
 * use it for, else the `-driver.yaml` / `-executor.yaml` suffix of its file name.
 */
export function checkSparkContainerNames(
  sink: FindingSink,
  templates: readonly PodTemplate[],
  runs: readonly RuntimeObject[],
): void {
  const roles = new Map<PodTemplate, Set<'driver' | 'executor'>>();
  for (const run of runs) {
    const { conf } = jobRunConf(obj(run.object.spec));
    for (const role of ['driver', 'executor'] as const) {
      const template = jobRunTemplate(conf, role, run.namespace, templates);
      if (template !== undefined) roles.set(template, (roles.get(template) ?? new Set()).add(role));
    }
  }
  for (const template of templates) {
    const used =
      roles.get(template) ??
      new Set(
        template.key.endsWith('-driver.yaml')
          ? (['driver'] as const)
          : template.key.endsWith('-executor.yaml')
            ? (['executor'] as const)
            : [],
      );
    const names = arr(obj(template.pod.spec).containers)
      .filter(isObject)
      .map((c) => str(c.name) ?? '');
    for (const role of used) {
      if (names.includes(SPARK_CONTAINER[role])) continue;
      sink.report(
        template.file,
        `${template.path}.spec.containers`,
        'pod.spark-container-name',
        `is ${role === 'executor' ? 'an' : 'a'} ${role} pod template without a container named ${SPARK_CONTAINER[role]} (has ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'}): Spark would run its own container next to these, as sidecars; rename the Spark container to ${SPARK_CONTAINER[role]}`,
      );
    }
  }
}
