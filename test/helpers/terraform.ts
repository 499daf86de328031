import { tmpdir } from 'node:os';
import { App } from '../../cdktf/framework';
import { environmentStacks } from '../../cdktf/app';
import { loadPlatform } from '../../config/load';
import type { Environment, PlatformInput } from '../../config/schema';
import { seedPlatformInput } from '../fixtures';
import { stackToJson } from '../../pipeline/terraform';
import { environmentModel } from './model';

/** A synthesized stack as plain Terraform JSON. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
}

export function environment(input: PlatformInput = seedPlatformInput(), index = 0): Environment {
  const env = loadPlatform(input).environments[index];
  if (!env) throw new Error(`no environment ${index}`);
  return env;
}

/** Synthesizes one environment's stacks, keyed by stack name (`base`, `teams`). */
export function synthStacks(env: Environment = environment()): Record<string, TerraformJson> {
  const app = new App({ outdir: tmpdir(), stackTraces: false, skipValidation: true });
  return Object.fromEntries(
    environmentStacks(app, environmentModel(env)).map((stack) => [
      stack.stackName,
      stackToJson(stack) as TerraformJson,
    ]),
  );
}

/** One resource's arguments; fails the test when absent. */
export function resource(stack: TerraformJson, type: string, name: string): Record<string, unknown> {
  const found = stack.resource?.[type]?.[name];
  if (!found) {
    const known = Object.keys(stack.resource?.[type] ?? {}).join(', ');
    throw new Error(`no ${type}.${name} (have: ${known || 'none'})`);
  }
  return found;
}

export function resourcesOfType(stack: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/** Parses an IAM policy argument (a JSON string, possibly holding Terraform references). */
export function policy(value: unknown): { Statement: Record<string, unknown>[] } {
  if (typeof value !== 'string') throw new Error(`policy is not a string: ${JSON.stringify(value)}`);
  return JSON.parse(value) as { Statement: Record<string, unknown>[] };
}

/** Every resource of every stack as [address, arguments]. */
export function allResources(stacks: Record<string, TerraformJson>): [string, Record<string, unknown>][] {
  return Object.entries(stacks).flatMap(([stackName, stack]) =>
    Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, args]): [string, Record<string, unknown>] => [
        `${stackName}:${type}.${name}`,
        args,
      ]),
    ),
  );
}
