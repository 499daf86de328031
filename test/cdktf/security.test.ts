import { describe, expect, it } from 'vitest';
import { allResources, policy, synthStacks } from '../helpers/terraform';

/** Invariants over every resource of every stack of the default environment. */
const resources = allResources(synthStacks());
const policyArguments = ['assume_role_policy', 'policy'];

const statements = resources.flatMap(([address, args]) =>
  policyArguments
    .filter((key) => typeof args[key] === 'string')
    .flatMap((key) => policy(args[key]).Statement.map((statement) => ({ address, statement }))),
);

describe('security invariants', () => {
  it('finds the policies it checks', () => {
    expect(statements.length).toBeGreaterThan(30);
  });

  it('never allows a wildcard principal', () => {
    const offenders = statements.filter(({ statement }) => {
      if (statement.Effect !== 'Allow' || !statement.Principal) return false;
      return JSON.stringify(statement.Principal).includes('"*"');
    });
    expect(offenders).toEqual([]);
  });

  it('never allows every action', () => {
    const offenders = statements.filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        !statement.Principal && // key policies grant the account root kms:* on purpose
        [statement.Action].flat().some((action) => action === '*' || String(action).endsWith(':*')),
    );
    expect(offenders).toEqual([]);
  });

  it('requires IMDSv2 on every launch template', () => {
    const templates = resources.filter(([address]) => address.includes(':aws_launch_template.'));
    expect(templates.length).toBeGreaterThan(0);
    for (const [, args] of templates) {
      expect(args.metadata_options).toMatchObject({ http_tokens: 'required' });
    }
  });

  it('names every IAM role explicitly and within IAM limits', () => {
    const roles = resources.filter(([address]) => address.includes(':aws_iam_role.'));
    for (const [, args] of roles) {
      expect(typeof args.name).toBe('string');
      expect((args.name as string).length).toBeLessThanOrEqual(64);
    }
  });
});
