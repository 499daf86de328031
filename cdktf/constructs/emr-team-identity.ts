import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  ARTIFACT_KEY_PREFIX,
  ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
  artifactUploaderRoleName,
  INPUT_KEY_PREFIX,
  INPUT_SEEDER_SERVICE_ACCOUNT,
  inputSeederRoleName,
  jobExecutionRoleName,
  teamBucketArn,
  teamBucketName,
  teamLogGroupName,
  teamNamespace,
  type Environment,
  type Team,
} from '../../config';
import { policyJson, type PolicyStatement } from './iam-policy';
import { arn } from '../../lib/arn';

/** Props for {@link EmrTeamIdentity}. */
export interface EmrTeamIdentityProps {
  readonly env: Environment;
  readonly team: Team;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** OIDC issuer host and path (no scheme): the prefix of the `:sub`/`:aud` condition keys. */
  readonly oidcIssuerHost: string;
}

/**
 * A data team's AWS identity: the EMR job execution role (assumable only by the EMR-created
 * service accounts in the team's namespace; S3 only in the team's own bucket, which it may list,
 * so a key that does not exist yet answers 404 as Spark expects; it may not rewrite the
 * content-addressed `artifacts/`; logs only to the team's log group), the team's log group, and
 * the artifact uploader role (write to `artifacts/` of the team bucket only), and for a team with
 * `inputData` the input seeder role (read and write `inputs/` only; it downloads from outside, so
 * it may touch nothing else).
 */
export class EmrTeamIdentity extends Construct {
  readonly executionRole: IamRole;
  readonly uploaderRole: IamRole;
  /** Only for a team with `inputData`. */
  readonly seederRole?: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EmrTeamIdentityProps) {
    super(scope, id);
    const { env, team } = props;
    const { accountId } = env.cluster;
    const namespace = teamNamespace(team);
    const bucketArn = teamBucketArn(env, team);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: teamLogGroupName(env, team),
      retentionInDays: team.logRetentionDays,
    });

    this.executionRole = new IamRole(this, 'execution-role', {
      name: jobExecutionRoleName(env, team),
      description: `EMR on EKS job execution role for ${team.name}`,
      assumeRolePolicy: this.irsaTrust(
        props,
        'StringLike',
        `system:serviceaccount:${namespace}:emr-containers-sa-*-*-${accountId}-*`,
      ),
    });
    new IamRolePolicy(this, 'execution-policy', {
      name: 'emr-job-execution',
      role: this.executionRole.name,
      policy: policyJson({
        Statement: [
          {
            // Unconditioned on purpose: S3 answers a HEAD of a missing key with 404 only to a
            // caller that may list the bucket (403 otherwise), and S3A/EMRFS probe missing keys
            // (output paths, parent "directories", _delta_log) on every job. The bucket is the
            // team's own, so listing shows no other team's key names.
            Sid: 'ListTeamBucket',
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:GetBucketLocation'],
            Resource: bucketArn,
          },
          {
            Sid: 'TeamObjects',
            Effect: 'Allow',
            Action: [
              's3:GetObject',
              's3:PutObject',
              's3:DeleteObject',
              's3:AbortMultipartUpload',
              's3:ListMultipartUploadParts',
            ],
            Resource: `${bucketArn}/*`,
          },
          {
            // Artifacts and seeded inputs are addressed by hashes; a job must not change them.
            Sid: 'DenyContentAddressedRewrites',
            Effect: 'Deny',
            Action: ['s3:PutObject', 's3:DeleteObject'],
            Resource: [`${bucketArn}/${ARTIFACT_KEY_PREFIX}*`, `${bucketArn}/${INPUT_KEY_PREFIX}*`],
          },
          {
            Sid: 'WriteTeamLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
          },
          {
            Sid: 'FindLogGroups',
            Effect: 'Allow',
            Action: 'logs:DescribeLogGroups',
            Resource: arn(env.cluster, 'logs', 'log-group:*'),
          },
        ],
      }),
    });

    this.uploaderRole = new IamRole(this, 'artifact-uploader-role', {
      name: artifactUploaderRoleName(env, team),
      description: `Uploads ${team.name}'s job artifacts to s3://${teamBucketName(env, team)}/${ARTIFACT_KEY_PREFIX}`,
      assumeRolePolicy: this.irsaTrust(
        props,
        'StringEquals',
        `system:serviceaccount:${namespace}:${ARTIFACT_UPLOADER_SERVICE_ACCOUNT}`,
      ),
    });
    new IamRolePolicy(this, 'artifact-uploader-policy', {
      name: 'artifact-upload',
      role: this.uploaderRole.name,
      policy: policyJson({
        Statement: [
          {
            Sid: 'WriteArtifacts',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: `${bucketArn}/${ARTIFACT_KEY_PREFIX}*`,
          },
        ],
      }),
    });
    if (team.inputData.length > 0) this.seederRole = this.seeder(props, bucketArn);
  }

  private seeder(props: EmrTeamIdentityProps, bucketArn: string): IamRole {
    const { env, team } = props;
    const role = new IamRole(this, 'input-seeder-role', {
      name: inputSeederRoleName(env, team),
      description: `Seeds ${team.name}'s input data into s3://${teamBucketName(env, team)}/${INPUT_KEY_PREFIX}`,
      assumeRolePolicy: this.irsaTrust(
        props,
        'StringEquals',
        `system:serviceaccount:${teamNamespace(team)}:${INPUT_SEEDER_SERVICE_ACCOUNT}`,
      ),
    });
    new IamRolePolicy(this, 'input-seeder-policy', {
      name: 'input-seed',
      role: role.name,
      policy: policyJson({
        Statement: [
          {
            Sid: 'WriteInputs',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
            Resource: `${bucketArn}/${INPUT_KEY_PREFIX}*`,
          },
        ],
      }),
    });
    return role;
  }

  private irsaTrust(
    props: EmrTeamIdentityProps,
    operator: 'StringEquals' | 'StringLike',
    subject: string,
  ): string {
    const host = props.oidcIssuerHost;
    const condition: PolicyStatement['Condition'] =
      operator === 'StringLike'
        ? { StringLike: { [`${host}:sub`]: subject }, StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' } }
        : { StringEquals: { [`${host}:sub`]: subject, [`${host}:aud`]: 'sts.amazonaws.com' } };
    return policyJson({
      Statement: [
        {
          Sid: 'AssumeByTeamServiceAccount',
          Effect: 'Allow',
          Principal: { Federated: props.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: condition,
        },
      ],
    });
  }
}
