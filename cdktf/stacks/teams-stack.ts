import type { Construct } from 'constructs';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { Fn, TerraformLocal, TerraformOutput } from '../framework';
import { LOG_KEY_PREFIXES } from '../../config';
import type { EnvironmentModel } from '../../model/platform-model';
import { EmrTeamIdentity } from '../constructs/emr-team-identity';
import { SecureBucket } from '../constructs/secure-bucket';
import { awsProvider } from './aws-provider';
import { PlatformStack } from './platform-stack';

/**
 * Per-team AWS resources: each team's bucket and identities. Kept apart from the base so adding a
 * team plans a small change; it finds the cluster and its OIDC provider by name (applied after
 * `base`). Removing a team destroys its bucket only when it is empty (or `forceDestroyBuckets`).
 */
export class TeamsStack extends PlatformStack {
  constructor(scope: Construct, model: EnvironmentModel) {
    const env = model.config;
    super(scope, { env, stackName: 'teams' });
    awsProvider(this, env);

    const cluster = new DataAwsEksCluster(this, 'cluster', { name: env.cluster.name });
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new DataAwsIamOpenidConnectProvider(this, 'oidc-provider', { url: issuer });
    // A local keeps the IRSA condition keys readable (`${local.oidc_issuer_host}:sub`) in review.
    const oidcIssuerHost = new TerraformLocal(this, 'oidc_issuer_host', Fn.replace(issuer, 'https://', ''))
      .asString;

    const teams = model.teams.map(({ config: team, bucket: { name } }) => {
      const bucket = new SecureBucket(this, `team-${team.name}-bucket`, {
        name,
        forceDestroy: env.forceDestroyBuckets,
        expiringPrefixes: LOG_KEY_PREFIXES.map((prefix) => ({
          id: `expire-${prefix.replace(/\/$/, '')}`,
          prefix,
          days: env.logObjectExpirationDays,
        })),
      });
      const identity = new EmrTeamIdentity(this, `team-${team.name}`, {
        env,
        team,
        oidcProviderArn: oidc.arn,
        oidcIssuerHost,
      });
      return { team, bucket, identity };
    });
    new TerraformOutput(this, 'emr_on_eks', {
      description:
        'Per team: bucket, job execution role, artifact uploader role, input seeder role, log group',
      value: Object.fromEntries(
        teams.map(({ team, bucket, identity }) => [
          team.name,
          {
            bucket_name: bucket.bucket.bucket,
            job_execution_role_arn: identity.executionRole.arn,
            artifact_uploader_role_arn: identity.uploaderRole.arn,
            ...(identity.seederRole ? { input_seeder_role_arn: identity.seederRole.arn } : {}),
            cloudwatch_log_group_name: identity.logGroup.name,
          },
        ]),
      ),
    });
  }
}
