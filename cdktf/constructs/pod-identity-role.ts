import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Environment } from '../../config';
import { podIdentityTrust, policyJson, type PolicyStatement } from './iam-policy';

/** Props for {@link PodIdentityRole}. */
export interface PodIdentityRoleProps {
  readonly env: Environment;
  /** Name of the EKS cluster (a reference, so the association waits for the cluster). */
  readonly clusterName: string;
  /** IAM role name, from `config/naming.ts`. */
  readonly roleName: string;
  readonly description: string;
  /** Namespace and name of the one service account that may use the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Name of the inline policy. */
  readonly policyName: string;
  /** The role's permissions, least privilege. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * An add-on's AWS identity through EKS Pod Identity: a role only `pods.eks.amazonaws.com` may
 * assume, and only with the session tags of this account, cluster, namespace and service account
 * (so the role is useless to any other association), its inline policy, and the association.
 *
 * Helm releases depend on {@link association}: the Pod Identity webhook injects credentials into
 * pods created after the association exists.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const { cluster } = props.env;
    this.role = new IamRole(this, 'Resource', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: podIdentityTrust({
        accountId: cluster.accountId,
        clusterName: cluster.name,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
      }),
    });
    new IamRolePolicy(this, 'policy', {
      name: props.policyName,
      role: this.role.name,
      policy: policyJson({ Statement: props.statements }),
    });
    this.association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}
