import type { JobInput, JobSettingsInput } from './jobs';
import type { TeamInput } from './schema';

/**
 * The seed's example jobs for `emr-data-team-a`, as committed job definitions (the upstream
 * shell scripts called `aws emr-containers start-job-run`). Release labels are modernized to
 * `versions.emrReleaseLabel` (the seed used emr-6.7.0 / 6.8.0 / 6.9.0); the scripts in
 * `jobs/emr-data-team-a/` are this project's own. The README lists every difference from the
 * seed's `start-job-run` parameters.
 */

const FOLDER = 'jobs/emr-data-team-a/';

/** The seed's skeleton: compute-optimized pool, NVMe scratch, 1 core / 4g driver and 2 such executors. */
export const teamAJobDefaults: JobSettingsInput = {
  nodePool: 'spark-compute-optimized',
  storage: 'nvme',
  driver: { cores: 1, memory: '4g' },
  executor: { cores: 1, memory: '4g', instances: 2 },
};

/**
 * The seed's input: one month of NYC yellow-cab trips from the TLC, copied ten times (as the
 * seed's `taxi-trip-execute.sh` did) so the jobs have input to spread over executors. Seeded into
 * the team bucket by the team app's `seed-input-data-<hash>` Job before the JobRuns.
 */
export const nycTaxiInput: NonNullable<TeamInput['inputData']>[number] = {
  name: 'nyc-taxi',
  description: 'NYC TLC yellow taxi trip records, January 2022 (the seed example input), 10 copies.',
  url: 'https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2022-01.parquet',
  copies: 10,
  maxSizeMiB: 256,
};

/** The NYC taxi job: the same script on every pool and storage variant, reading the seeded input. */
function taxi(name: string, description: string, settings: Partial<JobInput> = {}): JobInput {
  return {
    name,
    description,
    script: `${FOLDER}taxi-trip.py`,
    arguments: [`{{input:${nycTaxiInput.name}}}`, '{{teamS3}}/data/{{job}}/output/'],
    ...settings,
  };
}

/** Delta Lake from the jars in the EMR image (Delta 3 since EMR 7.0), tables addressed by path. */
const DELTA_CONF: Record<string, string> = {
  'spark.jars':
    'local:///usr/share/aws/delta/lib/delta-spark.jar,local:///usr/share/aws/delta/lib/delta-storage.jar',
  'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
  'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
  'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
};
const DELTA_TABLE = '{{teamS3}}/data/delta/employees/';

/** Every seed example that runs with the default environment's storage (NVMe and EBS). */
export const teamASeedJobs: JobInput[] = [
  taxi('taxi-nvme-compute', 'Seed example nvme-ssd/karpenter-compute-provisioner.'),
  taxi('taxi-nvme-memory', 'Seed example nvme-ssd/karpenter-memory-provisioner.', {
    nodePool: 'spark-memory-optimized',
  }),
  taxi('taxi-nvme-graviton', 'Seed example nvme-ssd/karpenter-graviton-memory-provisioner.', {
    nodePool: 'spark-graviton-memory-optimized',
  }),
  taxi(
    'taxi-ebs',
    'Seed example ebs-pvc/karpenter-compute-provisioner-ebs: driver PVC, one EBS volume per executor.',
    {
      storage: 'ebs',
      executor: { instances: 6 },
    },
  ),
  taxi('taxi-yunikorn-gang', 'Seed example nvme-ssd/karpenter-yunikorn-gangscheduling.', {
    nodePool: 'spark-memory-optimized',
    gangScheduling: { enabled: true, style: 'Hard', placeholderTimeoutSeconds: 900 },
  }),
  {
    name: 'delta-create',
    description: 'Seed example nvme-ssd/deltalake, execute-deltacreate.sh.',
    script: `${FOLDER}delta-create.py`,
    files: [`${FOLDER}employees-initial.csv`],
    arguments: ['{{artifact:employees-initial.csv}}', DELTA_TABLE],
    driver: { cores: 1, memory: '1g' },
    executor: { cores: 2, memory: '2g' },
    sparkConf: DELTA_CONF,
  },
  {
    name: 'delta-merge',
    description: 'Seed example nvme-ssd/deltalake, execute-deltamerge.sh (waits for delta-create).',
    script: `${FOLDER}delta-merge.py`,
    files: [`${FOLDER}employees-updates.csv`],
    arguments: ['{{artifact:employees-updates.csv}}', DELTA_TABLE],
    driver: { cores: 1, memory: '1g' },
    executor: { cores: 2, memory: '2g' },
    sparkConf: DELTA_CONF,
  },
  {
    name: 'sample-pi',
    description: "Seed example start-emr-job-sample-pi.sh: Spark's own Pi example from the image.",
    script: 'local:///usr/lib/spark/examples/src/main/python/pi.py',
    driver: { cores: 1, memory: '1g' },
    executor: { cores: 1, memory: '2g', instances: 2 },
  },
];

/**
 * The FSx for Lustre examples. They need `storage.fsx.static` / `storage.fsx.dynamic` (and
 * `addons.fsxCsiDriver`), which need Terraform outputs recorded in `config/outputs/<env>.json`;
 * the default environment keeps FSx off like the seed, so add these jobs where FSx is enabled.
 */
export const teamAFsxJobs: JobInput[] = [
  taxi('taxi-fsx-static', 'Seed example fsx-static-pvc-shuffle-storage.', { storage: 'fsx-static' }),
  taxi('taxi-fsx-dynamic', 'Seed example fsx-dynamic-pvc-shuffle-storage.', { storage: 'fsx-dynamic' }),
];
