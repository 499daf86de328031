import type { Construct } from 'constructs';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsPrometheusWorkspace } from '@cdktf/provider-aws/lib/data-aws-prometheus-workspace';
import { DataAwsPrometheusWorkspaces } from '@cdktf/provider-aws/lib/data-aws-prometheus-workspaces';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Fn, TerraformOutput, Token } from '../framework';
import { ampWorkspaceAlias, type Environment } from '../../config';
import { fluentBitNamespaces } from '../../config/addons';
import { ARGOCD_NAMESPACE } from '../../argocd/types';
import { HelmAckEmrContainers } from '../constructs/helm-ack-emrcontainers';
import { ARGOCD_FULLNAME, HelmArgocd, rootApplicationPath } from '../constructs/helm-argocd';
import { HelmClusterAutoscaler } from '../constructs/helm-cluster-autoscaler';
import { HelmCorednsAutoscaler } from '../constructs/helm-coredns-autoscaler';
import { HelmFluentBit } from '../constructs/helm-fluent-bit';
import { HelmFsxCsiDriver } from '../constructs/helm-fsx-csi-driver';
import { HelmKarpenter } from '../constructs/helm-karpenter';
import { HelmKubePrometheusStack, type AmpWorkspace } from '../constructs/helm-kube-prometheus-stack';
import { HelmKubecost } from '../constructs/helm-kubecost';
import { HelmYunikorn } from '../constructs/helm-yunikorn';
import type { PodIdentityRole } from '../constructs/pod-identity-role';
import { awsProvider } from './aws-provider';
import { PlatformStack } from './platform-stack';

/** The client-authentication API `aws eks get-token` answers with (AWS CLI v2). */
export const EKS_TOKEN_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * Arguments of `aws eks get-token` for this cluster: the same credentials Terraform's AWS provider
 * uses (environment or profile), a token valid for 15 minutes, fetched again on each use.
 */
export function eksGetTokenArgs(env: Environment): string[] {
  return [
    'eks',
    'get-token',
    '--cluster-name',
    env.cluster.name,
    '--region',
    env.cluster.region,
    '--output',
    'json',
  ];
}

/**
 * The in-cluster controllers Terraform owns (decision 2, docs/decisions.md), installed with Helm in
 * dependency order, and Argo CD with the root Application that hands everything under
 * `dist/<env>/argocd/` to Argo CD. Applied after `base` and `teams`: it finds the cluster and the
 * AMP workspace by name. The Helm provider authenticates to the API server through an exec plugin
 * (`aws eks get-token`, no kubeconfig file), so it gets a fresh token whenever it needs one and a
 * long apply never outlives a token. Whoever applies needs an EKS access entry: the cluster
 * creator, or a principal in `cluster.addonsApplierArns`. Each add-on is installed only when its
 * toggle in `addons` is on.
 */
