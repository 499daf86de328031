import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import type { PlatformInput } from '../../config/schema';

/** `teams[].notify`: each form of destination, and one-line errors naming the field and the fix. */

const fixture = load(
  readFileSync(join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8'),
) as PlatformInput;

function withNotify(notify: unknown[]): PlatformInput {
  const input = structuredClone(fixture);
  (input.environments[0]!.teams[0]! as Record<string, unknown>).notify = notify;
  return input;
}

/** The error lines of loading `notify` (none when it loads). */
function problems(notify: unknown[]): string[] {
  try {
    loadPlatform(withNotify(notify), NO_JOB_FILES);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split('\n');
  }
}

describe('teams[].notify', () => {
  it('takes email addresses, SNS topics and webhooks with a referenced secret', () => {
    const env = loadPlatform(
      withNotify([
        { email: 'team@example.com' },
        { snsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:pager' },
        { webhook: { url: 'https://hooks.example.com/emr', secret: 'team/alert-token' } },
        {
          webhook: {
            url: 'https://hooks.example.com:8443/a/b',
            secret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:team/token-AbC123',
            header: 'X-Api-Key',
          },
        },
      ]),
      NO_JOB_FILES,
    ).environments[0]!;
    expect(env.teams[0]!.notify[2]).toEqual({
      webhook: { url: 'https://hooks.example.com/emr', secret: 'team/alert-token', header: 'Authorization' },
    });
    expect(env.teams[1]!.notify).toEqual([]);
  });

  it.each([
    [{ email: 'not-an-address' }, 'notify[0].email', 'must be an email address'],
    [
      { snsTopicArn: 'arn:aws:sqs:eu-west-1:111122223333:q' },
      'notify[0].snsTopicArn',
      'must be an SNS topic ARN',
    ],
    [
      { webhook: { url: 'http://hooks.example.com/x', secret: 's' } },
      'notify[0].webhook.url',
      'must be an https URL',
    ],
    [
      { webhook: { url: 'https://hooks.example.com/x?token=abc', secret: 's' } },
      'notify[0].webhook.url',
      'without user info, query string or fragment',
    ],
    [
      { webhook: { url: 'https://user:pw@hooks.example.com/x', secret: 's' } },
      'notify[0].webhook.url',
      'a token goes into the referenced secret',
    ],
    [
      { webhook: { url: 'https://hooks.example.com/x', secret: 'has space' } },
      'notify[0].webhook.secret',
      'Secrets Manager secret ARN',
    ],
    [{ webhook: { url: 'https://hooks.example.com/x' } }, 'notify[0].webhook.secret', 'missing'],
    [
      { webhook: { url: 'https://hooks.example.com/x', secret: 's', header: 'Bad Header' } },
      'notify[0].webhook.header',
      'HTTP header name',
    ],
    [{}, 'notify[0]', 'names no destination'],
    [
      { email: 'a@example.com', snsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:p' },
      'notify[0]',
      'exactly one destination',
    ],
    [{ slack: 'x' }, 'notify[0]', 'slack'],
  ])('refuses %j in one line naming %s', (target, field, text) => {
    const lines = problems([target]);
    expect(lines.length).toBeGreaterThan(0);
    const line = lines.find((l) => l.includes(field));
    expect(line, lines.join('\n')).toBeDefined();
    expect(line).toContain(text);
    expect(line).not.toContain('\n');
  });
});
