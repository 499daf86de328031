import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { fluentBitLogGroupName, fluentBitRoleName, platformBucketName, type Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { charts } from '../../config/versions';
import { TOLERATE_ALL_TAINTS, pinnedRelease } from './helm-release';
import { PodIdentityRole } from './pod-identity-role';
import { s3Arn } from '../../lib/arn';

export const FLUENT_BIT_NAMESPACE = ADDONS.fluentBit.namespace;
export const FLUENT_BIT_SERVICE_ACCOUNT = 'aws-for-fluent-bit';
/** Key prefix of the platform logs in the platform bucket (no team can read it). */
export const FLUENT_BIT_S3_PREFIX = 'fluent-bit/';
/** Days CloudWatch keeps the platform logs (data-on-eks keeps 30). */
export const FLUENT_BIT_LOG_RETENTION_DAYS = 30;

/** Props for {@link HelmFluentBit}. */
export interface HelmFluentBitProps {
  readonly env: Environment;
  /** Name of the EKS cluster (from the `aws_eks_cluster` data source). */
  readonly clusterName: string;
  /** Namespaces whose container logs are shipped: the platform's, never the teams' (EMR ships those). */
  readonly namespaces: readonly string[];
}

/** The subset of the aws-for-fluent-bit chart's values this project sets. */
type FluentBitValues = {
  readonly serviceAccount: { readonly create: true; readonly name: string };
  readonly tolerations: typeof TOLERATE_ALL_TAINTS;
  readonly priorityClassName: string;
  readonly input: { readonly path: string };
  readonly cloudWatchLogs: {
    readonly enabled: true;
    readonly region: string;
    readonly logGroupName: string;
    /** `null` removes the chart's per-namespace group template (those groups do not exist). */
    readonly logGroupTemplate: null;
    readonly autoCreateGroup: false;
  };
  readonly s3: {
    readonly enabled: true;
    readonly region: string;
    readonly bucket: string;
    readonly s3KeyFormat: string;
    readonly compression: 'gzip';
  };
};

/**
 * AWS for Fluent Bit on every node (tainted Spark nodes included, to see their system pods),
 * shipping the platform namespaces' container logs to a CloudWatch log group and to the platform
 * bucket under `fluent-bit/`. Its role may write only there. Spark job logs are not collected
 * here: EMR ships them to each team's log group and bucket.
 */
export class HelmFluentBit extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: PodIdentityRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmFluentBitProps) {
    super(scope, id);
    const { env } = props;
    const { region } = env.cluster;
    const bucket = platformBucketName(env);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: fluentBitLogGroupName(env),
      retentionInDays: FLUENT_BIT_LOG_RETENTION_DAYS,
    });
    this.role = new PodIdentityRole(this, 'role', {
      env,
      clusterName: props.clusterName,
      roleName: fluentBitRoleName(env),
      description: 'Fluent Bit: platform pod logs to CloudWatch Logs and S3',
      namespace: FLUENT_BIT_NAMESPACE,
      serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
      policyName: 'fluent-bit',
      statements: [
        {
          Sid: 'WriteLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
        },
        {
          Sid: 'WriteLogObjects',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: s3Arn(env.cluster, `${bucket}/${FLUENT_BIT_S3_PREFIX}*`),
        },
      ],
    });
    const values: FluentBitValues = {
      serviceAccount: { create: true, name: FLUENT_BIT_SERVICE_ACCOUNT },
      tolerations: TOLERATE_ALL_TAINTS,
      priorityClassName: 'system-node-critical',
      input: {
        path: props.namespaces.map((namespace) => `/var/log/containers/*_${namespace}_*.log`).join(','),
      },
      cloudWatchLogs: {
        enabled: true,
        region,
        logGroupName: fluentBitLogGroupName(env),
        logGroupTemplate: null,
        autoCreateGroup: false,
      },
      s3: {
        enabled: true,
        region,
        bucket,
        s3KeyFormat: `/${FLUENT_BIT_S3_PREFIX}%Y/%m/%d/$TAG/%H-%M-%S-$UUID.gz`,
        compression: 'gzip',
      },
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.fluentBit,
      name: 'aws-for-fluent-bit',
      namespace: FLUENT_BIT_NAMESPACE,
      values,
      dependsOn: [this.role.association, this.logGroup],
    });
  }
}
