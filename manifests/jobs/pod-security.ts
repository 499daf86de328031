import type { PodSecurityContext, SecurityContext } from '../imports/k8s';

/**
 * Pod Security `restricted` for the platform's own pods in team namespaces (the AWS CLI Jobs, the
 * job launcher, the Spark History Server): spelled once here so they cannot drift apart.
 */

/** A pod that runs as `user`:`group` (non-root) with the runtime's default seccomp profile. */
export function nonRootPodSecurity(
  user: number,
  group: number,
  extra: Partial<PodSecurityContext> = {},
): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    ...extra,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A container that may not escalate, holds no capability and cannot write its root filesystem. */
export const RESTRICTED_CONTAINER_SECURITY: SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};
