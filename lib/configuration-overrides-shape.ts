/**
 * The shape of EMR on EKS `ConfigurationOverrides` (AWS SDK) as data. The ACK JobRun carries it
 * as a string the CRD cannot check, and the controller matches keys case-insensitively and drops
 * the ones it does not know. The job renderer types its builder from this; the validator reads
 * rendered JobRuns back against it.
 */

/** Configuration classifications EMR on EKS accepts (EMR 6.x/7.x). */
export const KNOWN_CLASSIFICATIONS = [
  'core-site',
  'delta-defaults',
  'emr-containers-defaults',
  'emr-job-submitter',
  'emrfs-site',
  'hive-site',
  'hudi-defaults',
  'iceberg-defaults',
  'jupyter-kernel-overrides',
  'spark',
  'spark-defaults',
  'spark-driver-log4j2',
  'spark-env',
  'spark-executor-log4j2',
  'spark-hive-site',
  'spark-log4j',
  'spark-log4j2',
  'spark-metrics',
] as const;
export type Classification = (typeof KNOWN_CLASSIFICATIONS)[number];

/**
 * `fields` for objects (keys matched case-insensitively, as the controller does), `list` for
 * arrays, `map` for string maps, `scalar` and `enum` for values, `required` for keys that must
 * be present. Anything not described is a key the controller drops.
 */
export interface OverridesShape {
  readonly fields?: Readonly<Record<string, OverridesShape>>;
  readonly list?: OverridesShape;
  readonly map?: 'string';
  readonly scalar?: 'string' | 'integer';
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  /** Validator rule id for a value outside `enum` (default: the generic shape rule). */
  readonly enumRule?: string;
  /** Validator rule id and reason when this field is required and missing. */
  readonly missing?: { readonly rule: string; readonly reason: string };
}

const configurationFields: Record<string, OverridesShape> = {
  classification: {
    scalar: 'string',
    enum: KNOWN_CLASSIFICATIONS,
    enumRule: 'jobrun.overrides-classification',
  },
  properties: { map: 'string' },
};
const configurationShape: OverridesShape = { fields: configurationFields, required: ['classification'] };
// `configurations` nests the same shape recursively.
configurationFields.configurations = { list: configurationShape };

/** The whole `ConfigurationOverrides` value. */
export const CONFIGURATION_OVERRIDES_SHAPE: OverridesShape = {
  fields: {
    applicationConfiguration: { list: configurationShape },
    monitoringConfiguration: {
      missing: {
        rule: 'jobrun.monitoring-missing',
        reason: 'monitoringConfiguration must be explicit (the controller compares it with what AWS returns)',
      },
      fields: {
        persistentAppUI: { scalar: 'string', enum: ['ENABLED', 'DISABLED'] },
        cloudWatchMonitoringConfiguration: {
          fields: { logGroupName: { scalar: 'string' }, logStreamNamePrefix: { scalar: 'string' } },
          required: ['logGroupName'],
        },
        s3MonitoringConfiguration: { fields: { logUri: { scalar: 'string' } }, required: ['logUri'] },
        containerLogRotationConfiguration: {
          fields: { rotationSize: { scalar: 'string' }, maxFilesToKeep: { scalar: 'integer' } },
          required: ['rotationSize', 'maxFilesToKeep'],
        },
      },
    },
  },
  required: ['monitoringConfiguration'],
};
