import { load } from 'js-yaml';
import type { JobRun } from '../../bindings/emrcontainers.services.k8s.aws';
import { checkClassificationProperties } from './classification-properties';
import type { FindingSink } from '../../findings';
import { isObject, type Json } from '../../../lib/json';
import {
  CONFIGURATION_OVERRIDES_SHAPE,
  type OverridesShape,
} from '../../../lib/configuration-overrides-shape';

/** The description-only regexes of the ACK JobRun CRD (v1.4.1), which the API server does not enforce. */
const PATTERNS: readonly [
  field: 'name' | 'virtualClusterID' | 'executionRoleARN' | 'releaseLabel',
  pattern: RegExp,
][] = [
  ['name', /^[.\-_/#A-Za-z0-9]{1,64}$/],
  ['virtualClusterID', /^[0-9a-z]+$/],
  [
    'executionRoleARN',
    /^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\/)|(\/[\u0021-\u007F]+\/))[\w+=,.@-]+)$/,
  ],
  ['releaseLabel', /^[.\-_/A-Za-z0-9]+$/],
];

function checkShape(
  sink: FindingSink,
  file: string,
  path: string,
  value: unknown,
  shape: OverridesShape,
): void {
  if (shape.fields !== undefined) {
    if (!isObject(value)) {
      sink.report(file, path, 'jobrun.overrides-shape', 'must be an object');
      return;
    }
    const byLower = new Map(Object.keys(shape.fields).map((k) => [k.toLowerCase(), k]));
    const present = new Set<string>();
    for (const [key, child] of Object.entries(value)) {
      const known = byLower.get(key.toLowerCase());
      if (known === undefined) {
        sink.report(
          file,
          `${path}.${key}`,
          'jobrun.overrides-unknown-key',
          `unknown key "${key}": the ACK controller drops it silently (known: ${[...byLower.values()].join(', ')})`,
        );
        continue;
      }
      present.add(known);
      const childShape = shape.fields[known];
      if (childShape !== undefined && child !== null)
        checkShape(sink, file, `${path}.${key}`, child, childShape);
    }
    for (const required of shape.required ?? []) {
      if (present.has(required)) continue;
      const missing = shape.fields[required]?.missing;
      sink.report(
        file,
        path,
        missing?.rule ?? 'jobrun.overrides-shape',
        missing?.reason ?? `missing "${required}"`,
      );
    }
  } else if (shape.list !== undefined) {
    if (!Array.isArray(value)) sink.report(file, path, 'jobrun.overrides-shape', 'must be a list');
    else
      value.forEach((item, i) => checkShape(sink, file, `${path}[${i}]`, item, shape.list as OverridesShape));
  } else if (shape.map !== undefined) {
    if (!isObject(value)) sink.report(file, path, 'jobrun.overrides-shape', 'must be a map of strings');
    else {
      for (const [key, child] of Object.entries(value)) {
        if (typeof child !== 'string') {
          sink.report(
            file,
            `${path}['${key}']`,
            'jobrun.overrides-shape',
            'property values must be strings (quote numbers and booleans)',
          );
        }
      }
    }
  } else if (shape.scalar === 'string') {
    if (typeof value !== 'string') sink.report(file, path, 'jobrun.overrides-shape', 'must be a string');
    else if (shape.enum !== undefined && !shape.enum.includes(value)) {
      sink.report(
        file,
        path,
        shape.enumRule ?? 'jobrun.overrides-shape',
        `"${value}" is not one of ${shape.enum.join(', ')}`,
      );
    }
  } else if (shape.scalar === 'integer' && !Number.isInteger(value)) {
    sink.report(file, path, 'jobrun.overrides-shape', 'must be an integer');
  }
}

/** A parsed `configurationOverrides` string: its value, or why it does not parse. */
type ParsedText = { readonly value: unknown } | { readonly error: Error };

/** A JobRun spec, typed (schema accepted) or not (the environment models read every JobRun). */
interface OverridesCarrier {
  readonly configurationOverrides?: unknown;
}

const parsedOverrides = new WeakMap<OverridesCarrier, ParsedText | undefined>();

/**
 * The `configurationOverrides` string of a JobRun spec, parsed once per spec object (the payload
 * checks and several runtime models read it); undefined when it is not a string.
 */
