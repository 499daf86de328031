import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';

const FIXTURE = join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml');

/** The fixture's first environment with these cluster tags; the problems loading it reports. */
function problemsWithTags(tags: Record<string, string>): string[] {
  const input = load(readFileSync(FIXTURE, 'utf8')) as {
    environments: { cluster: Record<string, unknown> }[];
  };
  input.environments = input.environments.slice(0, 1);
  const [env] = input.environments;
  if (env === undefined) throw new Error('the fixture has no environment');
  env.cluster.tags = tags;
  try {
    loadPlatform(input, NO_JOB_FILES);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
}

const at = 'Invalid config at environments[0].cluster.tags';

describe('cluster tags', () => {
  it('accepts what AWS accepts: letters of any script, digits, spaces and _ . : / = + - @', () => {
    expect(
      problemsWithTags({
        'cost-center': 'data platform',
        'owner@example.com': 'équipe/données=+1',
        'k8s.io/role': '',
        [`k${'x'.repeat(127)}`]: 'v'.repeat(256),
      }),
    ).toEqual([]);
  });

  it('refuses the aws: prefix, control characters, other characters and overlong keys and values', () => {
    expect(
      problemsWithTags({
        'aws:createdBy': 'me',
        'line\nbreak': 'x',
        team: 'a\tb',
        'cost center': 'data; platform',
        [`k${'x'.repeat(128)}`]: 'v',
        long: 'v'.repeat(257),
      }),
    ).toEqual([
      `${at}: "aws:createdBy" is not a valid tag key: AWS reserves the aws: prefix; rename the key.`,
      `${at}: "line\\nbreak" is not a valid tag key: it holds the control character U+000A; remove it.`,
      `${at}.team: "a\\tb" is not a valid tag value: it holds the control character U+0009; remove it.`,
      `${at}["cost center"]: "data; platform" is not a valid tag value: AWS allows letters, digits, spaces and _ . : / = + - @ only, not ";"; remove or replace it.`,
      `${at}: "k${'x'.repeat(75)}... is not a valid tag key: it has 129 characters, AWS allows 128; shorten it.`,
      `${at}.long: "${'v'.repeat(76)}... is not a valid tag value: it has 257 characters, AWS allows 256; shorten it.`,
    ]);
  });
});
