import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { ackEmrContainersRoleName, jobExecutionRoleArn, type Environment } from '../../config';
import { ADDONS } from '../../config/addons';
import { charts } from '../../config/versions';
import { ackEmrContainersPolicy } from './ack-emrcontainers-policy';
import { CORE_NODE_SELECTOR, pinnedRelease } from './helm-release';
import { PodIdentityRole } from './pod-identity-role';

/** Namespace of the ACK controllers (ACK's convention). */
export const ACK_NAMESPACE = ADDONS.ackEmrContainers.namespace;
export const ACK_EMRCONTAINERS_SERVICE_ACCOUNT = 'ack-emrcontainers-controller';

/** Props for {@link HelmAckEmrContainers}. */
export interface HelmAckEmrContainersProps {
  readonly env: Environment;
  /** Name of the EKS cluster (from the `aws_eks_cluster` data source). */
  readonly clusterName: string;
}

/** The subset of the emrcontainers chart's values this project sets. */
type AckValues = {
  readonly aws: { readonly region: string };
  readonly serviceAccount: { readonly create: true; readonly name: string };
  readonly deployment: { readonly nodeSelector: typeof CORE_NODE_SELECTOR };
  readonly enableCARM: boolean;
  /**
   * Off: the controller rejects a resource reference that crosses namespaces, so a team's JobRun
   * can name only the virtual cluster in its own namespace (the chart's default is on).
   */
  readonly enableCrossNamespace: false;
};

/**
 * The ACK EMR on EKS controller, which turns the `VirtualCluster` and `JobRun` objects Argo CD
 * syncs into EMR API calls, with its own least-privilege role through Pod Identity. The chart's
 * `crds/` folder installs the two CRDs. Cross-account resource management is off: every virtual
 * cluster lives in this environment's account. Cross-namespace references are off too, so a JobRun
 * in one team's namespace cannot run on another team's virtual cluster (the validator's
 * `cross.jobrun-virtual-cluster` rule checks the same in the rendered JobRuns).
 */
export class HelmAckEmrContainers extends Construct {
  readonly role: PodIdentityRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmAckEmrContainersProps) {
    super(scope, id);
    const { env } = props;
    this.role = new PodIdentityRole(this, 'role', {
      env,
      clusterName: props.clusterName,
      roleName: ackEmrContainersRoleName(env),
      description: 'ACK EMR on EKS controller: virtual clusters and job runs of the team namespaces',
      namespace: ACK_NAMESPACE,
      serviceAccount: ACK_EMRCONTAINERS_SERVICE_ACCOUNT,
      policyName: 'ack-emrcontainers-controller',
      statements: ackEmrContainersPolicy({
        clusterName: env.cluster.name,
        region: env.cluster.region,
        accountId: env.cluster.accountId,
        executionRoleArns: env.teams.map((team) => jobExecutionRoleArn(env, team)),
      }),
    });
    const values: AckValues = {
      aws: { region: env.cluster.region },
      serviceAccount: { create: true, name: ACK_EMRCONTAINERS_SERVICE_ACCOUNT },
      deployment: { nodeSelector: CORE_NODE_SELECTOR },
      enableCARM: false,
      enableCrossNamespace: false,
    };
    this.release = pinnedRelease(this, 'Resource', {
      chart: charts.ackEmrContainers,
      name: 'ack-emrcontainers-controller',
      namespace: ACK_NAMESPACE,
      values,
      dependsOn: [this.role.association],
    });
  }
}
