import { awsManagedPolicyArn, iamArn, type ArnScope } from '../../lib/arn';
/** Typed IAM policy documents, serialized deterministically (no data sources, visible in review). */

export type Principal =
  | { readonly Service: string | readonly string[] }
  | { readonly Federated: string }
  | { readonly AWS: string | readonly string[] };

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Principal;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version?: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** JSON for an IAM policy argument; CDKTF tokens inside strings resolve to Terraform references. */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: document.Statement });
}

/** Trust policy for an AWS service principal. */
export function serviceTrust(service: string, actions: readonly string[] = ['sts:AssumeRole']): string {
  return policyJson({
    Statement: [
      { Sid: 'AssumeByService', Effect: 'Allow', Principal: { Service: service }, Action: actions },
    ],
  });
}

/** Who may assume a Pod Identity role: one service account of one namespace of one cluster. */
export interface PodIdentityScope {
  readonly accountId: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Trust policy for EKS Pod Identity. Besides the account, it checks the session tags EKS sets
 * from the association (cluster, namespace, service account), so the role is useless to any
 * other association, even one a cluster admin points at it by mistake.
 */
export function podIdentityTrust(scope: PodIdentityScope): string {
  return policyJson({
    Statement: [
      {
        Sid: 'AssumeByEksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': scope.accountId,
            'aws:RequestTag/eks-cluster-name': scope.clusterName,
            'aws:RequestTag/kubernetes-namespace': scope.namespace,
            'aws:RequestTag/kubernetes-service-account': scope.serviceAccount,
          },
        },
      },
    ],
  });
}

/**
 * Trust policy for IRSA: the cluster's OIDC provider, for one service account (`StringEquals`) or
 * a pattern of them (`StringLike`), with the STS audience. `issuerHost` is the issuer without
 * its scheme, the prefix of the `:sub` and `:aud` condition keys.
 */
export function irsaTrust(
  oidcProviderArn: string,
  issuerHost: string,
  operator: 'StringEquals' | 'StringLike',
  subject: string,
): string {
  const condition: PolicyStatement['Condition'] =
    operator === 'StringLike'
      ? {
          StringLike: { [`${issuerHost}:sub`]: subject },
          StringEquals: { [`${issuerHost}:aud`]: 'sts.amazonaws.com' },
        }
      : { StringEquals: { [`${issuerHost}:sub`]: subject, [`${issuerHost}:aud`]: 'sts.amazonaws.com' } };
  return policyJson({
    Statement: [
      {
        Sid: 'AssumeByTeamServiceAccount',
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  });
}

/** AWS managed policy ARN, in the cluster's partition. */
export function managedPolicy(scope: ArnScope, name: string): string {
  return awsManagedPolicyArn(scope, name);
}

/** The statement of a KMS key policy that leaves the key to the account's IAM (KMS's default). */
export function accountAdministersKey(scope: ArnScope): PolicyStatement {
  return {
    Sid: 'AccountAdministers',
    Effect: 'Allow',
    Principal: { AWS: iamArn(scope, 'root') },
    Action: 'kms:*',
    Resource: '*',
  };
}
