import { parseOverrides, sparkDefaults } from './checks';
import { asObject as obj, asString as str, type Json } from '../../../lib/json';
import { shellWords } from '../../../lib/shell-words';

/** The Spark settings of one JobRun: spark-defaults from configurationOverrides, then spark-submit flags on top. */
export type { SparkConf } from '../../../lib/spark-sizing';
export { sparkMemoryMiB, sparkPodRequest, type SparkPodRequest } from '../../../lib/spark-sizing';
import type { SparkConf } from '../../../lib/spark-sizing';

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