export class AddonsStack extends PlatformStack {
  constructor(scope: Construct, env: Environment) {
    super(scope, { env, stackName: 'addons' });
    awsProvider(this, env);
    const { addons } = env;

    const cluster = new DataAwsEksCluster(this, 'cluster', { name: env.cluster.name });
    // Provider 3.x: `kubernetes` (and its `exec`) are nested attribute objects, not blocks.
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
        exec: {
          apiVersion: EKS_TOKEN_API_VERSION,
          command: 'aws',
          args: eksGetTokenArgs(env),
        },
      },
    });

    const releases: Release[] = [];
    const roles: PodIdentityRole[] = [];
    const clusterName = cluster.name;

    if (addons.karpenter) {
      const karpenter = new HelmKarpenter(this, 'karpenter', { env, clusterEndpoint: cluster.endpoint });
      releases.push(karpenter.crds, karpenter.controller);
    }
    if (addons.ackEmrContainers) {
      const ack = new HelmAckEmrContainers(this, 'ack-emrcontainers', { env, clusterName });
      releases.push(ack.release);
      roles.push(ack.role);
    }
    if (addons.yunikorn) {
      releases.push(new HelmYunikorn(this, 'yunikorn', { env }).release);
    }
    if (addons.fsxCsiDriver) {
      const fsx = new HelmFsxCsiDriver(this, 'fsx-csi-driver', { env, clusterName });
      releases.push(fsx.release);
      roles.push(fsx.role);
    }
    if (addons.prometheus) {
      const amp = addons.amazonManagedPrometheus ? this.ampWorkspace(env) : undefined;
      const prometheus = new HelmKubePrometheusStack(this, 'kube-prometheus-stack', {
        env,
        clusterName,
        amp,
      });
      releases.push(prometheus.release);
      if (prometheus.role) roles.push(prometheus.role);
      if (addons.kubecost) {
        releases.push(new HelmKubecost(this, 'kubecost', { env, prometheus: prometheus.release }).release);
      }
    }
    if (addons.clusterAutoscaler) {
      const autoscaler = new HelmClusterAutoscaler(this, 'cluster-autoscaler', { env, clusterName });
      releases.push(autoscaler.release);
      roles.push(autoscaler.role);
    }
    if (addons.clusterProportionalAutoscaler) {
      releases.push(new HelmCorednsAutoscaler(this, 'coredns-autoscaler').release);
    }
    // Last among the node agents: it ships the logs of the namespaces of the add-ons above.
    let logGroupName: string | undefined;
    if (addons.fluentBit) {
      const fluentBit = new HelmFluentBit(this, 'fluent-bit', {
        env,
        clusterName,
        namespaces: fluentBitNamespaces(addons),
      });
      releases.push(fluentBit.release);
      roles.push(fluentBit.role);
      logGroupName = fluentBit.logGroup.name;
    }
    let argocd: HelmArgocd | undefined;
    if (addons.argocd) {
      argocd = new HelmArgocd(this, 'argocd', { env, rootDependsOn: [...releases] });
      releases.push(argocd.release, argocd.root);
    }

    new TerraformOutput(this, 'helm_releases', {
      description: 'Installed Helm releases: namespace/name = chart@version',
      value: Object.fromEntries(
        releases.map((release) => [
          `${release.namespaceInput ?? ''}/${release.nameInput ?? ''}`,
          `${release.chartInput ?? ''}@${release.versionInput ?? ''}`,
        ]),
      ),
    });
    new TerraformOutput(this, 'pod_identity_roles', {
      description: 'Add-on roles by namespace/service account (EKS Pod Identity)',
      value: Object.fromEntries(
        roles.map((role) => [
          `${role.association.namespaceInput ?? ''}/${role.association.serviceAccountInput ?? ''}`,
          role.role.arn,
        ]),
      ),
    });
    if (logGroupName) {
      new TerraformOutput(this, 'fluent_bit_log_group', {
        value: logGroupName,
        description: 'CloudWatch log group of the platform pods',
      });
    }
    if (argocd) {
      new TerraformOutput(this, 'argocd_root_application', {
        value: `${env.gitops.repoUrl} ${env.gitops.revision} ${rootApplicationPath(env)}`,
        description: 'What the root Application syncs: repository, revision, path',
      });
      new TerraformOutput(this, 'argocd_port_forward', {
        value: `kubectl -n ${ARGOCD_NAMESPACE} port-forward svc/${ARGOCD_FULLNAME}-server 8080:443`,
        description: 'Reach the Argo CD UI and API (not exposed outside the cluster)',
      });
    }
  }

  /**
   * The workspace `base` created, found by its alias: `index()` fails the plan with a clear
   * error when no workspace has exactly that alias (the prefix filter alone could match others).
   */
  private ampWorkspace(env: Environment): AmpWorkspace {
    const alias = ampWorkspaceAlias(env);
    const candidates = new DataAwsPrometheusWorkspaces(this, 'amp-workspaces', { aliasPrefix: alias });
    const workspace = new DataAwsPrometheusWorkspace(this, 'amp-workspace', {
      workspaceId: Token.asString(
        Fn.element(candidates.workspaceIds, Token.asNumber(Fn.index(candidates.aliases, alias))),
      ),
    });
    return { arn: workspace.arn, remoteWriteUrl: `${workspace.prometheusEndpoint}api/v1/remote_write` };
  }
}
