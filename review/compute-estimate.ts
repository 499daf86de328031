import { allocatable, INSTANCE_CATALOG } from '../lib/instance-catalog';
import { asObject, isObject, type Json } from '../lib/json';
import { quantityValue } from '../lib/kubernetes-formats';
import { EMR_LOGGING_DEFAULTS, sparkPodRequest, type SparkConf } from '../lib/spark-sizing';
import type { Index } from './model';
import { jobRunSettings } from './spark-conf';

/**
 * What a new or changed job reserves while it runs, for the PR diff (decision 20): its pods'
 * requests (driver and executors, Spark's container plus EMR's logging container), and the
 * nodes of its pool they take, packed onto the pool's instance type that needs the fewest vCPU
 * (`lib/instance-catalog.ts`: allocatable after kubelet reserves and DaemonSets). Karpenter
 * bills whole nodes, so the nodes are the reservation; the pods are the floor.
 *
 * A run's length is not known before it runs, so the figures are per hour of run: a job that runs
 * two hours reserves twice as many vCPU-hours. With `runsPerDay` (a scheduled job) they are
 * also given per day. No prices: what an hour of a type costs changes with Spot and contracts;
 * Kubecost reports the money after the fact, by the pods' team, job and run labels.
 */

/** One role's pods: how many, and what each requests. */
export interface PodGroup {
  readonly count: number;
  readonly cpu: number;
  readonly memoryMiB: number;
}

export interface ComputeEstimate {
  readonly driver: PodGroup;
  readonly executors: PodGroup;
  /** Whether the executor count is dynamic allocation's maximum rather than a fixed count. */
  readonly upTo: boolean;
  /** The pods' requests together. */
  readonly podVcpu: number;
  readonly podGiB: number;
  /** The nodes they take: one per instance type chosen (driver, executors), with counts. */
  readonly nodes: readonly { readonly type: string; readonly count: number }[];
  /** vCPU and GiB of those nodes: vCPU-hours and GiB-hours per hour of run. */
  readonly nodeVcpu: number;
  readonly nodeGiB: number;
  /** Per day, for a job that runs `runsPerDay` times a day, each for an hour (scale by hours). */
  readonly perDay?: { readonly runs: number; readonly vcpuHours: number; readonly gibHours: number };
}

const MIB_PER_GIB = 1024;

/**
 * A JobRun spec's settings as the review reads them (`spark-conf.ts`): the Spark keys, whichever
 * of their two places they are written in, and EMR's classifications as `<classification>/<key>`.
 */
function settingsOf(spec: Json): { conf: SparkConf; entryPoint: string } {
  let overrides: unknown;
  try {
    overrides = JSON.parse(
      typeof spec.configurationOverrides === 'string' ? spec.configurationOverrides : '{}',
    );
  } catch {
    overrides = {};
  }
  const driver = asObject(asObject(spec.jobDriver).sparkSubmitJobDriver);
  const settings = jobRunSettings(
    isObject(overrides) ? overrides.applicationConfiguration : undefined,
    driver.sparkSubmitParameters,
  );
  const conf = new Map<string, string>();
  for (const [key, value] of settings) if (typeof value === 'string') conf.set(key, value);
  return { conf, entryPoint: typeof driver.entryPoint === 'string' ? driver.entryPoint : '' };
}

function logging(conf: SparkConf): { cpu: number; memoryMiB: number } {
  const cpu = quantityValue(conf.get('emr-containers-defaults/logging.request.cores')) ?? 0;
  const memory =
    quantityValue(
      conf.get('emr-containers-defaults/logging.request.memory') ?? EMR_LOGGING_DEFAULTS.sparkMemory,
    ) ?? 0;
  return { cpu, memoryMiB: memory / 2 ** 20 };
}

function executorCount(conf: SparkConf): { count: number; upTo: boolean } {
  if (conf.get('spark.dynamicAllocation.enabled') === 'true')
    return { count: Number(conf.get('spark.dynamicAllocation.maxExecutors') ?? '0'), upTo: true };
  return { count: Number(conf.get('spark.executor.instances') ?? '2'), upTo: false };
}

/** The instance type of `types` that holds `group` on the fewest vCPU, and how many nodes. */
function pack(group: PodGroup, types: readonly string[]): { type: string; count: number } | undefined {
  let best: { type: string; count: number; vcpu: number } | undefined;
  for (const type of types) {
    const facts = INSTANCE_CATALOG.get(type);
    if (facts === undefined) continue;
    const free = allocatable(facts);
    const perNode = Math.min(Math.floor(free.cpu / group.cpu), Math.floor(free.memoryMiB / group.memoryMiB));
    if (perNode < 1) continue;
    const count = Math.ceil(group.count / perNode);
    const vcpu = count * facts.vcpu;
    if (best === undefined || vcpu < best.vcpu) best = { type, count, vcpu };
  }
  return best === undefined ? undefined : { type: best.type, count: best.count };
}

/**
 * The estimate of one JobRun spec on a pool of `instanceTypes` (its NodePool's
 * `node.kubernetes.io/instance-type` values), or undefined when no type of the pool holds its
 * pods (the validator reports that) or the pool's types are not in the catalog.
 */
