import { asArray, asObject, isObject } from '../lib/json';
import { shellWords } from '../lib/shell-words';

/**
 * A JobRun's settings as comparable keys: the Spark configuration it runs with, whichever of
 * its two places a key is written in, and the other EMR classifications.
 *
 * - `configurationOverrides.applicationConfiguration`: `spark-defaults` properties by their
 *   Spark key (`spark.executor.instances`); other classifications as
 *   `<classification>/<key>`, nested ones as `<classification>/<nested>/<key>`.
 * - `sparkSubmitParameters`: `--conf k=v` by its Spark key (spark-submit's flags win over
 *   spark-defaults, so the value a run gets is the one shown); other options by their flag
 *   (`--class`, `--jars`), a flag without a value as `true`.
 */
export function jobRunSettings(
  applicationConfiguration: unknown,
  sparkSubmitParameters: unknown,
): Map<string, unknown> {
  const settings = new Map<string, unknown>();
  for (const classification of asArray(applicationConfiguration))
    addClassification(settings, classification, '');
  if (typeof sparkSubmitParameters === 'string')
    for (const [key, value] of submitOptions(sparkSubmitParameters)) settings.set(key, value);
  return settings;
}

function addClassification(settings: Map<string, unknown>, classification: unknown, prefix: string): void {
  if (!isObject(classification)) return;
  const name = String(classification.classification);
  const path = prefix === '' && name === 'spark-defaults' ? '' : `${prefix}${name}/`;
  for (const [key, value] of Object.entries(asObject(classification.properties)))
    settings.set(`${path}${key}`, value);
  for (const nested of asArray(classification.configurations)) addClassification(settings, nested, path);
}

/** spark-submit options in order: `--conf k=v` as `[k, v]`, `--flag value` as `[--flag, value]`. */
export function submitOptions(parameters: string): [string, unknown][] {
  const words = shellWords(parameters);
  const options: [string, unknown][] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const inline = /^(--[\w-]+)=(.*)$/.exec(word);
    const flag = inline ? (inline[1] ?? '') : word;
    let value: string | undefined = inline ? inline[2] : undefined;
    if (value === undefined && words[i + 1] !== undefined && !(words[i + 1] ?? '').startsWith('--'))
      value = words[++i];
    if (flag === '--conf' && value !== undefined && value.includes('=')) {
      const equals = value.indexOf('=');
      options.push([value.slice(0, equals), value.slice(equals + 1)]);
    } else options.push([flag, value ?? true]);
  }
  return options;
}
