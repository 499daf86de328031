import type { Construct } from 'constructs';
import type { EnvironmentModel } from '../model/platform-model';
import { AddonsStack } from './stacks/addons-stack';
import { BaseStack } from './stacks/base-stack';
import type { PlatformStack } from './stacks/platform-stack';
import { TeamsStack } from './stacks/teams-stack';

/** Every Terraform stack of an environment, in apply order. */
export function environmentStacks(scope: Construct, model: EnvironmentModel): PlatformStack[] {
  return [
    new BaseStack(scope, model.config),
    new TeamsStack(scope, model),
    new AddonsStack(scope, model.config),
  ];
}
