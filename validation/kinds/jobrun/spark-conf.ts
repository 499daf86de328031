import { parseQuantity } from '../../../lib/kubernetes-formats';
import { parseOverrides, sparkDefaults } from './checks';
import { asObject as obj, asString as str, type Json } from '../../../lib/json';
import { shellWords } from '../../../lib/shell-words';

/** The Spark settings of one JobRun: spark-defaults from configurationOverrides, then spark-submit flags on top. */
export type SparkConf = ReadonlyMap<string, string>;

const FLAG_TO_CONF: Readonly<Record<string, string>> = {
  '--driver-memory': 'spark.driver.memory',
  '--driver-cores': 'spark.driver.cores',
  '--executor-memory': 'spark.executor.memory',
  '--executor-cores': 'spark.executor.cores',
  '--num-executors': 'spark.executor.instances',
  '--class': 'spark.app.mainClass',
  '--name': 'spark.app.name',
};

/** Splits `--conf a=b --driver-memory 4g …` into Spark properties (quotes are honoured). */
export function sparkSubmitConf(parameters: string): Map<string, string> {
  const tokens = shellWords(parameters);
  const conf = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const next = tokens[i + 1];
    if ((token === '--conf' || token === '-c') && next !== undefined) {
      const eq = next.indexOf('=');
      if (eq > 0) conf.set(next.slice(0, eq), next.slice(eq + 1));
      i++;
    } else if (token in FLAG_TO_CONF && next !== undefined) {
      conf.set(FLAG_TO_CONF[token] ?? token, next);
      i++;
    }
  }
  return conf;
}

/** Spark's JVM memory strings (`4g`, `512m`, `4096`) in MiB. */
export function sparkMemoryMiB(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmgtp]?)b?$/i.exec(value.trim());
  if (match === null) throw new Error(`"${value}" is not a Spark memory size (e.g. 4g, 512m)`);
  const number = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const factor: Record<string, number> = {
    '': 1 / (1024 * 1024),
    k: 1 / 1024,
    m: 1,
    g: 1024,
    t: 1024 * 1024,
    p: 1024 ** 3,
  };
  // A bare number is MiB for spark.*.memory, as Spark reads it.
  return unit === '' ? number : number * (factor[unit] ?? 1);
}

/** One Spark pod's request, as Kubernetes sees it. */
export interface SparkPodRequest {
  readonly cpu: number;
  /** Heap + memory overhead (+ PySpark memory), MiB. */
  readonly memoryMiB: number;
  readonly overheadMiB: number;
}

const MIN_OVERHEAD_MIB = 384;

/**
 * The resources Spark on Kubernetes requests for the driver or executor pods: cores (or the
 * request override), memory plus overhead — `spark.<role>.memoryOverhead` if set, else the
 * overhead factor (0.1 for JVM jobs, 0.4 for Python/R on Kubernetes) with a 384 MiB floor.
 */
export function sparkPodRequest(
  conf: SparkConf,
  role: 'driver' | 'executor',
  entryPoint: string,
): SparkPodRequest {
  const cpuRequest = conf.get(`spark.kubernetes.${role}.request.cores`);
  const cpu =
    cpuRequest !== undefined ? parseQuantity(cpuRequest) : Number(conf.get(`spark.${role}.cores`) ?? '1');
  const heap = sparkMemoryMiB(conf.get(`spark.${role}.memory`) ?? '1g');
  const explicit = conf.get(`spark.${role}.memoryOverhead`);
  const nonJvm = /\.(py|r)$/i.test(entryPoint);
  const factor = Number(
    conf.get(`spark.${role}.memoryOverheadFactor`) ??
      conf.get('spark.kubernetes.memoryOverheadFactor') ??
      (nonJvm ? 0.4 : 0.1),
  );
  const overhead =
    explicit !== undefined ? sparkMemoryMiB(explicit) : Math.max(MIN_OVERHEAD_MIB, Math.floor(heap * factor));
  const pyspark =
    role === 'executor' && conf.has('spark.executor.pyspark.memory')
      ? sparkMemoryMiB(conf.get('spark.executor.pyspark.memory') ?? '0')
      : 0;
  return { cpu, memoryMiB: heap + overhead + pyspark, overheadMiB: overhead };
}

/** One conf per JobRun spec object: the cross-object checks and the runtime models all read it. */
const confs = new WeakMap<Json, { conf: SparkConf; entryPoint: string }>();

/**
 * A JobRun's Spark settings as spark-submit sees them: `spark-defaults` from its
 * configurationOverrides, with `sparkSubmitParameters` on top; and its entry point.
 */
export function jobRunConf(spec: Json): { conf: SparkConf; entryPoint: string } {
  const cached = confs.get(spec);
  if (cached !== undefined) return cached;
  const driver = obj(obj(spec.jobDriver).sparkSubmitJobDriver);
  const conf = new Map(Object.entries(sparkDefaults(parseOverrides(spec))));
  for (const [key, value] of sparkSubmitConf(str(driver.sparkSubmitParameters) ?? '')) conf.set(key, value);
  const result = { conf, entryPoint: str(driver.entryPoint) ?? '' };
  confs.set(spec, result);
  return result;
}
