import type { PlatformStack } from '../cdktf/stacks/platform-stack';
import type { Json } from '../lib/serialize';
import { sortKeys } from '../lib/serialize';

/** Counts of what a stack declares, for the synth summary. */
export interface StackCounts {
  readonly resources: number;
  readonly dataSources: number;
  readonly outputs: number;
}

/**
 * The Terraform JSON of a stack, without CDKTF's `//` metadata (construct paths, tool version),
 * which only the CDKTF CLI reads and which would make reviews noisy.
 */
export function stackToJson(stack: PlatformStack): Json {
  return stripMetadata(sortKeys(stack.toTerraform()));
}

function stripMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '//')
        .map(([key, v]) => [key, stripMetadata(v)]),
    );
  }
  return value;
}

export function countStack(json: Json): StackCounts {
  const block = (name: string): Record<string, Json> => {
    const section = (json as Record<string, Json>)[name];
    return section !== null && typeof section === 'object' && !Array.isArray(section) ? section : {};
  };
  const countNested = (section: Record<string, Json>) =>
    Object.values(section).reduce<number>(
      (sum, byType) => sum + (byType && typeof byType === 'object' ? Object.keys(byType).length : 0),
      0,
    );
  return {
    resources: countNested(block('resource')),
    dataSources: countNested(block('data')),
    outputs: Object.keys(block('output')).length,
  };
}
