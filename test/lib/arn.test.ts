import { describe, expect, it } from 'vitest';
import { arn, awsManagedPolicyArn, iamArn, partitionOf, s3Arn } from '../../lib/arn';

describe('ARNs', () => {
  const scope = { region: 'eu-west-1', accountId: '123456789012' };

  it('derives the partition from the region', () => {
    expect(partitionOf('us-west-2')).toBe('aws');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-iso-east-1')).toBe('aws-iso');
  });

  it('spells regional, global, managed and S3 ARNs', () => {
    expect(arn(scope, 'eks', 'cluster/c')).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/c');
    expect(iamArn(scope, 'role/r')).toBe('arn:aws:iam::123456789012:role/r');
    expect(awsManagedPolicyArn(scope, 'AmazonEKSClusterPolicy')).toBe(
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    );
    expect(s3Arn(scope, 'bucket/key*')).toBe('arn:aws:s3:::bucket/key*');
    expect(iamArn({ region: 'us-gov-west-1', accountId: '123456789012' }, 'root')).toBe(
      'arn:aws-us-gov:iam::123456789012:root',
    );
  });
});
