import { defaultEnvironment } from '../config/environments/default';
import type { PlatformInput } from '../config';

/**
 * A platform like the default with `teams` data teams (`team-001` …), for benchmarks and scale
 * tests. Budgets are sized so the node pools can hold every team at once.
 */
export function generatedPlatform(teams: number): PlatformInput {
  const pools = defaultEnvironment.nodePools;
  const perTeamCpu = Math.max(1, Math.floor(pools.reduce((sum, p) => sum + p.limits.cpu, 0) / teams / 2));
  return {
    environments: [
      {
        ...defaultEnvironment,
        teams: Array.from({ length: teams }, (_, i) => ({
          name: `team-${String(i + 1).padStart(3, '0')}`,
          budget: { cpu: perTeamCpu, memoryGiB: perTeamCpu * 8 },
          nodePools: pools.map((p) => p.name),
        })),
      },
    ],
  };
}
