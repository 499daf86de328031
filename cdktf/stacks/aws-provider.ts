import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Environment } from '../../config';

/**
 * The AWS provider for an environment: pinned to its account (a wrong profile fails before any
 * change) and region, with the environment's tags on every resource.
 */
export function awsProvider(scope: Construct, env: Environment): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region: env.cluster.region,
    allowedAccountIds: [env.cluster.accountId],
    defaultTags: [
      {
        tags: {
          ...env.cluster.tags,
          'emr-eks-gitops/cluster': env.cluster.name,
          'emr-eks-gitops/environment': env.name,
        },
      },
    ],
  });
}
