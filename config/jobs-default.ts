import type { JobInput, JobSettingsInput } from './jobs';
import type { TeamInput } from './schema';

/**
 * The seed's example jobs of `emr-data-team-a` are job files in `jobs/emr-data-team-a/` (one YAML
 * file per job, owned by the team). What stays here is platform config: the team's job defaults,
 * and the FSx examples, which only render where FSx is enabled (a job file would apply to the
 * default environment, which keeps FSx off like the seed). Jobs in TypeScript use the same
 * schema as job files (`config/jobs.ts`); generated jobs belong here too.
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
  // The TLC publishes no checksum for its trip files, and the file was not hashed here. Pin it
  // once downloaded: `curl -sSf <url> | sha256sum` (the seeding Job also logs the hash it saw).
  sha256: 'unpinned',
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

/**
 * The FSx for Lustre examples. They need `storage.fsx.static` / `storage.fsx.dynamic` (and
 * `addons.fsxCsiDriver`), which need Terraform outputs recorded in `config/outputs/<env>.json`;
 * the default environment keeps FSx off like the seed, so add these jobs where FSx is enabled.
 */
export const teamAFsxJobs: JobInput[] = [
  taxi('taxi-fsx-static', 'Seed example fsx-static-pvc-shuffle-storage.', { storage: 'fsx-static' }),
  taxi('taxi-fsx-dynamic', 'Seed example fsx-dynamic-pvc-shuffle-storage.', { storage: 'fsx-dynamic' }),
];
