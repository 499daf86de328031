import { describe, expect, it } from 'vitest';
import { isPolicyDocument, policyWidenings, publicGrants } from '../../review/iam';

type Statement = Record<string, unknown>;
const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });

const read: Statement = {
  Sid: 'ReadTeamPrefix',
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: ['arn:aws:s3:::jobs/team-a/*'],
  Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
};
const trust: Statement = {
  Sid: 'AssumeByServiceAccount',
  Effect: 'Allow',
  Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks' },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringLike: { 'oidc.eks:sub': 'system:serviceaccount:team-a:*' } },
};
const denyInsecure: Statement = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: ['arn:aws:s3:::jobs', 'arn:aws:s3:::jobs/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

/** Each widening (a corpus case) and the exact finding it must produce. */
const WIDENINGS: readonly [string, unknown, unknown, string[]][] = [
  [
    'a new action',
    doc(read),
    doc({ ...read, Action: [...(read.Action as string[]), 's3:DeleteObject'] }),
    ['Sid ReadTeamPrefix: new action s3:DeleteObject'],
  ],
  [
    'an action wildcard',
    doc(read),
    doc({ ...read, Action: 's3:*' }),
    ['Sid ReadTeamPrefix: new action s3:* (wildcard)'],
  ],
  [
    'a new resource',
    doc(read),
    doc({ ...read, Resource: ['arn:aws:s3:::jobs/team-a/*', 'arn:aws:s3:::jobs/team-b/*'] }),
    ['Sid ReadTeamPrefix: new resource arn:aws:s3:::jobs/team-b/* (wildcard)'],
  ],
  [
    'a resource wildcard',
    doc(read),
    doc({ ...read, Resource: '*' }),
    ['Sid ReadTeamPrefix: new resource * (wildcard)'],
  ],
  [
    'a new principal',
    doc(trust),
    doc({
      ...trust,
      Principal: {
        Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks',
        AWS: 'arn:aws:iam::999988887777:root',
      },
    }),
    ['Sid AssumeByServiceAccount: new principal AWS arn:aws:iam::999988887777:root'],
  ],
  [
    'a principal wildcard',
    doc(trust),
    doc({ ...trust, Principal: '*' }),
    ['Sid AssumeByServiceAccount: new principal * (wildcard)'],
  ],
  [
    'NotAction appearing',
    doc(read),
    doc({ ...read, Action: undefined, NotAction: 'iam:*' }),
    ['Sid ReadTeamPrefix: NotAction appears: applies to everything except iam:*'],
  ],
  [
    'an exclusion leaving NotAction',
    doc({ ...read, Action: undefined, NotAction: ['iam:*', 'kms:*'] }),
    doc({ ...read, Action: undefined, NotAction: ['iam:*'] }),
    ['Sid ReadTeamPrefix: NotAction no longer excludes kms:*'],
  ],
  [
    'a removed condition',
    doc(trust),
    doc({ ...trust, Condition: undefined }),
    ['Sid AssumeByServiceAccount: condition StringLike oidc.eks:sub removed'],
  ],
  [
    'a condition accepting more values',
    doc(read),
    doc({
      ...read,
      Condition: { StringEquals: { 'aws:PrincipalAccount': ['111122223333', '444455556666'] } },
    }),
    ['Sid ReadTeamPrefix: condition StringEquals aws:PrincipalAccount accepts more values: 444455556666'],
  ],
  [
    'a new Allow statement',
    doc(read),
    doc(read, { Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' }),
    ['Sid Admin: new Allow statement (actions * on *, with a wildcard)'],
  ],
  [
    'Deny turned Allow',
    doc(denyInsecure),
    doc({ ...denyInsecure, Effect: 'Allow' }),
    [
      'Sid DenyInsecureTransport: Deny → Allow (actions s3:* on arn:aws:s3:::jobs, arn:aws:s3:::jobs/* to AWS *, with a wildcard)',
    ],
  ],
  [
    'a Deny removed',
    doc(read, denyInsecure),
    doc(read),
    ['Sid DenyInsecureTransport: Deny statement removed'],
  ],
  [
    'a Deny covering fewer resources',
    doc(denyInsecure),
    doc({ ...denyInsecure, Resource: 'arn:aws:s3:::jobs' }),
    ['Sid DenyInsecureTransport: no longer denied: resource arn:aws:s3:::jobs/* (wildcard)'],
  ],
  [
    'a Deny applying in fewer cases',
    doc(denyInsecure),
    doc({
      ...denyInsecure,
      Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalAccount': '1' } },
    }),
    [
      'Sid DenyInsecureTransport: condition StringEquals aws:PrincipalAccount added: the Deny applies in fewer cases',
    ],
  ],
  [
    'a condition value of another kind changed (direction not judged)',
    doc(denyInsecure),
    doc({ ...denyInsecure, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    ['Sid DenyInsecureTransport: condition Bool aws:SecureTransport changed false → true'],
  ],
  [
    'a new statement without a Sid, inserted first',
    doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:q' }),
    doc(
      { Effect: 'Allow', Action: 'sqs:DeleteQueue', Resource: 'arn:q' },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:q' },
    ),
    ['statement 1: new Allow statement (actions sqs:DeleteQueue on arn:q)'],
  ],
];

/** Narrowing or neutral changes: no finding. */
const NARROWINGS: readonly [string, unknown, unknown][] = [
  ['an action removed', doc(read), doc({ ...read, Action: 's3:GetObject' })],
  [
    'an action now covered by the old pattern',
    doc({ ...read, Action: 's3:Get*' }),
    doc({ ...read, Action: 's3:GetObject' }),
  ],
  ['a resource narrowed', doc({ ...read, Resource: '*' }), doc(read)],
  ['a condition added to an Allow', doc({ ...read, Condition: undefined }), doc(read)],
  ['an Allow statement removed', doc(read, trust), doc(read)],
  ['a Deny added', doc(read), doc(read, denyInsecure)],
  ['a Deny covering more', doc({ ...denyInsecure, Resource: 'arn:aws:s3:::jobs' }), doc(denyInsecure)],
  ['statements reordered', doc(read, trust), doc(trust, read)],
  ['a single statement written as a list', { Version: '2012-10-17', Statement: read }, doc(read)],
];

describe('IAM policy widenings', () => {
  it.each(WIDENINGS)('warns about %s', (_, before, after, expected) => {
    expect(policyWidenings(before, after)).toEqual(expected);
  });

  it.each(NARROWINGS)('stays quiet about %s', (_, before, after) => {
    expect(policyWidenings(before, after)).toEqual([]);
  });

  it('treats every statement of a new document as new', () => {
    expect(policyWidenings(undefined, doc(read))).toEqual([
      'Sid ReadTeamPrefix: new Allow statement (actions s3:GetObject, s3:ListBucket on arn:aws:s3:::jobs/team-a/*, with a wildcard)',
    ]);
  });

  it('finds Allow statements open to anyone without a condition', () => {
    expect(publicGrants(doc(denyInsecure, trust))).toEqual([]);
    expect(
      publicGrants(
        doc({
          Sid: 'Public',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: '*',
        }),
      ),
    ).toEqual([
      'Sid Public: allows anyone (wildcard principal) actions s3:GetObject on * to AWS *, with a wildcard',
    ]);
  });

  it('recognises policy documents', () => {
    expect(isPolicyDocument(doc(read))).toBe(true);
    expect(isPolicyDocument({ Version: '2012-10-17', Statement: read })).toBe(true);
    expect(isPolicyDocument({ source: ['aws.ec2'] })).toBe(false);
  });
});