export function computeEstimate(
  spec: Json,
  instanceTypes: readonly string[],
  runsPerDay?: number,
): ComputeEstimate | undefined {
  const { conf, entryPoint } = settingsOf(spec);
  const sidecar = logging(conf);
  const group = (role: 'driver' | 'executor', count: number): PodGroup => {
    const request = sparkPodRequest(conf, role, entryPoint);
    return { count, cpu: request.cpu + sidecar.cpu, memoryMiB: request.memoryMiB + sidecar.memoryMiB };
  };
  const { count, upTo } = executorCount(conf);
  const driver = group('driver', 1);
  const executors = group('executor', count);
  const driverNodes = pack(driver, instanceTypes);
  const executorNodes = count > 0 ? pack(executors, instanceTypes) : { type: '', count: 0 };
  if (driverNodes === undefined || executorNodes === undefined) return undefined;
  const nodes = [driverNodes, ...(executorNodes.count > 0 ? [executorNodes] : [])];
  const size = (pick: (facts: { vcpu: number; memoryGiB: number }) => number) =>
    nodes.reduce(
      (sum, node) => sum + node.count * pick(INSTANCE_CATALOG.get(node.type) ?? { vcpu: 0, memoryGiB: 0 }),
      0,
    );
  const nodeVcpu = size((facts) => facts.vcpu);
  const nodeGiB = size((facts) => facts.memoryGiB);
  return {
    driver,
    executors,
    upTo,
    podVcpu: driver.cpu + executors.count * executors.cpu,
    podGiB: (driver.memoryMiB + executors.count * executors.memoryMiB) / MIB_PER_GIB,
    nodes,
    nodeVcpu,
    nodeGiB,
    ...(runsPerDay !== undefined && runsPerDay > 0
      ? { perDay: { runs: runsPerDay, vcpuHours: nodeVcpu * runsPerDay, gibHours: nodeGiB * runsPerDay } }
      : {}),
  };
}

const round = (value: number): string => String(Math.round(value * 10) / 10);

/** The estimate as one sentence for the diff's notice. */
export function estimateText(estimate: ComputeEstimate, pool: string): string {
  const { driver, executors } = estimate;
  const pods =
    `driver ${round(driver.cpu)} vCPU/${round(driver.memoryMiB / MIB_PER_GIB)} GiB + ` +
    `${estimate.upTo ? 'up to ' : ''}${executors.count} executor(s) × ${round(executors.cpu)} vCPU/${round(executors.memoryMiB / MIB_PER_GIB)} GiB`;
  const nodes = estimate.nodes.map((node) => `${node.count} × ${node.type}`).join(' + ');
  const perDay =
    estimate.perDay === undefined
      ? ''
      : `; at ${estimate.perDay.runs} run(s) a day, ${round(estimate.perDay.vcpuHours)} vCPU-hours and ${round(estimate.perDay.gibHours)} GiB-hours a day per hour each run lasts`;
  return (
    `compute: pods request ${round(estimate.podVcpu)} vCPU and ${round(estimate.podGiB)} GiB (${pods}); ` +
    `on ${pool} that takes ${nodes} = ${round(estimate.nodeVcpu)} vCPU and ${round(estimate.nodeGiB)} GiB reserved, ` +
    `${round(estimate.nodeVcpu)} vCPU-hours and ${round(estimate.nodeGiB)} GiB-hours per hour of run${perDay}`
  );
}

/** `node.kubernetes.io/instance-type` values of a NodePool object. */
export function nodePoolInstanceTypes(nodePool: unknown): string[] {
  const requirements = asObject(asObject(asObject(asObject(nodePool).spec).template).spec).requirements;
  if (!Array.isArray(requirements)) return [];
  const entry = requirements
    .map(asObject)
    .find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In');
  return Array.isArray(entry?.values) ? entry.values.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The estimate notice of an added or replaced JobRun of `env` in `after` (the dist/ being
 * reviewed): its pool is the NodePool its driver pod template is named after
 * (`…/<pool>-<storage>-driver.yaml`). `runsPerDay` gives the per-day figures of a scheduled job.
 */
export function jobRunEstimate(
  jobRun: unknown,
  env: string,
  after: Index,
  runsPerDay?: (jobRun: unknown) => number | undefined,
): string | undefined {
  const spec = asObject(asObject(jobRun).spec);
  const { conf } = settingsOf(spec);
  const file = (conf.get('spark.kubernetes.driver.podTemplateFile') ?? '').split('/').at(-1) ?? '';
  const pools = [...after.values()]
    .filter((entry) => entry.env === env && entry.kind === 'NodePool' && file.startsWith(`${entry.name}-`))
    .sort((a, b) => b.name.length - a.name.length);
  const pool = pools[0];
  if (pool === undefined) return undefined;
  const estimate = computeEstimate(spec, nodePoolInstanceTypes(pool.value), runsPerDay?.(jobRun));
  return estimate === undefined ? undefined : estimateText(estimate, `NodePool ${pool.name}`);
}
