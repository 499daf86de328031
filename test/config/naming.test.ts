import { describe, expect, it } from 'vitest';
import {
  allBucketNames,
  platformBucketName,
  S3_BUCKET_NAME_MAX,
  teamBucketName,
  teamS3Uri,
} from '../../config/naming';
import type { Environment } from '../../config/schema';
import { environment } from '../helpers/terraform';
import { seedEnvironmentInput } from '../fixtures';

function withNames(cluster: string, teams: readonly string[]): Environment {
  const env = environment();
  return {
    ...env,
    cluster: { ...env.cluster, name: cluster },
    teams: teams.map((name) => ({ ...env.teams[1]!, name })),
  };
}

const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

describe('bucket names', () => {
  it('spell out cluster, team, account and region when they fit', () => {
    const env = environment();
    expect(env.teams.map((team) => teamBucketName(env, team))).toEqual([
      'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2',
      'emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2',
    ]);
    expect(platformBucketName(env)).toBe('emr-eks-karpenter-111122223333-us-west-2');
    expect(teamS3Uri(env, env.teams[0]!, 'logs/')).toBe(
      's3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/logs/',
    );
  });

  it('stay within 63 characters, valid, deterministic and distinct for the longest names', () => {
    const env = withNames('c'.repeat(40), ['t'.repeat(40), `${'t'.repeat(39)}u`, 'a']);
    const names = env.teams.map((team) => teamBucketName(env, team));
    for (const name of [...names, platformBucketName(env)]) {
      expect(name.length).toBeLessThanOrEqual(S3_BUCKET_NAME_MAX);
      expect(name).toMatch(S3_BUCKET_NAME);
    }
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^c{40}-t{13}-[0-9a-f]{8}$/);
    expect(names).toEqual(env.teams.map((team) => teamBucketName(env, team)));
  });

  it('differ between accounts and regions even when shortened', () => {
    const env = withNames('c'.repeat(40), ['t'.repeat(40)]);
    const other = { ...env, cluster: { ...env.cluster, accountId: '444455556666' } };
    const team = env.teams[0]!;
    expect(teamBucketName(env, team)).not.toBe(teamBucketName(other, team));
  });

  it('list the platform bucket only when FSx or Fluent Bit use it', () => {
    const env = environment();
    expect(allBucketNames(env)).toEqual(env.teams.map((team) => teamBucketName(env, team)));
    const withFluentBit = environment({
      environments: [
        { ...seedEnvironmentInput(), addons: { ...seedEnvironmentInput().addons, fluentBit: true } },
      ],
    });
    expect(allBucketNames(withFluentBit)[0]).toBe(platformBucketName(withFluentBit));
  });
});
