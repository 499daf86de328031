import { sortKeys } from '../../lib/serialize';
import type { Classification } from '../../lib/configuration-overrides-shape';

/**
 * EMR on EKS `ConfigurationOverrides`, typed. The ACK JobRun carries it as a string the CRD
 * cannot check, and the controller silently drops keys it does not know (it matches them
 * case-insensitively), so the object is built from these types only and serialized one way.
 * `CONFIGURATION_OVERRIDES_SHAPE` (validation/kinds/jobrun/overrides-shape.ts) describes the same shape as data.
 */

export {
  CONFIGURATION_OVERRIDES_SHAPE,
  KNOWN_CLASSIFICATIONS,
  type Classification,
  type OverridesShape,
} from '../../lib/configuration-overrides-shape';

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
