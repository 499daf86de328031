import type { CommandStep } from './command-step';
import { nycTaxiInputUri, type Environment } from '../config';

/** Where the NYC TLC publishes the trip records the taxi examples read (the seed's source). */
export const NYC_TAXI_SOURCE =
  'https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2022-01.parquet';
/** The seed copies the month ten times to give the jobs enough input to spread over executors. */
export const NYC_TAXI_COPIES = 10;

/**
 * Download the sample month once, then copy it `NYC_TAXI_COPIES` times under every team's
 * `data/nyc-taxi/input/` (what the taxi jobs read), with the execution roles' own prefix rules
 * in mind: each team gets its own copy, never a shared prefix.
 */
export function sampleDataPlan(env: Environment, workDir: string): CommandStep[] {
  const local = `${workDir}/yellow_tripdata_2022-01.parquet`;
  const steps: CommandStep[] = [
    {
      title: 'Download one month of NYC taxi trips',
      command: ['curl', '-fsSL', '-o', local, NYC_TAXI_SOURCE],
    },
  ];
  const teams = env.teams.filter((team) => team.jobs.length > 0);
  for (const team of teams) {
    const input = nycTaxiInputUri(env, team);
    for (let i = 0; i < NYC_TAXI_COPIES; i++) {
      steps.push({
        title: `Copy ${i + 1}/${NYC_TAXI_COPIES} to ${team.name}`,
        command: [
          'aws',
          's3',
          'cp',
          '--region',
          env.cluster.region,
          '--only-show-errors',
          local,
          `${input}yellow_tripdata_2022-${i}.parquet`,
        ],
      });
    }
  }
  return steps;
}
