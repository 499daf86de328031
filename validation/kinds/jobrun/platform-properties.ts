import type { JobRunSpec } from '../../bindings/emrcontainers.services.k8s.aws';
import type { FindingSink } from '../../findings';
import { isObject, type Json } from '../../../lib/json';
import { shellWords } from '../../../lib/shell-words';

/**
 * The Spark properties of a rendered JobRun that only the platform may set (decision 18, docs/decisions.md),
 * checked on what Spark will read: every `spark-defaults` property of `configurationOverrides`
 * and every `--conf` of `sparkSubmitParameters`. The validator sees no config, so where the
 * platform itself sets a property it accepts the platform's shape only:
 *
 * - volumes: only the scratch volume `spark-local-dir-1`, as an on-demand claim or an emptyDir;
 * - images: only EMR on EKS's release images (ECR Public) or a private Amazon ECR registry (the
 *   config's `allowedSparkImages` holds nothing else);
 * - namespace, cluster and service accounts: never (EMR on EKS sets them);
 * - scheduling: no node selector, toleration, affinity or other scheduler; YuniKorn only with
 *   the team's own queue and its gang annotations;
 * - pod templates: only the platform's, content-addressed (`…/artifacts/<sha256>/<name>-<role>.yaml`).
 */

const RULE = 'jobrun.platform-property';
const SCRATCH_VOLUME = 'spark-local-dir-1';
const ROLE = String.raw`(driver|executor)`;

const VOLUME = new RegExp(String.raw`^spark\.kubernetes\.${ROLE}\.volumes\.([^.]+)\.([^.]+)\.(.+)$`, 'i');
const SCRATCH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  persistentVolumeClaim: [
    'options.claimName',
    'options.storageClass',
    'options.sizeLimit',
    'mount.path',
    'mount.readOnly',
  ],
  emptyDir: ['options.medium', 'options.sizeLimit', 'mount.path', 'mount.readOnly'],
};
const MOUNTS = new RegExp(
  String.raw`^spark\.kubernetes\.(?:${ROLE}\.(?:volumes|secrets|secretKeyRef)\.|hadoop\.configMapName$|kerberos\.)`,
  'i',
);
const IMAGE = new RegExp(String.raw`^spark\.kubernetes\.(?:${ROLE}\.)?container\.image$`, 'i');
const RELEASE_OR_PRIVATE_ECR =
  /^(?:public\.ecr\.aws\/emr-on-eks\/|\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/)/;
const PULL_SECRETS = new RegExp(
  String.raw`^spark\.kubernetes\.(?:${ROLE}\.)?container\.image\.pullSecrets$`,
  'i',
);
const WHERE_AND_WHO =
  /^(?:spark\.kubernetes\.namespace|spark\.master|spark\.kubernetes\.driver\.master|spark\.kubernetes\.context|spark\.submit\.deployMode|spark\.kubernetes\.authenticate\..*|.*serviceAccountName)$/i;
const SCHEDULER_NAME = /^spark\.kubernetes\.scheduler\.name$/i;
const SCHEDULING = new RegExp(
  String.raw`^spark\.kubernetes\.(?:(?:${ROLE}\.)?node\.selector\.|(?:${ROLE}\.)?scheduler\.|.*(?:toleration|affinity|priorityClass))`,
  'i',
);
const POD_META = new RegExp(String.raw`^spark\.kubernetes\.${ROLE}\.(annotation|label)\.(.+)$`, 'i');
const SCHEDULER_META =
  /^(?:yunikorn\.apache\.org\/|scheduling\.k8s\.io\/|scheduling\.x-k8s\.io\/|volcano\.sh\/|queue$|applicationId$)/i;
/** The YuniKorn annotations the platform renders for gang scheduling (the queue: below). */
const GANG_ANNOTATIONS = new Set([
  'yunikorn.apache.org/task-groups',
  'yunikorn.apache.org/task-group-name',
  'yunikorn.apache.org/schedulingPolicyParameters',
]);
const QUEUE_ANNOTATION = 'yunikorn.apache.org/queue';
const TEMPLATE = new RegExp(String.raw`^spark\.kubernetes\.${ROLE}\.podTemplateFile$`, 'i');
const TEMPLATE_OTHER = new RegExp(
  String.raw`^spark\.kubernetes\.${ROLE}\.(?:podTemplateContainerName|pod\.featureSteps|pod\.excludedFeatureSteps)$`,
  'i',
);

/**
 * Why the platform owns `key` with `value` in a JobRun of `namespace`, as a message, or
 * undefined when the property may be there.
 */
