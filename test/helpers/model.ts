import type { Environment, Platform } from '../../config/schema';
import type { TerraformOutputs } from '../../config/outputs';
import { loadSources } from '../../config/sources';
import {
  buildEnvironmentModel,
  buildPlatformModel,
  type EnvironmentModel,
  type PlatformModel,
} from '../../model/platform-model';
import { SEED_ROOT } from '../fixtures';

/**
 * The model of one test environment, with its job files read from the seed fixture (the root
 * the tests render) and the given Terraform outputs (none by default).
 */
export function environmentModel(env: Environment, outputs: TerraformOutputs = {}): EnvironmentModel {
  const sources = loadSources({ environments: [env] }, SEED_ROOT);
  return buildEnvironmentModel(env, { ...sources, outputs: new Map([[env.name, outputs]]) });
}

/** The model of a test platform, its sources read from the seed fixture. */
export function platformModel(platform: Pick<Platform, 'environments'>): PlatformModel {
  return buildPlatformModel(platform, loadSources(platform, SEED_ROOT));
}
