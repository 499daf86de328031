import { Construct } from 'constructs';
import { KubeRole, KubeRoleBinding, KubeServiceAccount } from '../imports/k8s';
import { JobRun } from '../imports/emrcontainers.services.k8s.aws';
import { LAUNCHER_SERVICE_ACCOUNT } from '../launcher/launcher-names';

/** Props for {@link JobLauncherAccess}. */
export interface JobLauncherAccessProps {
  readonly namespace: string;
}

/** What the launcher may do: JobRuns of its own namespace, and nothing else. */
export const LAUNCHER_VERBS = ['create', 'delete', 'get', 'list'] as const;

/**
 * The job launcher's identity in a team namespace: ServiceAccount, Role and RoleBinding
 * `job-launcher`. The Role allows create, list, get and delete of `jobruns` in the namespace and
 * nothing else (no update or patch, so it cannot change a run it did not make into another
 * job; no other resource). The launcher has no AWS identity: ACK submits the runs.
 */
export class JobLauncherAccess extends Construct {
  constructor(scope: Construct, id: string, props: JobLauncherAccessProps) {
    super(scope, id);
    const { namespace } = props;
    const name = LAUNCHER_SERVICE_ACCOUNT;
    new KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });
    new KubeRole(this, 'role', {
      metadata: { name, namespace },
      rules: [
        {
          apiGroups: [JobRun.GVK.apiVersion.split('/')[0] ?? ''],
          resources: ['jobruns'],
          verbs: [...LAUNCHER_VERBS],
        },
      ],
    });
    new KubeRoleBinding(this, 'role-binding', {
      metadata: { name, namespace },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { kind: 'Role', name, apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
}