export function platformPropertyProblem(key: string, value: string, namespace: string): string | undefined {
  const volume = VOLUME.exec(key);
  if (volume !== null) return volumeProblem(key, volume[2] ?? '', volume[3] ?? '', volume[4] ?? '', value);
  if (MOUNTS.test(key))
    return `${key} mounts a Secret or ConfigMap into the pods: what pods mount is the platform's (its pod templates and scratch volume)`;
  if (IMAGE.test(key)) {
    if (RELEASE_OR_PRIVATE_ECR.test(value)) return undefined;
    return `${key} is "${value}", an image from neither EMR on EKS's release images (public.ecr.aws/emr-on-eks/) nor a private Amazon ECR registry: pods run only the platform's allowed images (allowedSparkImages)`;
  }
  if (PULL_SECRETS.test(key))
    return `${key} names a registry Secret: nodes pull the allowed images with their own role`;
  if (WHERE_AND_WHO.test(key))
    return `${key} decides where or as whom the job runs: EMR on EKS runs it in the virtual cluster's namespace as the execution role's service account`;
  if (SCHEDULER_NAME.test(key)) {
    if (value === 'yunikorn') return undefined;
    return `${key} is "${value}": the platform schedules Spark pods with the default scheduler or YuniKorn, nothing else`;
  }
  if (SCHEDULING.test(key))
    return `${key} places the pods: where they run is the node pool's (its pod template's selector and tolerations)`;
  const meta = POD_META.exec(key);
  if (meta !== null) return schedulingMetaProblem(key, meta[2] ?? '', meta[3] ?? '', value, namespace);
  const template = TEMPLATE.exec(key);
  if (template !== null) return templateProblem(key, template[1] ?? '', value);
  if (TEMPLATE_OTHER.test(key))
    return `${key} changes how Spark builds the pods: the platform's pod templates decide their shape`;
  return undefined;
}

function volumeProblem(
  key: string,
  type: string,
  name: string,
  field: string,
  value: string,
): string | undefined {
  const fields = SCRATCH_FIELDS[type];
  const scratch = name === SCRATCH_VOLUME && fields?.includes(field) === true;
  if (scratch && !(field === 'options.claimName' && value !== 'OnDemand')) return undefined;
  return `${key} mounts a ${type} volume: pods mount only the platform's scratch volume ${SCRATCH_VOLUME} (a claim made per pod, OnDemand, or an emptyDir)`;
}

function schedulingMetaProblem(
  key: string,
  kind: string,
  name: string,
  value: string,
  namespace: string,
): string | undefined {
  if (!SCHEDULER_META.test(name)) return undefined;
  if (kind.toLowerCase() === 'annotation' && GANG_ANNOTATIONS.has(name)) return undefined;
  if (kind.toLowerCase() === 'annotation' && name === QUEUE_ANNOTATION) {
    if (value === `root.${namespace}`) return undefined;
    return `${key} is "${value}": a team's pods go to its own queue, root.${namespace}`;
  }
  return `${key} steers the scheduler: where pods run is the node pool's and the team queue's`;
}

function templateProblem(key: string, role: string, value: string): string | undefined {
  const file = new RegExp(
    String.raw`^s3://[a-z0-9.-]+/artifacts/[0-9a-f]{64}/[A-Za-z0-9._-]+-${role}\.yaml$`,
  );
  if (file.test(value)) return undefined;
  return `${key} is "${value}", not one of the platform's content-addressed ${role} pod templates (s3://<team bucket>/artifacts/<sha256>/<pool>-<storage>-${role}.yaml)`;
}

/** Every Spark property a JobRun sets, where it sets it. */
interface Located {
  readonly key: string;
  readonly value: string;
  /** Where the property is: a path, or how to spell it (built only for a finding). */
  readonly path: string | (() => string);
}

/** The `spark-defaults` properties of parsed overrides, each at its path. */
function overridesProperties(overrides: Json): Located[] {
  const entry = (o: Json, key: string): unknown =>
    Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const list = entry(overrides, 'applicationConfiguration');
  if (!Array.isArray(list)) return [];
  return list.flatMap((configuration: unknown, i): Located[] => {
    if (!isObject(configuration) || entry(configuration, 'classification') !== 'spark-defaults') return [];
    const properties = entry(configuration, 'properties');
    if (!isObject(properties)) return [];
    return Object.entries(properties).flatMap(([key, value]) =>
      typeof value === 'string'
        ? [
            {
              key,
              value,
              path: () => `$.spec.configurationOverrides.applicationConfiguration[${i}].properties['${key}']`,
            },
          ]
        : [],
    );
  });
}

const SUBMIT_PATH = '$.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters';

/** The `--conf k=v` (and `--conf=k=v`, `-c k=v`) of spark-submit parameters. */
function submitProperties(parameters: string): Located[] {
  const words = shellWords(parameters);
  const found: Located[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const inline = /^--conf=(.*)$/.exec(word);
    const pair = inline !== null ? inline[1] : word === '--conf' || word === '-c' ? words[++i] : undefined;
    const eq = pair?.indexOf('=') ?? -1;
    if (pair !== undefined && eq > 0)
      found.push({ key: pair.slice(0, eq), value: pair.slice(eq + 1), path: SUBMIT_PATH });
  }
  return found;
}

/**
 * Reports each platform-owned Spark property of a JobRun (`overrides`: its parsed
 * configurationOverrides, when they parse), and a `--properties-file`, which could set any.
 */
export function checkPlatformProperties(
  sink: FindingSink,
  file: string,
  spec: JobRunSpec,
  namespace: string,
  overrides: Json | undefined,
): void {
  const parameters = spec.jobDriver?.sparkSubmitJobDriver?.sparkSubmitParameters ?? '';
  const located = [
    ...(overrides === undefined ? [] : overridesProperties(overrides)),
    ...submitProperties(parameters),
  ];
  for (const { key, value, path } of located) {
    const problem = platformPropertyProblem(key, value, namespace);
    if (problem !== undefined) sink.report(file, typeof path === 'string' ? path : path(), RULE, problem);
  }
  if (
    shellWords(parameters).some(
      (word) => word === '--properties-file' || word.startsWith('--properties-file='),
    )
  )
    sink.report(
      file,
      SUBMIT_PATH,
      RULE,
      '--properties-file can set any Spark property out of sight of these checks: set properties in configurationOverrides',
    );
}
