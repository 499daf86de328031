import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import type { Environment } from '../../config/schema';

/** A YAML tree of the platform input, edited by tests. */
export type InputTree = Record<string, unknown>;

/**
 * The dev environment of the pipeline fixture (`test/pipeline/fixtures/platform.yaml`) with
 * `jobs` as the jobs of its first team (emr-data-team-a), and `change` applied to its input.
 */
export function devWithJobs(
  jobs: readonly InputTree[],
  change: (env: InputTree) => void = () => undefined,
): Environment {
  const input = load(
    readFileSync(join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8'),
  ) as {
    environments: InputTree[];
  };
  const dev = input.environments.find((e) => e.name === 'dev');
  const team = (dev?.teams as InputTree[] | undefined)?.[0];
  if (dev === undefined || team === undefined) throw new Error('the fixture platform has no dev team');
  team.jobs = jobs;
  change(dev);
  const env = loadPlatform(input, NO_JOB_FILES).environments.find((e) => e.name === 'dev');
  if (env === undefined) throw new Error('no dev environment');
  return env;
}
