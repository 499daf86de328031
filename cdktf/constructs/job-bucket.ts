import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { jobBucketName, teamPrefix, type Environment } from '../../config';
import { policyJson } from './iam-policy';

/** Props for {@link JobBucket}. */
export interface JobBucketProps {
  readonly env: Environment;
}

/**
 * The environment's bucket for job scripts, pod templates, logs and Spark event logs. Each team
 * owns `<team>/` (artifacts under `<team>/artifacts/<sha256>/`, logs under `<team>/logs/`, event
 * logs under `<team>/spark-event-logs/`). Encrypted, versioned, never public, TLS 1.2+ only.
 */
export class JobBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: JobBucketProps) {
    super(scope, id);
    const { env } = props;
    this.bucket = new S3Bucket(this, 'bucket', { bucket: jobBucketName(env) });
    const bucket = this.bucket.id;

    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyJson({
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'DenyOutdatedTLS',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
        ],
      }),
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        },
        ...env.teams.flatMap((team) =>
          ['logs/', 'spark-event-logs/'].map((folder) => ({
            id: `expire-${team.name}-${folder.replace('/', '')}`,
            status: 'Enabled',
            filter: [{ prefix: `${teamPrefix(team)}${folder}` }],
            expiration: [{ days: env.logObjectExpirationDays }],
          })),
        ),
      ],
    });
  }
}
