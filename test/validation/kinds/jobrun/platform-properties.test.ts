import { describe, expect, it } from 'vitest';
import { validateSet } from '../../../../validation/validate';

/**
 * The validator's second line behind the job rules: a rendered JobRun must not set the Spark
 * properties the platform owns, whether in `configurationOverrides` or in `sparkSubmitParameters`.
 * Each case edits one hand-written JobRun of team a (nothing here reads the live config); the
 * near-misses are what the platform itself renders, and must pass.
 */

type SparkDefaults = Record<string, string>;

const NAMESPACE = 'emr-data-team-a';
const BUCKET = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const FILE = `default/k8s/team-${NAMESPACE}/${NAMESPACE}/JobRun.taxi-0123abcd.yaml`;
const RULE = 'jobrun.platform-property';

const template = (role: 'driver' | 'executor', hash = 'a'): string =>
  `s3://${BUCKET}/artifacts/${hash.repeat(64)}/spark-compute-optimized-ebs-${role}.yaml`;

/** What the platform renders for an EBS job with gang scheduling (the near-miss baseline). */
const PLATFORM: SparkDefaults = {
  'spark.kubernetes.driver.podTemplateFile': template('driver'),
  'spark.kubernetes.executor.podTemplateFile': template('executor', 'b'),
  'spark.local.dir': '/data1',
  'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName': 'OnDemand',
  'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.storageClass': 'spark-ebs',
  'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.sizeLimit': '50Gi',
  'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.mount.path': '/data1',
  'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.mount.readOnly': 'false',
  'spark.kubernetes.scheduler.name': 'yunikorn',
  'spark.kubernetes.driver.annotation.yunikorn.apache.org/queue': `root.${NAMESPACE}`,
  'spark.kubernetes.executor.annotation.yunikorn.apache.org/queue': `root.${NAMESPACE}`,
  'spark.kubernetes.driver.annotation.yunikorn.apache.org/task-groups': '[]',
  'spark.kubernetes.driver.annotation.yunikorn.apache.org/task-group-name': 'spark-driver',
  'spark.kubernetes.driver.annotation.yunikorn.apache.org/schedulingPolicyParameters':
    'gangSchedulingStyle=Soft',
  'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
  'spark.kubernetes.driver.service.annotation.prometheus.io/port': '4040',
  'spark.sql.shuffle.partitions': '64',
};

function jobRun(sparkDefaults: SparkDefaults, sparkSubmitParameters?: string): Record<string, unknown> {
  return {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: {
      name: 'taxi-0123abcd',
      namespace: NAMESPACE,
      annotations: { 'services.k8s.aws/deletion-policy': 'retain', 'argocd.argoproj.io/sync-wave': '10' },
    },
    spec: {
      name: 'taxi-0123abcd',
      virtualClusterRef: { from: { name: `emr-eks-karpenter-${NAMESPACE}` } },
      executionRoleARN: `arn:aws:iam::111122223333:role/emr-eks-karpenter-${NAMESPACE}`,
      releaseLabel: 'emr-7.12.0-latest',
      jobDriver: {
        sparkSubmitJobDriver: {
          entryPoint: `s3://${BUCKET}/artifacts/${'c'.repeat(64)}/taxi-trip.py`,
          ...(sparkSubmitParameters === undefined ? {} : { sparkSubmitParameters }),
        },
      },
      configurationOverrides: JSON.stringify({
        applicationConfiguration: [{ classification: 'spark-defaults', properties: sparkDefaults }],
        monitoringConfiguration: { persistentAppUI: 'ENABLED' },
      }),
    },
  };
}

/** The findings of this rule for one JobRun, as `path: message`. */
function platformFindings(object: Record<string, unknown>): string[] {
  return validateSet({ documents: [{ file: FILE, object }] })
    .filter((finding) => finding.rule === RULE)
    .map((finding) => `${finding.path}: ${finding.message}`);
}

const at = (key: string) => `$.spec.configurationOverrides.applicationConfiguration[0].properties['${key}']`;
const SUBMIT = '$.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters';

