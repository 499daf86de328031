import { QUANTITY, qualifiedNameProblem } from '../../../lib/kubernetes-formats';
import type { FindingSink } from '../../findings';

/**
 * The properties EMR on EKS accepts in its own classifications (EMR on EKS Development Guide,
 * "Using Amazon EMR container defaults classification" and "Using job submitter
 * classification"). Unlike `spark-defaults`, these are closed sets: EMR ignores a key it does
 * not know, so a typo (`logging.requests.memory`) silently keeps the default. Each entry is an
 * exact key or a prefix followed by a Kubernetes name, with the values EMR takes.
 */

/** What a property's value must be. */
type ValueRule =
  | { readonly type: 'any' }
  | { readonly type: 'quantity' }
  | { readonly type: 'seconds' }
  | { readonly type: 'enum'; readonly values: readonly string[] };

interface PropertyRule {
  /** An exact key, or a prefix (ending in `.`) followed by a label/annotation key or a toleration. */
  readonly key: string;
  readonly prefix?: 'label-key' | 'toleration';
  readonly value: ValueRule;
  /** What it does, for the rule table in docs/validation.md and messages. */
  readonly doc: string;
}

const ANY: ValueRule = { type: 'any' };
const QUANTITY_VALUE: ValueRule = { type: 'quantity' };

/** Classification → the properties EMR documents for it. */
export const CLASSIFICATION_PROPERTIES: Readonly<Record<string, readonly PropertyRule[]>> = {
  'emr-containers-defaults': [
    { key: 'job-start-timeout', value: { type: 'seconds' }, doc: 'seconds a job may wait in SUBMITTED' },
    { key: 'executor.logging', value: ANY, doc: 'DISABLED removes the executors’ logging container' },
    { key: 'logging.image', value: ANY, doc: 'image of the driver/executor logging container' },
    { key: 'logging.request.cores', value: QUANTITY_VALUE, doc: 'CPU request of that container' },
    { key: 'logging.request.memory', value: QUANTITY_VALUE, doc: 'memory request of that container' },
    { key: 'logging.eventLog.dir', value: ANY, doc: 'S3 location of Spark event logs' },
    { key: 'logging.nativeSidecar', value: ANY, doc: 'ENABLED makes it a native sidecar' },
  ],
  'emr-job-submitter': [
    { key: 'jobsubmitter.node.selector.', prefix: 'label-key', value: ANY, doc: 'node selector' },
    { key: 'jobsubmitter.label.', prefix: 'label-key', value: ANY, doc: 'pod label' },
    { key: 'jobsubmitter.annotation.', prefix: 'label-key', value: ANY, doc: 'pod annotation' },
    { key: 'jobsubmitter.node.toleration.', prefix: 'toleration', value: ANY, doc: 'toleration' },
    { key: 'jobsubmitter.scheduler.name', value: ANY, doc: 'schedulerName' },
    { key: 'jobsubmitter.logging', value: ANY, doc: 'DISABLED removes its logging container' },
    { key: 'jobsubmitter.logging.image', value: ANY, doc: 'image of its logging container' },
    {
      key: 'jobsubmitter.logging.request.cores',
      value: QUANTITY_VALUE,
      doc: 'CPU request of that container',
    },
    {
      key: 'jobsubmitter.logging.request.memory',
      value: QUANTITY_VALUE,
      doc: 'memory request of that container',
    },
    { key: 'jobsubmitter.container.image', value: ANY, doc: 'image of the job-runner container' },
    {
      key: 'jobsubmitter.container.image.pullPolicy',
      value: { type: 'enum', values: ['Always', 'IfNotPresent', 'Never'] },
      doc: 'imagePullPolicy',
    },
    {
      key: 'jobsubmitter.gracefulTermination',
      value: { type: 'enum', values: ['true', 'false'] },
      doc: 'end the job runner once the driver started',
    },
  ],
};

const TOLERATION_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function valueProblem(rule: ValueRule, value: string): string | undefined {
  switch (rule.type) {
    case 'any':
      return undefined;
    case 'quantity':
      return QUANTITY.test(value) ? undefined : `"${value}" is not a Kubernetes quantity (e.g. 100m, 512Mi)`;
    case 'seconds':
      return /^[1-9]\d*$/.test(value) ? undefined : `"${value}" is not a whole number of seconds`;
    case 'enum':
      return rule.values.includes(value) ? undefined : `"${value}" is not one of ${rule.values.join(', ')}`;
  }
}

/** `jobsubmitter.node.toleration.<key>[.effect|.tolerationSeconds]`: each key needs an effect. */
function checkTolerations(
  report: (key: string, message: string) => void,
  properties: Readonly<Record<string, string>>,
  prefix: string,
): void {
  const keys = new Set<string>();
  const effects = new Set<string>();
  for (const [key, value] of Object.entries(properties)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest.endsWith('.effect')) {
      effects.add(rest.slice(0, -'.effect'.length));
      if (!TOLERATION_EFFECTS.includes(value))
        report(key, `"${value}" is not one of ${TOLERATION_EFFECTS.join(', ')}`);
    } else if (rest.endsWith('.tolerationSeconds')) {
      if (!/^\d+$/.test(value)) report(key, `"${value}" is not a whole number of seconds`);
    } else {
      keys.add(rest);
      const problem = qualifiedNameProblem(rest);
      if (problem !== undefined) report(key, `toleration key: ${problem}`);
    }
  }
  for (const key of keys) {
    if (!effects.has(key))
      report(`${prefix}${key}`, `needs ${prefix}${key}.effect (EMR requires an effect for each toleration)`);
  }
}

/**
 * Checks the properties of one configuration of a closed classification: unknown keys are
 * `jobrun.overrides-property`, bad values `jobrun.overrides-property-value`.
 */
export function checkClassificationProperties(
  sink: FindingSink,
  file: string,
  path: string,
  classification: string,
  properties: Readonly<Record<string, unknown>>,
): void {
  const rules = CLASSIFICATION_PROPERTIES[classification];
  if (rules === undefined) return;
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value !== 'string') continue; // jobrun.overrides-shape
    strings[key] = value;
    const rule =
      rules.find((r) => r.prefix === undefined && r.key === key) ??
      rules.find((r) => r.prefix !== undefined && key.startsWith(r.key) && key.length > r.key.length);
    if (rule === undefined) {
      const known = rules.map((r) => (r.prefix === undefined ? r.key : `${r.key}<key>`));
      sink.report(
        file,
        `${path}['${key}']`,
        'jobrun.overrides-property',
        `unknown ${classification} property "${key}": EMR ignores it silently (known: ${known.join(', ')})`,
      );
      continue;
    }
    if (rule.prefix === 'label-key') {
      const problem = qualifiedNameProblem(key.slice(rule.key.length));
      if (problem !== undefined)
        sink.report(file, `${path}['${key}']`, 'jobrun.overrides-property-value', `key: ${problem}`);
    }
    const problem = rule.prefix === 'toleration' ? undefined : valueProblem(rule.value, value);
    if (problem !== undefined)
      sink.report(file, `${path}['${key}']`, 'jobrun.overrides-property-value', `${rule.doc}: ${problem}`);
  }
  if (classification === 'emr-job-submitter') {
    checkTolerations(
      (key, message) => sink.report(file, `${path}['${key}']`, 'jobrun.overrides-property-value', message),
      strings,
      'jobsubmitter.node.toleration.',
    );
  }
}
