/**
 * The Spark properties a job's `sparkConf` may not set (decision 18, docs/decisions.md): the ones that would
 * let a job reach beyond its team's fence. A data engineer owns the application (SQL, shuffle,
 * serializers, jars, Delta or Iceberg settings, executor env, pod labels and annotations that
 * do not schedule, other than the team, job and run labels); the platform owns where the event
 * logs go, and where and as whom the pods run and what they mount.
 *
 * Keys are matched without regard to case: Spark ignores a key in the wrong case, but nothing
 * is gained by letting a near-miss through.
 */

/**
 * Where EMR on EKS publishes its release images for every region (ECR Public, EMR 6.9.0 and
 * later): the default allow-list of images a job may name. EMR itself picks the image of the
 * job's release label when the job names none, which is what the platform does today.
 */
export const EMR_ON_EKS_RELEASE_IMAGES = 'public.ecr.aws/emr-on-eks/spark/';

/**
 * An allowed image prefix: a repository path in Amazon ECR (private `<account>.dkr.ecr.<region>`
 * or ECR Public), ending in `/`, so a prefix never matches a sibling repository's name.
 */
export const IMAGE_PREFIX =
  /^(?:\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?|public\.ecr\.aws)\/(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)+$/;

interface PlatformProperty {
  readonly pattern: RegExp;
  /** Why the platform owns it: a clause that follows the key's value. */
  readonly reason: string;
}

const ROLE = String.raw`(?:driver|executor)\.`;
const POD_META = String.raw`spark\.kubernetes\.${ROLE}(?:annotation|label)\.`;

/** The refused keys: volumes, namespace and identity, scheduling, pod templates (images: below). */
const PLATFORM_PROPERTIES: readonly PlatformProperty[] = [
  {
    pattern: new RegExp(String.raw`^spark\.kubernetes\.${ROLE}(?:volumes|secrets|secretKeyRef)\.`, 'i'),
    reason:
      'the pods mount only what the platform gives them, since a hostPath, a claim or a Secret reaches past the job (choose scratch space with storage)',
  },
  {
    pattern: /^spark\.kubernetes\.(?:hadoop\.configMapName|kerberos\.)/i,
    reason:
      "it mounts a ConfigMap or a Secret of the namespace into the pods, and what pods mount is the platform's",
  },
  {
    pattern: new RegExp(String.raw`^spark\.kubernetes\.(?:${ROLE})?container\.image\.pullSecrets$`, 'i'),
    reason: 'nodes pull the allowed images with their own role, so a job names no registry Secret',
  },
  {
    pattern:
      /^(?:spark\.kubernetes\.namespace|spark\.master|spark\.kubernetes\.driver\.master|spark\.kubernetes\.context|spark\.submit\.deployMode)$/i,
    reason: "the job runs in its team's namespace, where its virtual cluster submits it",
  },
  {
    pattern: /^spark\.kubernetes\.authenticate\.|serviceAccountName$/i,
    reason: "EMR on EKS runs the pods as the service account of the job's execution role",
  },
  {
    pattern: new RegExp(
      String.raw`^spark\.kubernetes\.(?:(?:${ROLE})?node\.selector\.|(?:${ROLE})?scheduler\.)` +
        String.raw`|^${POD_META}(?:yunikorn\.apache\.org/|scheduling\.k8s\.io/|scheduling\.x-k8s\.io/|volcano\.sh/|queue$|applicationId$)` +
        String.raw`|^spark\.kubernetes\..*(?:toleration|affinity|priorityClass)`,
      'i',
    ),
    reason:
      "where pods run is decided by the node pool (its selector and tolerations) and the team's queue (choose them with nodePool and gangScheduling)",
  },
  {
    pattern: new RegExp(
      String.raw`^spark\.kubernetes\.${ROLE}(?:podTemplateFile|podTemplateContainerName|pod\.featureSteps|pod\.excludedFeatureSteps)$`,
      'i',
    ),
    reason:
      "the platform's pod templates carry the node pool, the scratch storage and the pods' security settings",
  },
  {
    pattern: /^spark\.(?:eventLog|history)\./i,
    reason:
      "every job writes rolling event logs to its team bucket's spark-event-logs/, which the team's Spark History Server reads",
  },
  {
    pattern: new RegExp(
      String.raw`^spark\.kubernetes\.${ROLE}label\.(?:team|job|run|app\.kubernetes\.io/.*)$`,
      'i',
    ),
    reason: 'the team, job and run labels are how cost reports and dashboards tell jobs apart',
  },
];

const IMAGE_KEY = new RegExp(String.raw`^spark\.kubernetes\.(?:${ROLE})?container\.image$`, 'i');

/**
 * The rule `key` (with `value`) breaks, as a clause that follows the value, or undefined when a
 * job may set it. An image is allowed when it starts with one of `allowedImages` (registry and
 * repository prefixes).
 */
export function platformPropertyRule(
  key: string,
  value: string,
  allowedImages: readonly string[],
): string | undefined {
  if (IMAGE_KEY.test(key)) {
    if (allowedImages.some((prefix) => value.startsWith(prefix))) return undefined;
    return `is an image outside the platform's allow-list (allowedSparkImages: ${allowedImages.join(', ') || 'none'}): use an image under one of those prefixes, or ask the platform team to allow your repository`;
  }
  const owned = PLATFORM_PROPERTIES.find(({ pattern }) => pattern.test(key));
  return owned === undefined
    ? undefined
    : `is the platform's to set: ${owned.reason}; remove it from sparkConf`;
}
