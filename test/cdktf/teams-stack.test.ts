import { describe, expect, it } from 'vitest';
import { policy, resource, synthStacks } from '../helpers/terraform';

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

  it('limits S3 to the team prefix and logs to the team log group', () => {
    const statements = policy(
      resource(teams, 'aws_iam_role_policy', 'team-emr-data-team-a_execution-policy').policy,
    ).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid as string, s]));
    expect(bySid.TeamObjects?.Resource).toBe(
      'arn:aws:s3:::emr-eks-karpenter-111122223333-us-west-2/emr-data-team-a/*',
    );
    expect(bySid.ListTeamPrefix?.Condition).toEqual({
      StringLike: { 's3:prefix': ['emr-data-team-a/', 'emr-data-team-a/*'] },
    });
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
    expect(statements.find((s) => s.Sid === 'TeamObjects')).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::emr-eks-karpenter-111122223333-us-west-2/emr-data-team-b/artifacts/*',
    });
  });

  it('outputs each team identity for the manifests side', () => {
    expect(Object.keys(teams.output?.emr_on_eks?.value as object)).toEqual([
      'emr-data-team-a',
      'emr-data-team-b',
    ]);
  });
});
