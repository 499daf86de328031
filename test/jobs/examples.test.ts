import { describe, expect, it } from 'vitest';
import { inputDataUri } from '../../config/naming';
import { versions } from '../../config/versions';
import { SAMPLE_OUTPUTS } from '../helpers/manifests';
import { environmentModel } from '../helpers/model';
import {
  fsxPlatform,
  jobDefinitions,
  jobRuns,
  loaded,
  problemsOf,
  sparkDefaultsOf,
  specOf,
  teamObjects,
} from './helpers';

const env = loaded();
const runs = jobDefinitions(teamObjects(env));
const team = env.teams[0]!;
const bucket = 's3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const input = team.inputData[0]!;

/** The pod template file a JobRun's role uses (the last segment of its S3 URI). */
function template(properties: Record<string, string>, role: 'driver' | 'executor'): string | undefined {
  return properties[`spark.kubernetes.${role}.podTemplateFile`]?.split('/').pop();
}

describe('the seed examples', () => {
  /** job, pool, storage, executors, spark.local.dir: as the seed's start-job-run calls ran them. */
  const taxi: [string, string, string, string, string][] = [
    ['taxi-nvme-compute', 'spark-compute-optimized', 'nvme', '2', '/data1'],
    ['taxi-nvme-memory', 'spark-memory-optimized', 'nvme', '2', '/data1'],
    ['taxi-nvme-graviton', 'spark-graviton-memory-optimized', 'nvme', '2', '/data1'],
    ['taxi-ebs', 'spark-compute-optimized', 'ebs', '6', '/data1'],
    ['taxi-yunikorn-gang', 'spark-memory-optimized', 'nvme', '2', '/data1'],
  ];

  it.each(taxi)(
    '%s runs the taxi script on %s with %s scratch and %s executors',
    (job, pool, storage, count, dir) => {
      const run = runs.get(job);
      const properties = sparkDefaultsOf(run);
      expect(template(properties, 'driver')).toBe(`${pool}-${storage}-driver.yaml`);
      expect(template(properties, 'executor')).toBe(`${pool}-${storage}-executor.yaml`);
      expect(properties).toMatchObject({
        'spark.driver.cores': '1',
        'spark.driver.memory': '4g',
        'spark.executor.cores': '1',
        'spark.executor.memory': '4g',
        'spark.executor.instances': count,
        'spark.local.dir': dir,
      });
      expect(specOf(run).releaseLabel).toBe(versions.emrReleaseLabel);
      expect(specOf(run).jobDriver.sparkSubmitJobDriver).toEqual({
        entryPoint: expect.stringMatching(
          new RegExp(`^${bucket}/artifacts/[0-9a-f]{64}/taxi-trip\\.py$`),
        ) as unknown,
        entryPointArguments: [inputDataUri(env, team, input), `${bucket}/data/${job}/output/`],
      });
    },
  );

  it('reads the seeded NYC taxi input under its versioned prefix', () => {
    expect(input).toMatchObject({ name: 'nyc-taxi', copies: 10 });
    expect(inputDataUri(env, team, input)).toMatch(new RegExp(`^${bucket}/inputs/nyc-taxi/[0-9a-f]{16}/$`));
  });

  it('EBS: the driver claim comes from its template, each executor gets an on-demand gp3 claim', () => {
    expect(sparkDefaultsOf(runs.get('taxi-ebs'))).toMatchObject({
      'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName':
        'OnDemand',
      'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-1.options.storageClass':
        'spark-ebs',
      'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-1.options.sizeLimit': '50Gi',
      'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-1.mount.path': '/data1',
      'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-1.mount.readOnly': 'false',
    });
    const nvme = sparkDefaultsOf(runs.get('taxi-nvme-compute'));
    expect(Object.keys(nvme).filter((k) => k.includes('persistentVolumeClaim'))).toEqual([]);
  });

  it('YuniKorn: gang-scheduled, Hard style, with a timeout YuniKorn reads', () => {
    expect(sparkDefaultsOf(runs.get('taxi-yunikorn-gang'))).toMatchObject({
      'spark.kubernetes.driver.annotation.yunikorn.apache.org/schedulingPolicyParameters':
        'placeholderTimeoutInSeconds=900 gangSchedulingStyle=Hard',
    });
  });

  it.each([
    ['delta-create', 'delta-create.py', 'employees-initial.csv'],
    ['delta-merge', 'delta-merge.py', 'employees-updates.csv'],
  ])('%s uses the Delta jars of the image and path-based tables in the team prefix', (job, script, data) => {
    const run = runs.get(job);
    const driver = specOf(run).jobDriver.sparkSubmitJobDriver;
    expect(driver.entryPoint).toMatch(new RegExp(`/artifacts/[0-9a-f]{64}/${script.replace('.', '\\.')}$`));
    expect(driver.entryPointArguments).toEqual([
      expect.stringMatching(new RegExp(`^${bucket}/artifacts/[0-9a-f]{64}/${data}$`)) as unknown,
      `${bucket}/data/delta/employees/`,
    ]);
    const properties = sparkDefaultsOf(run);
    expect(properties).toMatchObject({
      'spark.jars':
        'local:///usr/share/aws/delta/lib/delta-spark.jar,local:///usr/share/aws/delta/lib/delta-storage.jar',
      'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
      'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
      'spark.executor.cores': '2',
      'spark.executor.memory': '2g',
    });
    // The upstream logUri named the CloudWatch log group as a bucket; here it is the team's prefix.
    expect(JSON.parse(specOf(run).configurationOverrides)).toMatchObject({
      monitoringConfiguration: { s3MonitoringConfiguration: { logUri: `${bucket}/logs/` } },
    });
  });

  it("sample-pi runs Spark's own example from the image, with no artifact", () => {
    const run = runs.get('sample-pi');
    expect(specOf(run).jobDriver.sparkSubmitJobDriver).toEqual({
      entryPoint: 'local:///usr/lib/spark/examples/src/main/python/pi.py',
    });
    expect(sparkDefaultsOf(run)).toMatchObject({
      'spark.executor.instances': '2',
      'spark.executor.memory': '2g',
      'spark.executor.cores': '1',
      'spark.driver.cores': '1',
    });
  });
});