function overridesText(spec: OverridesCarrier): ParsedText | undefined {
  if (parsedOverrides.has(spec)) return parsedOverrides.get(spec);
  const raw = spec.configurationOverrides;
  let result: ParsedText | undefined;
  if (typeof raw === 'string') {
    try {
      result = { value: canonicalJson(raw) ?? load(raw) };
    } catch (error) {
      result = { error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
  parsedOverrides.set(spec, result);
  return result;
}

/**
 * `text` parsed, when it is JSON exactly as `JSON.stringify(value, null, 2)` writes it, as synth
 * renders overrides: such text reads the same as JSON and as YAML (it has no duplicate keys, or
 * it would not print back the same), and JSON.parse reads it many times faster. Undefined for any
 * other text, which is then read as YAML.
 */
function canonicalJson(text: string): unknown {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value, null, 2) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The parsed `configurationOverrides` of a JobRun, or undefined when absent or unparsable.
 * Callers must not modify the result.
 */
export function parseOverrides(spec: OverridesCarrier): Json | undefined {
  const parsed = overridesText(spec);
  return parsed !== undefined && 'value' in parsed && isObject(parsed.value) ? parsed.value : undefined;
}

/** A member of a parsed overrides object, by key matched case-insensitively (as the controller reads it). */
export function overridesEntry(o: Json, key: string): unknown {
  return Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** The properties of one classification in parsed overrides (case-insensitive keys; later entries win). */
export function classificationProperties(
  overrides: Json | undefined,
  classification: string,
): Record<string, string> {
  const configurations =
    overrides === undefined ? undefined : overridesEntry(overrides, 'applicationConfiguration');
  const result: Record<string, string> = {};
  for (const configuration of Array.isArray(configurations) ? configurations : []) {
    if (!isObject(configuration) || overridesEntry(configuration, 'classification') !== classification)
      continue;
    const properties = overridesEntry(configuration, 'properties');
    if (isObject(properties))
      for (const [k, v] of Object.entries(properties)) if (typeof v === 'string') result[k] = v;
  }
  return result;
}

/** `spark-defaults` properties of parsed overrides (case-insensitive keys). */
export function sparkDefaults(overrides: Json | undefined): Record<string, string> {
  return classificationProperties(overrides, 'spark-defaults');
}

/**
 * What the JobRun CRD cannot say, of a JobRun its schema accepted: required fields, the
 * description regexes, the `configurationOverrides` string, explicit monitoring, and the retain
 * deletion policy that keeps a prune or rename from cancelling a running job.
 */
export function checkJobRun(sink: FindingSink, file: string, run: JobRun): void {
  const spec = run.spec ?? {};
  const hasId = spec.virtualClusterID !== undefined;
  const hasRef = spec.virtualClusterRef !== undefined;
  if (hasId === hasRef) {
    sink.report(
      file,
      '$.spec',
      'jobrun.required',
      'set exactly one of virtualClusterID and virtualClusterRef',
    );
  }
  for (const [field, present] of [
    ['name', spec.name !== undefined],
    ['executionRoleARN', spec.executionRoleARN !== undefined],
    ['releaseLabel', spec.releaseLabel !== undefined],
    [
      'jobDriver.sparkSubmitJobDriver.entryPoint',
      spec.jobDriver?.sparkSubmitJobDriver?.entryPoint !== undefined,
    ],
  ] as const) {
    if (!present) sink.report(file, `$.spec.${field}`, 'jobrun.required', `StartJobRun needs spec.${field}`);
  }
  for (const [field, pattern] of PATTERNS) {
    const value = spec[field];
    if (value !== undefined && !pattern.test(value)) {
      sink.report(file, `$.spec.${field}`, 'jobrun.pattern', `"${value}" does not match ${pattern.source}`);
    }
  }
  if (run.metadata?.annotations?.['services.k8s.aws/deletion-policy'] !== 'retain') {
    sink.report(
      file,
      "$.metadata.annotations['services.k8s.aws/deletion-policy']",
      'jobrun.deletion-policy',
      'set to "retain": deleting or pruning a JobRun otherwise cancels the running job',
    );
  }
  const raw = spec.configurationOverrides;
  if (raw === undefined) {
    sink.report(
      file,
      '$.spec.configurationOverrides',
      'jobrun.monitoring-missing',
      'set configurationOverrides with an explicit monitoringConfiguration',
    );
    return;
  }
  const text = overridesText(spec);
  if (text === undefined) return;
  if ('error' in text) {
    sink.report(
      file,
      '$.spec.configurationOverrides',
      'jobrun.overrides-parse',
      `not valid JSON/YAML: ${text.error.message.split('\n')[0]}`,
    );
    return;
  }
  const parsed = text.value;
  checkShape(sink, file, '$.spec.configurationOverrides', parsed, CONFIGURATION_OVERRIDES_SHAPE);
  if (isObject(parsed)) checkConfigurations(sink, file, parsed);
}

/** The properties of EMR's own (closed) classifications, at any nesting level. */
function checkConfigurations(sink: FindingSink, file: string, overrides: Json): void {
  const walk = (list: unknown, path: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((configuration: unknown, i) => {
      if (!isObject(configuration)) return;
      const at = `${path}[${i}]`;
      const classification = overridesEntry(configuration, 'classification');
      const properties = overridesEntry(configuration, 'properties');
      if (typeof classification === 'string' && isObject(properties))
        checkClassificationProperties(sink, file, `${at}.properties`, classification, properties);
      walk(overridesEntry(configuration, 'configurations'), `${at}.configurations`);
    });
  };
  walk(
    overridesEntry(overrides, 'applicationConfiguration'),
    '$.spec.configurationOverrides.applicationConfiguration',
  );
}
