import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';

const FIXTURE = join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml');

/** The fixture's first environment (eu-west-1) with these zones; the problems loading it reports. */
function problemsWithZones(azs: string[]): string[] {
  const input = load(readFileSync(FIXTURE, 'utf8')) as {
    environments: { cluster: { vpc: { azs: string[] } }; nodePools: { zones: string[] }[] }[];
  };
  input.environments = input.environments.slice(0, 1);
  const [env] = input.environments;
  if (env === undefined) throw new Error('the fixture has no environment');
  env.cluster.vpc.azs = azs;
  env.nodePools.forEach((pool) => (pool.zones = azs.slice(0, 1)));
  try {
    loadPlatform(input, NO_JOB_FILES);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
}

describe('availability zones against the region', () => {
  it('accepts zone names of the region, and refuses others naming the field', () => {
    expect(problemsWithZones(['eu-west-1a', 'eu-west-1c'])).toEqual([]);
    expect(problemsWithZones(['eu-west-1a', 'us-west-2b'])).toEqual([
      'Invalid config at environments[0].cluster.vpc.azs[1]: "us-west-2b" must be a zone of eu-west-1 such as eu-west-1a.',
    ]);
    expect(problemsWithZones(['eu-west-1a', 'eu-west-1'])).toEqual([
      'Invalid config at environments[0].cluster.vpc.azs[1]: "eu-west-1" must be a zone of eu-west-1 such as eu-west-1a.',
    ]);
  });

  it('says what to give instead of a zone id', () => {
    expect(problemsWithZones(['euw1-az1', 'eu-west-1b'])).toEqual([
      'Invalid config at environments[0].cluster.vpc.azs[0]: "euw1-az1" is a zone id; give the zone\'s name in eu-west-1, such as eu-west-1a (aws ec2 describe-availability-zones --region eu-west-1 lists both).',
    ]);
  });
});
