import { sortKeys } from '../../pipeline/serialize';

/**
 * EMR on EKS `ConfigurationOverrides`, typed. The ACK JobRun carries it as a string the CRD
 * cannot check, and the controller silently drops keys it does not know (it matches them
 * case-insensitively), so the object is built from these types only and serialized one way.
 * {@link CONFIGURATION_OVERRIDES_SHAPE} describes the same shape as data, for validators.
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

/** One classification with its properties (and nested classifications, e.g. `export` under `spark-env`). */
export interface ApplicationConfiguration {
  readonly classification: Classification;
  readonly properties?: Readonly<Record<string, string>>;
  readonly configurations?: readonly ApplicationConfiguration[];
}

export interface CloudWatchMonitoringConfiguration {
  readonly logGroupName: string;
  readonly logStreamNamePrefix?: string;
}

export interface S3MonitoringConfiguration {
  /** `s3://<bucket>/<prefix>/`. */
  readonly logUri: string;
}

export interface ContainerLogRotationConfiguration {
  /** Size at which a container log file rotates, e.g. `2KB`, `1MB`. */
  readonly rotationSize: string;
  readonly maxFilesToKeep: number;
}

/** Always explicit: the controller compares it with what AWS returns, and a JobRun cannot be updated. */
export interface MonitoringConfiguration {
  readonly persistentAppUI: 'ENABLED' | 'DISABLED';
  readonly cloudWatchMonitoringConfiguration?: CloudWatchMonitoringConfiguration;
  readonly s3MonitoringConfiguration?: S3MonitoringConfiguration;
  readonly containerLogRotationConfiguration?: ContainerLogRotationConfiguration;
}

export interface ConfigurationOverrides {
  readonly applicationConfiguration?: readonly ApplicationConfiguration[];
  readonly monitoringConfiguration: MonitoringConfiguration;
}

/** Inputs of {@link configurationOverrides}. */
export interface ConfigurationOverridesProps {
  /** `spark-defaults` properties (omitted when empty). */
  readonly sparkDefaults: Readonly<Record<string, string>>;
  /** Further classifications, after `spark-defaults`. */
  readonly more?: readonly ApplicationConfiguration[];
  readonly monitoring: MonitoringConfiguration;
}

/** Assembles the overrides: `spark-defaults` first, then any other classification. */
export function configurationOverrides(props: ConfigurationOverridesProps): ConfigurationOverrides {
  const configurations: ApplicationConfiguration[] = [
    ...(Object.keys(props.sparkDefaults).length > 0
      ? [{ classification: 'spark-defaults' as const, properties: props.sparkDefaults }]
      : []),
    ...(props.more ?? []),
  ];
  return {
    ...(configurations.length > 0 ? { applicationConfiguration: configurations } : {}),
    monitoringConfiguration: props.monitoring,
  };
}

/**
 * The one serialization: JSON with object keys sorted at every level and two-space indentation,
 * so the same overrides give the same bytes on any machine and a change diffs line by line.
 * List order (classifications) is kept as built.
 */
export function serializeConfigurationOverrides(overrides: ConfigurationOverrides): string {
  return JSON.stringify(sortKeys(overrides), null, 2);
}

/**
 * The allowed shape as data: `fields` for objects (keys matched case-insensitively, as the
 * controller does), `list` for arrays, `map` for string maps, `scalar` and `enum` for values,
 * `required` for keys that must be present. Anything not described is a key the controller drops.
 */
export interface OverridesShape {
  readonly fields?: Readonly<Record<string, OverridesShape>>;
  readonly list?: OverridesShape;
  readonly map?: 'string';
  readonly scalar?: 'string' | 'integer';
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
}

const configurationFields: Record<string, OverridesShape> = {
  classification: { scalar: 'string', enum: KNOWN_CLASSIFICATIONS },
  properties: { map: 'string' },
};
const configurationShape: OverridesShape = { fields: configurationFields, required: ['classification'] };
// `configurations` nests the same shape recursively.
configurationFields.configurations = { list: configurationShape };

/** The shape of {@link ConfigurationOverrides}, for validators that read the JSON back. */
export const CONFIGURATION_OVERRIDES_SHAPE: OverridesShape = {
  fields: {
    applicationConfiguration: { list: configurationShape },
    monitoringConfiguration: {
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
