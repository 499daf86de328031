import type { Construct } from 'constructs';
import type { Environment } from '../config';
import { AddonsStack } from './stacks/addons-stack';
import { BaseStack } from './stacks/base-stack';
import type { PlatformStack } from './stacks/platform-stack';
import { TeamsStack } from './stacks/teams-stack';

/** Every Terraform stack of an environment, in apply order. */
export function environmentStacks(scope: Construct, env: Environment): PlatformStack[] {
  return [new BaseStack(scope, env), new TeamsStack(scope, env), new AddonsStack(scope, env)];
}
