import { build, freshBuild } from '../../bin/build';

/**
 * vitest global setup: brings the precompiled CLI up to date once, before any test spawns it
 * (tests run in parallel and would otherwise each rebuild after a source change).
 */
export async function setup(): Promise<void> {
  if (freshBuild() === undefined) await build();
}
