import { Construct } from 'constructs';
import {
  KubeLimitRange,
  KubeNamespace,
  KubeResourceQuota,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-27/lib/imports/k8s';
import {
  ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
  artifactUploaderRoleArn,
  teamNamespace,
  type Environment,
  type Team,
} from '../../config';
import { EMR_CONTAINERS_USER } from '../names';

/** Props for {@link EmrTeamNamespace}. */
export interface EmrTeamNamespaceProps {
  readonly env: Environment;
  readonly team: Team;
}

const EMR_VERBS = [
  'get',
  'list',
  'watch',
  'describe',
  'create',
  'edit',
  'delete',
  'annotate',
  'patch',
  'label',
];

/**
 * A team's namespace: the Namespace itself, the RBAC EMR on EKS documents for a virtual cluster's
 * namespace (Role and RoleBinding for user `emr-containers`), the artifact uploader's service
 * account (IRSA), and a ResourceQuota/LimitRange from the team budget.
 */
export class EmrTeamNamespace extends Construct {
  constructor(scope: Construct, id: string, props: EmrTeamNamespaceProps) {
    super(scope, id);
    const { env, team } = props;
    const namespace = teamNamespace(team);
    const labels = { 'emr-eks-gitops/team': team.name };

    new KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels } });

    new KubeRole(this, 'emr-role', {
      metadata: { name: EMR_CONTAINERS_USER, namespace },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
        {
          apiGroups: [''],
          resources: ['serviceaccounts', 'services', 'configmaps', 'events', 'pods', 'pods/log'],
          verbs: [...EMR_VERBS, 'deletecollection'],
        },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: [...EMR_VERBS, 'deletecollection'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'patch', 'delete', 'watch'] },
        { apiGroups: ['apps'], resources: ['statefulsets', 'deployments'], verbs: EMR_VERBS },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: EMR_VERBS },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: EMR_VERBS },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['roles', 'rolebindings'],
          verbs: [...EMR_VERBS, 'deletecollection'],
        },
      ],
    });
    new KubeRoleBinding(this, 'emr-role-binding', {
      metadata: { name: EMR_CONTAINERS_USER, namespace },
      subjects: [{ kind: 'User', name: EMR_CONTAINERS_USER, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: EMR_CONTAINERS_USER, apiGroup: 'rbac.authorization.k8s.io' },
    });

    new KubeServiceAccount(this, 'artifact-uploader', {
      metadata: {
        name: ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
        namespace,
        annotations: { 'eks.amazonaws.com/role-arn': artifactUploaderRoleArn(env, team) },
      },
    });

    const cpu = Quantity.fromString(String(team.budget.cpu));
    const memory = Quantity.fromString(`${team.budget.memoryGiB}Gi`);
    new KubeResourceQuota(this, 'quota', {
      metadata: { name: 'team-budget', namespace },
      spec: { hard: { 'requests.cpu': cpu, 'requests.memory': memory, 'limits.memory': memory } },
    });
    // Pods that declare nothing (helper pods, not Spark's) still fit under the quota.
    new KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults', namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('256Mi') },
            default: { memory: Quantity.fromString('512Mi') },
          },
        ],
      },
    });
  }
}
