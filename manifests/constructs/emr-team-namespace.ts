import { ServiceAccount } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  KubeLimitRange,
  KubeNamespace,
  KubeResourceQuota,
  KubeRole,
  KubeRoleBinding,
  Quantity,
} from '../imports/k8s';
import {
  ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
  artifactUploaderRoleArn,
  teamNamespace,
  type Environment,
  type Team,
} from '../../config';
import { IRSA_AUTOMOUNT_TOKEN } from '../jobs/aws-cli-pod';
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

/** The Pod Security level every team namespace enforces (decision 18, docs/decisions.md). */
export const TEAM_POD_SECURITY_ENFORCE = 'baseline';
/** The stricter level team namespaces warn and audit on, so drift toward it is visible. */
export const TEAM_POD_SECURITY_WARN = 'restricted';

/** Memory and CPU a container without a request asks for (job-runner, helper pods). */
export const CONTAINER_DEFAULT_REQUEST = { cpu: '100m', memory: '256Mi' } as const;

/**
 * The Pod Security Admission labels of a team namespace: `baseline` enforced, `restricted` on
 * warn and audit, each pinned to the cluster's Kubernetes minor so a control plane upgrade
 * never tightens or loosens the checks by itself.
 */
export function podSecurityLabels(env: Environment): Record<string, string> {
  const version = `v${env.cluster.version}`;
  const labels: Record<string, string> = {};
  for (const [mode, level] of [
    ['enforce', TEAM_POD_SECURITY_ENFORCE],
    ['warn', TEAM_POD_SECURITY_WARN],
    ['audit', TEAM_POD_SECURITY_WARN],
  ] as const) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return labels;
}

/**
 * A team's namespace: the Namespace itself (Pod Security `baseline` enforced, `restricted` warned
 * and audited), the RBAC EMR on EKS documents for a virtual cluster's namespace (Role and
 * RoleBinding for user `emr-containers`), the artifact uploader's service account (IRSA), and a
 * ResourceQuota/LimitRange from the team budget.
 */
export class EmrTeamNamespace extends Construct {
  constructor(scope: Construct, id: string, props: EmrTeamNamespaceProps) {
    super(scope, id);
    const { env, team } = props;
    const namespace = teamNamespace(team);
    const labels = { 'emr-eks-gitops/team': team.name, ...podSecurityLabels(env) };

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

    new ServiceAccount(this, 'artifact-uploader', {
      metadata: {
        name: ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
        namespace,
        annotations: { 'eks.amazonaws.com/role-arn': artifactUploaderRoleArn(env, team) },
      },
      automountToken: IRSA_AUTOMOUNT_TOKEN,
    });

    const cpu = Quantity.fromString(String(team.budget.cpu));
    const memory = Quantity.fromString(`${team.budget.memoryGiB}Gi`);
    // Requests only: a quota on limits.* would make every container state a limit, and the
    // containers EMR injects (job-runner, logging) state none, so each would get a guessed one.
    new KubeResourceQuota(this, 'quota', {
      metadata: { name: 'team-budget', namespace },
      spec: { hard: { 'requests.cpu': cpu, 'requests.memory': memory } },
    });
    // Containers that request nothing (EMR's job-runner, helper pods) still count against the
    // quota. No default limit: one would land on every container EMR injects without resources,
    // below what some of them request (the pod is rejected) or use (it is OOM-killed).
    new KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults', namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: Quantity.fromString(CONTAINER_DEFAULT_REQUEST.cpu),
              memory: Quantity.fromString(CONTAINER_DEFAULT_REQUEST.memory),
            },
          },
        ],
      },
    });
  }
}
