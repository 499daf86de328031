import { describe, expect, it } from 'vitest';
import {
  CONFIGURATION_OVERRIDES_SHAPE,
  KNOWN_CLASSIFICATIONS,
  configurationOverrides,
  serializeConfigurationOverrides,
  type ConfigurationOverrides,
  type OverridesShape,
} from '../../manifests/jobs/configuration-overrides';
import { sortKeys } from '../../lib/serialize';
import { jobRuns, loaded, overridesOf, platformWith, sparkDefaultsOf, specOf, teamObjects } from './helpers';

const runs = jobRuns(teamObjects(loaded()));

/** Paths in `value` that the shape does not allow (unknown keys, wrong types, missing keys). */
function shapeProblems(value: unknown, shape: OverridesShape, path = '$'): string[] {
  if (shape.fields) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return [`${path} is not an object`];
    const fields = shape.fields;
    const problems = Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
      const childShape = fields[key];
      return childShape ? shapeProblems(child, childShape, `${path}.${key}`) : [`${path}.${key} is unknown`];
    });
    for (const key of shape.required ?? []) {
      if (!(key in value)) problems.push(`${path}.${key} is missing`);
    }
    return problems;
  }
  if (shape.list) {
    const item = shape.list;
    return Array.isArray(value)
      ? value.flatMap((v, i) => shapeProblems(v, item, `${path}[${i}]`))
      : [`${path} is not a list`];
  }
  if (shape.map) {
    return value !== null &&
      typeof value === 'object' &&
      Object.values(value).every((v) => typeof v === 'string')
      ? []
      : [`${path} is not a map of strings`];
  }
  if (shape.scalar === 'integer') return Number.isInteger(value) ? [] : [`${path} is not an integer`];
  if (typeof value !== 'string') return [`${path} is not a string`];
  return shape.enum && !shape.enum.includes(value) ? [`${path} is not one of ${shape.enum.join(', ')}`] : [];
}

const sample: ConfigurationOverrides = configurationOverrides({
  sparkDefaults: { 'spark.executor.memory': '4g', 'spark.driver.cores': '1' },
  monitoring: {
    persistentAppUI: 'ENABLED',
    s3MonitoringConfiguration: { logUri: 's3://bucket/team/logs/' },
    cloudWatchMonitoringConfiguration: { logStreamNamePrefix: 'job', logGroupName: '/group' },
  },
});

describe('configurationOverrides', () => {
  it('serializes with sorted keys whatever order the object was built in', () => {
    const reordered: ConfigurationOverrides = {
      monitoringConfiguration: {
        cloudWatchMonitoringConfiguration: { logGroupName: '/group', logStreamNamePrefix: 'job' },
        s3MonitoringConfiguration: { logUri: 's3://bucket/team/logs/' },
        persistentAppUI: 'ENABLED',
      },
      applicationConfiguration: [
        {
          properties: { 'spark.driver.cores': '1', 'spark.executor.memory': '4g' },
          classification: 'spark-defaults',
        },
      ],
    };
    expect(serializeConfigurationOverrides(reordered)).toBe(serializeConfigurationOverrides(sample));
    expect(serializeConfigurationOverrides(sample)).toMatchInlineSnapshot(`
      "{
        "applicationConfiguration": [
          {
            "classification": "spark-defaults",
            "properties": {
              "spark.driver.cores": "1",
              "spark.executor.memory": "4g"
            }
          }
        ],
        "monitoringConfiguration": {
          "cloudWatchMonitoringConfiguration": {
            "logGroupName": "/group",
            "logStreamNamePrefix": "job"
          },
          "persistentAppUI": "ENABLED",
          "s3MonitoringConfiguration": {
            "logUri": "s3://bucket/team/logs/"
          }
        }
      }"
    `);
  });

  it('round-trips: parsing the string gives the object back', () => {
    expect(JSON.parse(serializeConfigurationOverrides(sample))).toEqual(sortKeys(sample));
    for (const run of runs.values()) {
      const text = specOf(run).configurationOverrides;
      expect(serializeConfigurationOverrides(JSON.parse(text) as ConfigurationOverrides)).toBe(text);
    }
  });

  it('leaves out spark-defaults when there are no properties, never monitoring', () => {
    const bare = configurationOverrides({ sparkDefaults: {}, monitoring: { persistentAppUI: 'DISABLED' } });
    expect(bare).toEqual({ monitoringConfiguration: { persistentAppUI: 'DISABLED' } });
  });

  it('only uses keys and classifications the shape allows, in every rendered JobRun', () => {
    expect(shapeProblems(sample, CONFIGURATION_OVERRIDES_SHAPE)).toEqual([]);
    for (const run of runs.values()) {
      expect(shapeProblems(overridesOf(run), CONFIGURATION_OVERRIDES_SHAPE), run.metadata.name).toEqual([]);
    }
    expect(
      shapeProblems(
        { monitoringConfiguration: { persistentAppUi: 'ENABLED' } },
        CONFIGURATION_OVERRIDES_SHAPE,
      ),
    ).toEqual(['$.monitoringConfiguration.persistentAppUi is unknown']);
    expect(
      shapeProblems(
        {
          applicationConfiguration: [{ classification: 'spark-default' }],
          monitoringConfiguration: { persistentAppUI: 'ENABLED' },
        },
        CONFIGURATION_OVERRIDES_SHAPE,
      ),
    ).toEqual([
      `$.applicationConfiguration[0].classification is not one of ${KNOWN_CLASSIFICATIONS.join(', ')}`,
    ]);
  });

  it('describes nested classifications with the same shape', () => {
    const nested = CONFIGURATION_OVERRIDES_SHAPE.fields?.applicationConfiguration?.list;
    expect(nested?.fields?.configurations?.list).toBe(nested);
  });

  it('refuses an unknown classification at compile time', () => {
    configurationOverrides({
      sparkDefaults: {},
      // @ts-expect-error -- 'spark-default' is not a classification EMR knows.
      more: [{ classification: 'spark-default' }],
      monitoring: { persistentAppUI: 'ENABLED' },
    });
  });

  it("always sets monitoring explicitly: persistent UI, the team's log group, S3 logs in the team's prefix", () => {
    for (const [job, run] of runs) {
      expect(overridesOf(run).monitoringConfiguration).toEqual({
        persistentAppUI: 'ENABLED',
        cloudWatchMonitoringConfiguration: {
          logGroupName: '/emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a',
          logStreamNamePrefix: job,
        },
        s3MonitoringConfiguration: {
          logUri: 's3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/logs/',
        },
      });
    }
  });

  it("carries the seed's Prometheus block and graceful decommissioning for Spot executors", () => {
    for (const run of runs.values()) {
      expect(sparkDefaultsOf(run)).toMatchObject({
        'spark.ui.prometheus.enabled': 'true',
        'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
        'spark.kubernetes.driver.annotation.prometheus.io/port': '4040',
        'spark.metrics.conf.*.sink.prometheusServlet.class':
          'org.apache.spark.metrics.sink.PrometheusServlet',
        'spark.decommission.enabled': 'true',
        'spark.storage.decommission.shuffleBlocks.enabled': 'true',
        'spark.storage.decommission.rddBlocks.enabled': 'true',
      });
    }
  });

  it('leaves decommissioning out where executors never run on Spot', () => {
    const onDemand = loaded(platformWith((env) => void (env.nodePools[0]!.capacityTypes = ['on-demand'])));
    const run = jobRuns(teamObjects(onDemand)).get('taxi-nvme-compute');
    expect(sparkDefaultsOf(run)['spark.decommission.enabled']).toBeUndefined();
  });
});