describe('the FSx examples', () => {
  it('need FSx enabled, which needs Terraform outputs: the default keeps it off and still renders', () => {
    expect(env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled).toBe(false);
    expect(runs.has('taxi-fsx-static')).toBe(false);
    // FSx on without outputs: the cluster side renders, and the FSx jobs wait for the outputs.
    const waiting = environmentModel(loaded(fsxPlatform())).waiting;
    expect(waiting.map((w) => [w.feature, w.jobs])).toEqual([
      ['storage.fsx.static', ['emr-data-team-a/taxi-fsx-static']],
      ['storage.fsx.dynamic', ['emr-data-team-a/taxi-fsx-dynamic']],
    ]);
    const withoutOutputs = jobRuns(teamObjects(loaded(fsxPlatform()), 'emr-data-team-a'));
    expect(withoutOutputs.has('taxi-fsx-static') || withoutOutputs.has('taxi-fsx-dynamic')).toBe(false);
    expect(withoutOutputs.has('taxi-ebs')).toBe(true);
  });

  it('render on the shared claims with Spark scratch on Lustre once FSx is on', () => {
    const input = fsxPlatform();
    expect(problemsOf(input)).toEqual([]);
    const fsxRuns = jobRuns(teamObjects(loaded(input), 'emr-data-team-a', SAMPLE_OUTPUTS));
    for (const [job, storage, dir] of [
      ['taxi-fsx-static', 'fsx-static', '/static'],
      ['taxi-fsx-dynamic', 'fsx-dynamic', '/dynamic'],
    ] as const) {
      const properties = sparkDefaultsOf(fsxRuns.get(job));
      expect(template(properties, 'executor')).toBe(`spark-compute-optimized-${storage}-executor.yaml`);
      expect(properties['spark.local.dir']).toBe(dir);
      expect(properties['spark.executor.instances']).toBe('2');
    }
  });
});
