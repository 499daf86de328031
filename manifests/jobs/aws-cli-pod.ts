import { Quantity, type Container, type PodSecurityContext } from '../imports/k8s';
import { versions, type Environment } from '../../config';
import { nonRootPodSecurity, RESTRICTED_CONTAINER_SECURITY } from './pod-security';

/**
 * Whether the service accounts of the AWS CLI Jobs (IRSA) mount an API token: yes, Kubernetes'
 * own default, written out because cdk8s-plus-27's ServiceAccount defaults to no. The Jobs never
 * call the API server, but switching the token off changes what the pods get and has to be
 * proven with IRSA on a cluster first (docs/decisions.md, "Core Kubernetes bindings").
 */
export const IRSA_AUTOMOUNT_TOKEN = true;

/** A non-root uid/gid for the AWS CLI image (its default user is root). */
export const AWS_CLI_UID = 65532;

/** Props for {@link awsCliContainer}. */
export interface AwsCliContainerProps {
  readonly env: Environment;
  readonly name: string;
  /** The POSIX shell script the container runs. */
  readonly script: string;
  /** The bucket the script works in (`$BUCKET`). */
  readonly bucket: string;
  /** More environment variables, after the common ones. @default none */
  readonly extraEnv?: readonly { readonly name: string; readonly value: string }[];
  readonly cpu: string;
  /** Request and limit of memory (explicit, so the pod never depends on the namespace's LimitRange). */
  readonly memory: string;
  readonly volumeMounts: Container['volumeMounts'];
}

/** The pod security context of the AWS CLI Jobs: non-root, runtime-default seccomp. */
export function awsCliPodSecurity(extra: Partial<PodSecurityContext> = {}): PodSecurityContext {
  return nonRootPodSecurity(AWS_CLI_UID, AWS_CLI_UID, extra);
}

/**
 * A container of the pinned AWS CLI image for the team Jobs that talk to S3 (artifact upload,
 * input seeding): regional STS for IRSA, `$HOME` on the writable `/tmp` mount (the root
 * filesystem is read-only), no privilege escalation, every capability dropped.
 */
export function awsCliContainer(props: AwsCliContainerProps): Container {
  return {
    name: props.name,
    image: versions.awsCliImage,
    command: ['/bin/sh', '-c', props.script],
    env: [
      { name: 'BUCKET', value: props.bucket },
      ...(props.extraEnv ?? []),
      { name: 'AWS_REGION', value: props.env.cluster.region },
      { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
      // The CLI caches credentials under $HOME; the root filesystem is read-only.
      { name: 'HOME', value: '/tmp' },
    ],
    resources: {
      requests: { cpu: Quantity.fromString(props.cpu), memory: Quantity.fromString(props.memory) },
      limits: { memory: Quantity.fromString(props.memory) },
    },
    securityContext: RESTRICTED_CONTAINER_SECURITY,
    volumeMounts: props.volumeMounts,
  };
}
