/**
 * ARNs, with the partition derived from the region: the one place an `arn:` is spelled. The
 * platform config accepts only regions of the commercial partition today (config/schema.ts says
 * why), so every ARN the project renders starts `arn:aws:`; building them here keeps that a fact
 * of one function rather than of every policy.
 */

/** The AWS partitions and how their regions are named. */
const PARTITIONS: readonly { readonly partition: string; readonly regions: RegExp }[] = [
  { partition: 'aws-us-gov', regions: /^us-gov-/ },
  { partition: 'aws-cn', regions: /^cn-/ },
  { partition: 'aws-iso', regions: /^us-iso-/ },
  { partition: 'aws-iso-b', regions: /^us-isob-/ },
  { partition: 'aws-eusc', regions: /^eusc-/ },
];

/** The partition a region belongs to: `aws` unless its name says otherwise. */
export function partitionOf(region: string): string {
  return PARTITIONS.find(({ regions }) => regions.test(region))?.partition ?? 'aws';
}

/** Where a resource lives: its region (for the partition) and account. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>`. Pass `region: ''` or `account: ''`
 * for services whose ARNs leave them empty (IAM and S3 do; `iamArn` and `s3Arn` say so).
 */
export function arn(
  scope: ArnScope,
  service: string,
  resource: string,
  parts: { readonly region?: string; readonly account?: string } = {},
): string {
  const region = parts.region ?? scope.region;
  const account = parts.account ?? scope.accountId;
  return `arn:${partitionOf(scope.region)}:${service}:${region}:${account}:${resource}`;
}

/** An IAM ARN (global: no region), e.g. `role/<name>` or `instance-profile/*`. */
export function iamArn(scope: ArnScope, resource: string): string {
  return arn(scope, 'iam', resource, { region: '' });
}

/** An AWS-managed IAM policy: `arn:<partition>:iam::aws:policy/<name>`. */
export function awsManagedPolicyArn(scope: ArnScope, name: string): string {
  return arn(scope, 'iam', `policy/${name}`, { region: '', account: 'aws' });
}

/** An S3 bucket or object ARN (no region, no account): `arn:<partition>:s3:::<bucket>[/<key>]`. */
export function s3Arn(scope: ArnScope, bucketAndKey: string): string {
  return arn(scope, 's3', bucketAndKey, { region: '', account: '' });
}
