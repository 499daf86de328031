import type { TerraformOutputs } from '../config/outputs';
import type { Environment, Platform } from '../config/schema';
import type { PlatformSources } from '../config/sources';
import { inClusterView, type WaitingFeature } from '../config/two-phase';
import { enabledAddons, type AddonModel } from './addon-model';
import { buildTeamModel, type TeamModel } from './team-model';

/**
 * The platform as the renderers see it (decision 17, docs/architecture.md): the validated
 * config with everything derived from it and from the loaded sources (job files, Terraform
 * outputs) resolved once. Renderers take a model and do no I/O; building one does none either.
 */
export interface PlatformModel {
  readonly environments: readonly EnvironmentModel[];
}

/** One environment: what Terraform renders, and what the cluster side renders. */
export interface EnvironmentModel {
  readonly name: string;
  /** The environment as configured: what the Terraform stacks render. */
  readonly config: Environment;
  /** Its recorded Terraform outputs (`{}` before the first apply). */
  readonly outputs: TerraformOutputs;
  /** The environment the in-cluster side renders: features waiting for outputs off, their jobs left out. */
  readonly cluster: Environment;
  /** The features whose in-cluster side waits for Terraform outputs. */
  readonly waiting: readonly WaitingFeature[];
  /** The enabled add-ons, one row each of the add-ons table. */
  readonly addons: readonly AddonModel[];
  readonly teams: readonly TeamModel[];
}

/** Builds the model of a loaded platform from the sources read for it (`loadSources`). */
export function buildPlatformModel(
  platform: Pick<Platform, 'environments'>,
  sources: PlatformSources,
): PlatformModel {
  return { environments: platform.environments.map((env) => buildEnvironmentModel(env, sources)) };
}

/** Builds the model of one environment. */
export function buildEnvironmentModel(config: Environment, sources: PlatformSources): EnvironmentModel {
  const outputs = sources.outputs.get(config.name) ?? {};
  const view = inClusterView(config, outputs);
  const renderedTeams = new Map(view.env.teams.map((team) => [team.name, team]));
  const waitingJobs = new Map(view.waiting.flatMap((w) => w.jobs.map((job) => [job, w.feature] as const)));
  return {
    name: config.name,
    config,
    outputs,
    cluster: view.env,
    waiting: view.waiting,
    addons: enabledAddons(config),
    teams: config.teams.map((team) =>
      buildTeamModel(config, view.env, team, renderedTeams.get(team.name) ?? team, waitingJobs, sources),
    ),
  };
}
