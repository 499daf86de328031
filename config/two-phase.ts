import { mergeJobSettings, type StorageVariant } from './jobs';
import type { TerraformOutputs } from './outputs';
import type { Environment } from './schema';

/**
 * Features rendered in two phases (decision 16 in docs/decisions.md): their Terraform side
 * renders as soon as the config enables them, and their in-cluster side once the `base` stack's
 * outputs it needs are recorded in `config/outputs/<env>.json`. Until then the in-cluster side
 * waits, and the rest of the environment renders as usual.
 */
export interface OutputFeature {
  /** The config path that enables it, e.g. `storage.fsx.static`. */
  readonly feature: string;
  /** Whether the environment enables it. */
  readonly enabled: (env: Environment) => boolean;
  /** The contract fields its in-cluster objects are rendered from. */
  readonly needs: readonly (keyof TerraformOutputs)[];
  /** The in-cluster objects that wait for them, for the notice. */
  readonly objects: string;
  /** The environment with the feature's in-cluster side off. */
  readonly without: (env: Environment) => Environment;
  /** The job storage variant that needs the feature, if any. */
  readonly storage?: StorageVariant;
}

/** An FSx variant: on in `storage.fsx.<variant>`, used by jobs with storage `fsx-<variant>`. */
function fsxFeature(
  variant: 'static' | 'dynamic',
  needs: OutputFeature['needs'],
  objects: string,
): OutputFeature {
  return {
    feature: `storage.fsx.${variant}`,
    enabled: (env) => env.storage.fsx[variant].enabled,
    needs,
    objects,
    without: (env) => ({
      ...env,
      storage: {
        ...env.storage,
        fsx: { ...env.storage.fsx, [variant]: { ...env.storage.fsx[variant], enabled: false } },
      },
    }),
    storage: `fsx-${variant}`,
  };
}

export const OUTPUT_FEATURES: readonly OutputFeature[] = [
  fsxFeature(
    'static',
    ['fsxFileSystemId', 'fsxDnsName', 'fsxMountName'],
    'the static FSx volume and claim of each team and the fsx-static pod templates',
  ),
  fsxFeature(
    'dynamic',
    ['fsxSubnetId', 'fsxSecurityGroupId'],
    'the fsx StorageClass, the claim of each team and the fsx-dynamic pod templates',
  ),
];

/** A feature whose in-cluster side waits for Terraform outputs. */
export interface WaitingFeature {
  readonly feature: string;
  readonly missing: readonly (keyof TerraformOutputs)[];
  readonly objects: string;
  /** `<team>/<job>` of the jobs that need it, which wait with it. */
  readonly jobs: readonly string[];
}

/** What the in-cluster side of an environment renders from, and what of it waits for outputs. */
export interface InClusterView {
  /** The environment as the manifests see it: waiting features off, their jobs left out. */
  readonly env: Environment;
  readonly waiting: readonly WaitingFeature[];
}

/**
 * The environment the in-cluster side renders: each enabled feature whose outputs are missing is
 * turned off there, and the jobs that need it are left out until the outputs exist.
 */
export function inClusterView(env: Environment, outputs: TerraformOutputs): InClusterView {
  const waitingFeatures = OUTPUT_FEATURES.filter(
    (f) => f.enabled(env) && f.needs.some((key) => outputs[key] === undefined),
  );
  if (waitingFeatures.length === 0) return { env, waiting: [] };
  const featureOfStorage = new Map(
    waitingFeatures.flatMap((f) => (f.storage ? [[f.storage, f.feature]] : [])),
  );
  const jobsByFeature = new Map<string, string[]>(waitingFeatures.map((f) => [f.feature, []]));
  const teams = env.teams.map((team) => ({
    ...team,
    jobs: team.jobs.filter((job) => {
      const storage = mergeJobSettings(env, team, job).storage;
      const feature = storage === undefined ? undefined : featureOfStorage.get(storage);
      if (feature === undefined) return true;
      jobsByFeature.get(feature)?.push(`${team.name}/${job.name}`);
      return false;
    }),
  }));
  const view = waitingFeatures.reduce((e, f) => f.without(e), { ...env, teams });
  return {
    env: view,
    waiting: waitingFeatures.map((f) => ({
      feature: f.feature,
      missing: f.needs.filter((key) => outputs[key] === undefined),
      objects: f.objects,
      jobs: jobsByFeature.get(f.feature) ?? [],
    })),
  };
}

/** The one sentence synth prints for a waiting feature. */
export function waitingNotice(envName: string, waiting: WaitingFeature): string {
  const jobs = waiting.jobs.length > 0 ? ` and job(s) ${waiting.jobs.join(', ')}` : '';
  return `${envName}: ${waiting.feature} waits for Terraform outputs (${waiting.missing.join(', ')}): ${waiting.objects}${jobs} render once you apply dist/${envName}/terraform/base and run \`npm run outputs -- --env ${envName}\`, then \`npm run synth\`.`;
}