/** Must-catch: one property (or spark-submit flag) each, and the start of the finding. */
const corpus: [name: string, run: Record<string, unknown>, finding: string][] = [
  [
    'a hostPath volume of the whole node',
    jobRun({ ...PLATFORM, 'spark.kubernetes.driver.volumes.hostPath.root.options.path': '/' }),
    `${at('spark.kubernetes.driver.volumes.hostPath.root.options.path')}: spark.kubernetes.driver.volumes.hostPath.root.options.path mounts a hostPath volume`,
  ],
  [
    "a named claim instead of the scratch volume's OnDemand",
    jobRun({
      ...PLATFORM,
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName':
        'other-team-data',
    }),
    `${at('spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName')}: spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName mounts a persistentVolumeClaim volume`,
  ],
  [
    'a second volume beside the scratch volume',
    jobRun({ ...PLATFORM, 'spark.kubernetes.executor.volumes.emptyDir.cache.mount.path': '/cache' }),
    `${at('spark.kubernetes.executor.volumes.emptyDir.cache.mount.path')}: spark.kubernetes.executor.volumes.emptyDir.cache.mount.path mounts a emptyDir volume`,
  ],
  [
    'a Secret mounted into the driver',
    jobRun({ ...PLATFORM, 'spark.kubernetes.driver.secrets.argocd-secret': '/etc/argocd' }),
    `${at('spark.kubernetes.driver.secrets.argocd-secret')}: spark.kubernetes.driver.secrets.argocd-secret mounts a Secret or ConfigMap`,
  ],
  [
    'an image from Docker Hub',
    jobRun({ ...PLATFORM, 'spark.kubernetes.container.image': 'docker.io/evil/spark:latest' }),
    `${at('spark.kubernetes.container.image')}: spark.kubernetes.container.image is "docker.io/evil/spark:latest", an image from neither`,
  ],
  [
    'an image smuggled in through sparkSubmitParameters',
    jobRun(
      PLATFORM,
      '--conf spark.executor.memory=4g --conf spark.kubernetes.executor.container.image=ghcr.io/x/y:1',
    ),
    `${SUBMIT}: spark.kubernetes.executor.container.image is "ghcr.io/x/y:1", an image from neither`,
  ],
  [
    "another team's namespace, as --conf=k=v",
    jobRun(PLATFORM, '--conf=spark.kubernetes.namespace=emr-data-team-b'),
    `${SUBMIT}: spark.kubernetes.namespace decides where or as whom the job runs`,
  ],
  [
    "Argo CD's service account, as -c k=v",
    jobRun(PLATFORM, "-c 'spark.kubernetes.authenticate.driver.serviceAccountName=argocd-server'"),
    `${SUBMIT}: spark.kubernetes.authenticate.driver.serviceAccountName decides where or as whom the job runs`,
  ],
  [
    'a node selector for the core node group',
    jobRun({ ...PLATFORM, 'spark.kubernetes.node.selector.NodeGroupType': 'core' }),
    `${at('spark.kubernetes.node.selector.NodeGroupType')}: spark.kubernetes.node.selector.NodeGroupType places the pods`,
  ],
  [
    'another scheduler',
    jobRun({ ...PLATFORM, 'spark.kubernetes.scheduler.name': 'volcano' }),
    `${at('spark.kubernetes.scheduler.name')}: spark.kubernetes.scheduler.name is "volcano"`,
  ],
  [
    "another team's YuniKorn queue",
    jobRun({
      ...PLATFORM,
      'spark.kubernetes.executor.annotation.yunikorn.apache.org/queue': 'root.emr-data-team-b',
    }),
    `${at('spark.kubernetes.executor.annotation.yunikorn.apache.org/queue')}: spark.kubernetes.executor.annotation.yunikorn.apache.org/queue is "root.emr-data-team-b": a team's pods go to its own queue, root.${NAMESPACE}`,
  ],
  [
    'a queue label YuniKorn reads',
    jobRun({ ...PLATFORM, 'spark.kubernetes.driver.label.queue': 'root.emr-data-team-b' }),
    `${at('spark.kubernetes.driver.label.queue')}: spark.kubernetes.driver.label.queue steers the scheduler`,
  ],
  [
    "a pod template from the job's own files",
    jobRun({
      ...PLATFORM,
      'spark.kubernetes.driver.podTemplateFile': `s3://${BUCKET}/artifacts/${'d'.repeat(64)}/privileged.yml`,
    }),
    `${at('spark.kubernetes.driver.podTemplateFile')}: spark.kubernetes.driver.podTemplateFile is "s3://${BUCKET}/artifacts/${'d'.repeat(64)}/privileged.yml", not one of the platform's`,
  ],
  [
    "the executor's template for the driver",
    jobRun({ ...PLATFORM, 'spark.kubernetes.driver.podTemplateFile': template('executor') }),
    `${at('spark.kubernetes.driver.podTemplateFile')}: spark.kubernetes.driver.podTemplateFile is "${template('executor')}", not one of the platform's`,
  ],
  [
    'another container of the template as the Spark container',
    jobRun({ ...PLATFORM, 'spark.kubernetes.executor.podTemplateContainerName': 'init' }),
    `${at('spark.kubernetes.executor.podTemplateContainerName')}: spark.kubernetes.executor.podTemplateContainerName changes how Spark builds the pods`,
  ],
  [
    'a properties file, which could set anything',
    jobRun(PLATFORM, '--properties-file /tmp/spark.conf'),
    `${SUBMIT}: --properties-file can set any Spark property out of sight of these checks`,
  ],
];

describe('the JobRun rule jobrun.platform-property', () => {
  it.each(corpus)('catches %s', (_name, run, finding) => {
    const found = platformFindings(run);
    expect(found, JSON.stringify(found, null, 2)).toHaveLength(1);
    expect(found[0]).toContain(finding);
  });

  it.each([
    ['what the platform renders (templates, EBS scratch claim, YuniKorn gang, Prometheus)', jobRun(PLATFORM)],
    [
      'the scratch volume as an emptyDir',
      jobRun({
        ...PLATFORM,
        'spark.kubernetes.executor.volumes.emptyDir.spark-local-dir-1.mount.path': '/data1',
        'spark.kubernetes.executor.volumes.emptyDir.spark-local-dir-1.options.sizeLimit': '100Gi',
      }),
    ],
    [
      "EMR on EKS's release image and a private ECR image",
      jobRun({
        ...PLATFORM,
        'spark.kubernetes.driver.container.image': 'public.ecr.aws/emr-on-eks/spark/emr-7.12.0:latest',
        'spark.kubernetes.executor.container.image':
          '111122223333.dkr.ecr.us-west-2.amazonaws.com/spark/etl:1',
      }),
    ],
    [
      "a data engineer's own labels, annotations and settings, also as spark-submit flags",
      jobRun(
        {
          ...PLATFORM,
          'spark.kubernetes.driver.label.cost-center': 'cc-42',
          'spark.kubernetes.executor.annotation.example.com/owner': 'data',
          'spark.kubernetes.executor.request.cores': '500m',
        },
        '--conf spark.executor.memory=4g --conf spark.sql.adaptive.enabled=true --driver-cores 1',
      ),
    ],
  ])('passes %s', (_name, run) => {
    expect(platformFindings(run)).toEqual([]);
  });
});
