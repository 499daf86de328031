import { ConfigError } from '../../config/errors';
import { loadPlatform } from '../../config/load';
import type { Environment, EnvironmentInput } from '../../config/schema';
import { NO_JOB_FILES, readJobFiles, type JobFileSet } from '../../config/job-files';
import type { JobInput } from '../../config/jobs';
import type { TerraformOutputs } from '../../config/outputs';
import type { ConfigurationOverrides } from '../../manifests/jobs/configuration-overrides';
import type { K8sObject } from '../../manifests/render';
import { seedEnvironmentInput, seedPlatformInput } from '../fixtures';
import { apps, objectsOf } from '../helpers/manifests';

/** A mutable copy of the default environment for one test. */
export type EnvironmentDraft = EnvironmentInput & Record<string, unknown>;

/** The seed's jobs in the order the seed lists them (the job files sort by name). */
const SEED_ORDER = [
  'taxi-nvme-compute',
  'taxi-nvme-memory',
  'taxi-nvme-graviton',
  'taxi-ebs',
  'taxi-yunikorn-gang',
  'delta-create',
  'delta-merge',
  'sample-pi',
];

/**
 * The seed's jobs as read from `jobs/emr-data-team-a/*.yaml`, as platform config would hold them
 * (fresh copies), so a test can change one job in place.
 */
export function seedJobs(): JobInput[] {
  const jobs = readJobFiles()
    .files.filter((file) => file.team === 'emr-data-team-a')
    .map((file) => structuredClone(file.job));
  return SEED_ORDER.map((name) => {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no job file for the seed job ${name}`);
    return job;
  });
}

/** Inputs whose seed jobs are inline: they load without the job files (else every job twice). */
const drafts = new WeakSet<object>();

/** Which job files an input loads with: none for a draft, the repository's otherwise. */
export function jobFilesFor(input: unknown): JobFileSet | undefined {
  return typeof input === 'object' && input !== null && drafts.has(input) ? NO_JOB_FILES : undefined;
}

/**
 * The default platform with one change applied to a deep copy of its environment. Team a holds
 * the seed's jobs inline (in TypeScript form, in the seed's order), so a change may edit them.
 */
export function platformWith(change: (env: EnvironmentDraft) => void): { environments: EnvironmentInput[] } {
  const env = seedEnvironmentInput() as EnvironmentDraft;
  const team = env.teams[0];
  if (!team) throw new Error('no team a');
  team.jobs = [...(team.jobs ?? []), ...seedJobs()];
  change(env);
  const input = { environments: [env] };
  drafts.add(input);
  return input;
}

/** The config problems of an input, one sentence each (empty when it loads). */
export function problemsOf(input: unknown): string[] {
  try {
    loadPlatform(input, jobFilesFor(input));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

/** The loaded environment of an input (the default, with its job files, when none is given). */
export function loaded(input: unknown = seedPlatformInput()): Environment {
  const env = loadPlatform(input, jobFilesFor(input)).environments[0];
  if (!env) throw new Error('no environment');
  return env;
}

/** The objects of a team's app, by `<Kind>/<name>`. */
export function teamObjects(
  env: Environment,
  team = 'emr-data-team-a',
  outputs: TerraformOutputs = {},
): Map<string, K8sObject> {
  return objectsOf(apps(env, outputs).get(`team-${team}`));
}

/** The JobRuns among objects, by job name (the `emr-eks-gitops/job` label). */
export function jobRuns(objects: Map<string, K8sObject>): Map<string, K8sObject> {
  return new Map(
    [...objects.values()]
      .filter((o) => o.kind === 'JobRun')
      .map((o) => [(o.metadata.labels as Record<string, string>)['emr-eks-gitops/job'] ?? '', o]),
  );
}

/**
 * The JobRun templates among objects (ConfigMaps `jobrun-<job>-<8 hex>`, for the jobs the team's
 * launcher starts), by job name: each is the JobRun a one-shot run gets, without its name.
 */
export function jobRunTemplates(objects: Map<string, K8sObject>): Map<string, K8sObject> {
  return new Map(
    [...objects.values()]
      .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('jobrun-'))
      .map((o) => JSON.parse((o.data as Record<string, string>)['jobrun.json'] ?? '{}') as K8sObject)
      .map((t) => [(t.metadata.labels as Record<string, string>)['emr-eks-gitops/job'] ?? '', t]),
  );
}

/** Every job's JobRun as rendered: the committed JobRun, or its template when the launcher starts it. */
export function jobDefinitions(objects: Map<string, K8sObject>): Map<string, K8sObject> {
  return new Map([...jobRunTemplates(objects), ...jobRuns(objects)]);
}

/** A JobRun's spec, typed loosely for assertions. */
export interface JobRunSpecJson {
  name: string;
  executionRoleARN: string;
  releaseLabel: string;
  virtualClusterRef: { from: { name: string } };
  jobDriver: { sparkSubmitJobDriver: { entryPoint: string; entryPointArguments?: string[] } };
  configurationOverrides: string;
  tags: Record<string, string>;
}

export function specOf(jobRun: K8sObject | undefined): JobRunSpecJson {
  if (!jobRun) throw new Error('no such JobRun');
  return jobRun.spec as JobRunSpecJson;
}

export function overridesOf(jobRun: K8sObject | undefined): ConfigurationOverrides {
  return JSON.parse(specOf(jobRun).configurationOverrides) as ConfigurationOverrides;
}

/** The `spark-defaults` properties of a JobRun. */
export function sparkDefaultsOf(jobRun: K8sObject | undefined): Record<string, string> {
  const defaults = overridesOf(jobRun).applicationConfiguration?.find(
    (c) => c.classification === 'spark-defaults',
  );
  return { ...(defaults?.properties ?? {}) };
}

/** The seed's FSx for Lustre examples: the taxi job on the static and the dynamic claim. */
function fsxJobs(): JobInput[] {
  const taxi = (name: string, storage: 'fsx-static' | 'fsx-dynamic'): JobInput => ({
    name,
    description: `Seed example ${storage}-pvc-shuffle-storage.`,
    script: 'jobs/emr-data-team-a/taxi-trip.py',
    arguments: ['{{input:nyc-taxi}}', '{{teamS3}}/data/{{job}}/output/'],
    storage,
  });
  return [taxi('taxi-fsx-static', 'fsx-static'), taxi('taxi-fsx-dynamic', 'fsx-dynamic')];
}

/** The default environment with FSx static and dynamic on and the FSx example jobs added. */
export function fsxPlatform(): { environments: EnvironmentInput[] } {
  return platformWith((env) => {
    env.storage = { fsx: { static: { enabled: true }, dynamic: { enabled: true } } };
    env.addons = { ...env.addons, fsxCsiDriver: true };
    const team = env.teams[0]!;
    team.jobs = [...(team.jobs ?? []), ...fsxJobs()];
  });
}
