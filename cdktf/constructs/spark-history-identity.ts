import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { teamBucketArn, teamNamespace, type Environment, type Team } from '../../config';
import {
  SPARK_EVENT_LOG_PREFIX,
  SPARK_HISTORY_SERVER,
  sparkHistoryRoleName,
} from '../../config/observability';
import { irsaTrust, policyJson } from './iam-policy';

/** Props for {@link SparkHistoryIdentity}. */
export interface SparkHistoryIdentityProps {
  readonly env: Environment;
  readonly team: Team;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** OIDC issuer host and path (no scheme): the prefix of the `:sub`/`:aud` condition keys. */
  readonly oidcIssuerHost: string;
}

/**
 * The AWS identity of a team's Spark History Server (IRSA, like the team's other identities):
 * assumable only by the `spark-history-server` service account of the team's namespace; it may
 * read objects under `spark-event-logs/` of the team's bucket and list that prefix, nothing else
 * (no write, no other prefix, no other bucket).
 *
 * The listing is conditioned with `StringLikeIfExists` on `s3:prefix`: a list must ask for
 * `spark-event-logs/…`, while S3's check behind a HEAD of a missing key (which carries no prefix)
 * still passes, so S3A's probes of its own "directories" get 404 rather than 403 (docs/decisions.md,
 * one bucket per team).
 */
export class SparkHistoryIdentity extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SparkHistoryIdentityProps) {
    super(scope, id);
    const { env, team } = props;
    const bucketArn = teamBucketArn(env, team);
    this.role = new IamRole(this, 'role', {
      name: sparkHistoryRoleName(env, team),
      description: `${team.name}'s Spark History Server: reads ${SPARK_EVENT_LOG_PREFIX} of the team bucket`,
      assumeRolePolicy: irsaTrust(
        props.oidcProviderArn,
        props.oidcIssuerHost,
        'StringEquals',
        `system:serviceaccount:${teamNamespace(team)}:${SPARK_HISTORY_SERVER}`,
      ),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'read-spark-event-logs',
      role: this.role.name,
      policy: policyJson({
        Statement: [
          {
            Sid: 'ListEventLogs',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: bucketArn,
            Condition: {
              StringLikeIfExists: { 's3:prefix': [SPARK_EVENT_LOG_PREFIX, `${SPARK_EVENT_LOG_PREFIX}*`] },
            },
          },
          {
            Sid: 'ReadEventLogs',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: `${bucketArn}/${SPARK_EVENT_LOG_PREFIX}*`,
          },
        ],
      }),
    });
  }
}
