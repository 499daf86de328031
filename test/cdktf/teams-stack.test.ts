import { describe, expect, it } from 'vitest';
import { environment, policy, resource, synthStacks } from '../helpers/terraform';
import { seedEnvironmentInput } from '../fixtures';

const teams = synthStacks().teams!;
const issuer = '${local.oidc_issuer_host}';

describe('teams stack', () => {
  it.each(['emr-data-team-a', 'emr-data-team-b'])(
    'scopes %s execution role trust to its namespace',
    (team) => {
      const role = resource(teams, 'aws_iam_role', `team-${team}_execution-role`);
      expect(role.name).toBe(`emr-eks-karpenter-${team}`);
      expect(policy(role.assume_role_policy).Statement).toEqual([
        {
          Sid: 'AssumeByTeamServiceAccount',
          Effect: 'Allow',
          Principal: { Federated: '${data.aws_iam_openid_connect_provider.oidc-provider.arn}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringLike: {
              [`${issuer}:sub`]: `system:serviceaccount:${team}:emr-containers-sa-*-*-111122223333-*`,
            },
            StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
          },
        },
      ]);
    },
  );

  it("limits S3 to the team's own bucket, which it may list (404s for missing keys), and logs to the team log group", () => {
    const statements = policy(
      resource(teams, 'aws_iam_role_policy', 'team-emr-data-team-a_execution-policy').policy,
    ).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid as string, s]));
    const bucket = 'arn:aws:s3:::emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
    expect(bySid.ListTeamBucket).toEqual({
      Sid: 'ListTeamBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:GetBucketLocation'],
      Resource: bucket,
    });
    expect(bySid.TeamObjects?.Resource).toBe(`${bucket}/*`);
    expect(bySid.DenyContentAddressedRewrites).toMatchObject({
      Effect: 'Deny',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [`${bucket}/artifacts/*`, `${bucket}/inputs/*`],
    });
    // Nothing of the other team's bucket.
    expect(JSON.stringify(statements)).not.toContain('emr-data-team-b');
    expect(bySid.WriteTeamLogs?.Resource).toEqual([
      '${aws_cloudwatch_log_group.team-emr-data-team-a_log-group.arn}',
      '${aws_cloudwatch_log_group.team-emr-data-team-a_log-group.arn}:log-stream:*',
    ]);
    expect(resource(teams, 'aws_cloudwatch_log_group', 'team-emr-data-team-a_log-group')).toEqual({
      name: '/emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a',
      retention_in_days: 7,
    });
  });

  it('lets only the uploader service account write artifacts, only under artifacts/', () => {
    const role = resource(teams, 'aws_iam_role', 'team-emr-data-team-b_artifact-uploader-role');
    expect(policy(role.assume_role_policy).Statement[0]?.Condition).toEqual({
      StringEquals: {
        [`${issuer}:sub`]: 'system:serviceaccount:emr-data-team-b:emr-artifact-uploader',
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    const statements = policy(
      resource(teams, 'aws_iam_role_policy', 'team-emr-data-team-b_artifact-uploader-policy').policy,
    ).Statement;
    expect(statements).toEqual([
      {
        Sid: 'WriteArtifacts',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2/artifacts/*',
      },
    ]);
  });

  it.each(['emr-data-team-a', 'emr-data-team-b'])(
    'gives %s a private, encrypted, versioned, TLS-only bucket of its own with log expiry',
    (team) => {
      const id = `team-${team}-bucket`;
      expect(resource(teams, 'aws_s3_bucket', `${id}_bucket`)).toEqual({
        bucket: `emr-eks-karpenter-${team}-111122223333-us-west-2`,
        force_destroy: false,
      });
      expect(resource(teams, 'aws_s3_bucket_public_access_block', `${id}_public-access-block`)).toMatchObject(
        {
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        },
      );
      expect(resource(teams, 'aws_s3_bucket_ownership_controls', `${id}_ownership`)).toMatchObject({
        rule: { object_ownership: 'BucketOwnerEnforced' },
      });
      expect(
        resource(teams, 'aws_s3_bucket_server_side_encryption_configuration', `${id}_encryption`),
      ).toMatchObject({ rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] });
      expect(resource(teams, 'aws_s3_bucket_versioning', `${id}_versioning`)).toMatchObject({
        versioning_configuration: { status: 'Enabled' },
      });
      const bucketPolicy = policy(resource(teams, 'aws_s3_bucket_policy', `${id}_policy`).policy);
      expect(bucketPolicy.Statement.map((s) => [s.Sid, s.Effect, s.Condition])).toEqual([
        ['DenyInsecureTransport', 'Deny', { Bool: { 'aws:SecureTransport': 'false' } }],
        ['DenyOutdatedTLS', 'Deny', { NumericLessThan: { 's3:TlsVersion': '1.2' } }],
      ]);
      const lifecycle = resource(teams, 'aws_s3_bucket_lifecycle_configuration', `${id}_lifecycle`);
      expect(lifecycle.rule).toEqual([
        expect.objectContaining({
          id: 'abort-incomplete-uploads',
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        }),
        expect.objectContaining({ filter: [{ prefix: 'logs/' }], expiration: [{ days: 30 }] }),
        expect.objectContaining({ filter: [{ prefix: 'spark-event-logs/' }], expiration: [{ days: 30 }] }),
      ]);
    },
  );

  it('lets terraform destroy a non-empty bucket only with forceDestroyBuckets', () => {
    const forced = synthStacks(
      environment({ environments: [{ ...seedEnvironmentInput(), forceDestroyBuckets: true }] }),
    ).teams!;
    expect(resource(forced, 'aws_s3_bucket', 'team-emr-data-team-a-bucket_bucket').force_destroy).toBe(true);
  });

  it('gives a team with input data a seeder role that may only read and write inputs/', () => {
    const role = resource(teams, 'aws_iam_role', 'team-emr-data-team-a_input-seeder-role');
    expect(role.name).toBe('emr-eks-karpenter-emr-data-team-a-input-seeder');
    expect(policy(role.assume_role_policy).Statement[0]?.Condition).toEqual({
      StringEquals: {
        [`${issuer}:sub`]: 'system:serviceaccount:emr-data-team-a:emr-input-seeder',
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    expect(
      policy(resource(teams, 'aws_iam_role_policy', 'team-emr-data-team-a_input-seeder-policy').policy)
        .Statement,
    ).toEqual([
      {
        Sid: 'WriteInputs',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        Resource: 'arn:aws:s3:::emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/inputs/*',
      },
    ]);
    // Team b declares no input data, so it has no seeder.
    expect(teams.resource?.aws_iam_role?.['team-emr-data-team-b_input-seeder-role']).toBeUndefined();
  });

  it('outputs each team identity for the manifests side', () => {
    expect(Object.keys(teams.output?.emr_on_eks?.value as object)).toEqual([
      'emr-data-team-a',
      'emr-data-team-b',
    ]);
  });
});
