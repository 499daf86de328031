import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { policyJson } from './iam-policy';

/** Objects under a key prefix that expire after some days. */
export interface ExpiringPrefix {
  /** Lifecycle rule id (unique in the bucket). */
  readonly id: string;
  readonly prefix: string;
  readonly days: number;
}

/** Props for {@link SecureBucket}. */
export interface SecureBucketProps {
  /** Bucket name (from `config/naming.ts`). */
  readonly name: string;
  /**
   * Let `terraform destroy` delete the bucket with every object version in it (`force_destroy`).
   * Off, a destroy stops at a bucket that still holds objects, so no config edit loses data.
   */
  readonly forceDestroy: boolean;
  /** Prefixes whose objects expire (logs). @default none */
  readonly expiringPrefixes?: readonly ExpiringPrefix[];
}

/** Days a replaced or deleted object version is kept before S3 removes it. */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * A private S3 bucket: owner-enforced (no ACLs), every kind of public access blocked, SSE-S3 at
 * rest, TLS 1.2+ only in transit, versioned (replaced and deleted objects kept
 * {@link NONCURRENT_VERSION_DAYS} days), incomplete multipart uploads aborted after 7 days, and
 * optional expiry of log prefixes.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.name, forceDestroy: props.forceDestroy });
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
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
        },
        ...(props.expiringPrefixes ?? []).map((rule) => ({
          id: rule.id,
          status: 'Enabled',
          filter: [{ prefix: rule.prefix }],
          expiration: [{ days: rule.days }],
        })),
      ],
    });
  }
}
