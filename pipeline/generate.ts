import { defaultEnvironment } from '../config/environments/default';
import type { EnvironmentInput, PlatformInput } from '../config';
import type { JobInput } from '../config/jobs';

/** Spark's Pi example from the EMR image: a job that needs no job files. */
const IMAGE_SCRIPT = 'local:///usr/lib/spark/examples/src/main/python/pi.py';

/**
 * `count` jobs for one generated team (`job-01` …), spread over the node pools, some gang
 * scheduled, each with its own arguments (so each renders its own content-addressed JobRun).
 */
function generatedJobs(count: number, pools: readonly string[]): JobInput[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `job-${String(i + 1).padStart(2, '0')}`,
    description: 'Generated for benchmarks and scale tests.',
    script: IMAGE_SCRIPT,
    arguments: [String(100 * (i + 1))],
    nodePool: pools[i % pools.length],
    storage: 'nvme',
    driver: { cores: 1, memory: '1g' },
    executor: { cores: 1, memory: '2g', instances: 2 },
    ...(i % 5 === 4 ? { gangScheduling: { enabled: true } } : {}),
  }));
}

/** Each generated team's budget: room for a few of its jobs at once. */
const TEAM_CPU = 16;

/**
 * A platform like `base` (the default environment unless given; tests give a fixture's) with
 * `teams` data teams (`team-001` …) of `jobsPerTeam` jobs each, for benchmarks and scale tests.
 * The node pools' CPU limits grow with the teams, so the pools can hold every team's budget at
 * once.
 */
export function generatedPlatform(
  teams: number,
  jobsPerTeam = 0,
  base: EnvironmentInput = defaultEnvironment,
): PlatformInput {
  const names = base.nodePools.map((p) => p.name);
  const poolCpu = Math.ceil((teams * TEAM_CPU) / names.length);
  const pools = base.nodePools.map((p) => ({
    ...p,
    limits: { ...p.limits, cpu: Math.max(p.limits.cpu, poolCpu) },
  }));
  return {
    environments: [
      {
        ...base,
        nodePools: pools,
        teams: Array.from({ length: teams }, (_, i) => ({
          name: `team-${String(i + 1).padStart(3, '0')}`,
          budget: { cpu: TEAM_CPU, memoryGiB: TEAM_CPU * 4 },
          nodePools: names,
          jobs: generatedJobs(jobsPerTeam, names),
        })),
      },
    ],
  };
}
