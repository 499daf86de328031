import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { parseYamlInput } from '../../lib/structured-input';
import { readJobFiles } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import { EMR_ON_EKS_RELEASE_IMAGES, platformPropertyRule } from '../../config/spark-properties';

const FIXTURE = join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'spark-properties-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repos = 0;

const FILE = 'jobs/emr-data-team-b/daily-report.yaml';
const ALLOWED = [EMR_ON_EKS_RELEASE_IMAGES];

/** The fixture platform (two environments; team b in dev), with `change` applied to dev. */
function fixture(change: (dev: Record<string, unknown>) => void = () => undefined): unknown {
  const platform = parseYamlInput(FIXTURE, readFileSync(FIXTURE, 'utf8'), 'config file').value as {
    environments: Record<string, unknown>[];
  };
  change(platform.environments[0] ?? {});
  return platform;
}

/** The problems of `platform` with one job file of team b that sets `sparkConf`, one line each. */
function problemsOf(
  sparkConf: Record<string, string>,
  platform: unknown = fixture(),
  extraLines: readonly string[] = [],
): string[] {
  const root = join(scratch, String(repos++));
  mkdirSync(join(root, 'jobs', 'emr-data-team-b'), { recursive: true });
  const lines = [
    'name: daily-report',
    'script: local:///usr/lib/spark/examples/src/main/python/pi.py',
    'nodePool: spark-compute',
    'storage: nvme',
    'sparkConf:',
    ...Object.entries(sparkConf).map(([key, value]) => `  ${key}: '${value}'`),
    ...extraLines,
    '',
  ];
  writeFileSync(join(root, FILE), lines.join('\n'));
  try {
    loadPlatform(platform, readJobFiles(root));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const VOLUMES =
  "is the platform's to set: the pods mount only what the platform gives them, since a hostPath, a claim or a Secret reaches past the job (choose scratch space with storage); remove it from sparkConf";
const NAMESPACE =
  "is the platform's to set: the job runs in its team's namespace, where its virtual cluster submits it; remove it from sparkConf";
const IDENTITY =
  "is the platform's to set: EMR on EKS runs the pods as the service account of the job's execution role; remove it from sparkConf";
const SCHEDULING =
  "is the platform's to set: where pods run is decided by the node pool (its selector and tolerations) and the team's queue (choose them with nodePool and gangScheduling); remove it from sparkConf";
const TEMPLATES =
  "is the platform's to set: the platform's pod templates carry the node pool, the scratch storage and the pods' security settings; remove it from sparkConf";
const IMAGE = `is an image outside the platform's allow-list (allowedSparkImages: ${EMR_ON_EKS_RELEASE_IMAGES}): use an image under one of those prefixes, or ask the platform team to allow your repository`;

describe("the Spark properties a job may not set (the platform's)", () => {
  it.each([
    ['spark.kubernetes.driver.volumes.hostPath.root.mount.path', '/', VOLUMES],
    ['spark.kubernetes.executor.volumes.hostPath.root.options.path', '/', VOLUMES],
    ['spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName', 'shared', VOLUMES],
    ['spark.kubernetes.driver.volumes.nfs.x.options.server', 'nfs.example.com', VOLUMES],
    ['spark.kubernetes.driver.secrets.db-password', '/etc/secrets', VOLUMES],
    ['spark.kubernetes.executor.secretKeyRef.TOKEN', 'token:key', VOLUMES],
    ['spark.kubernetes.container.image', 'docker.io/evil/spark:latest', IMAGE],
    ['spark.kubernetes.driver.container.image', 'public.ecr.aws/emr-on-eks/spark-evil/x:1', IMAGE],
    ['spark.kubernetes.executor.container.image', 'ghcr.io/x/public.ecr.aws/emr-on-eks/spark/y', IMAGE],
    ['spark.kubernetes.namespace', 'emr-data-team-a', NAMESPACE],
    ['spark.master', 'k8s://https://other-cluster', NAMESPACE],
    ['spark.kubernetes.authenticate.driver.serviceAccountName', 'argocd-server', IDENTITY],
    ['spark.kubernetes.authenticate.executor.serviceAccountName', 'default', IDENTITY],
    ['spark.kubernetes.authenticate.submission.oauthToken', 'x', IDENTITY],
    ['spark.kubernetes.node.selector.NodeGroupType', 'core', SCHEDULING],
    ['spark.kubernetes.driver.node.selector.kubernetes.io/hostname', 'ip-10-0-0-1', SCHEDULING],
    ['spark.kubernetes.executor.node.selector.karpenter.sh/capacity-type', 'on-demand', SCHEDULING],
    ['spark.kubernetes.executor.tolerations', 'spark-memory-optimized', SCHEDULING],
    ['spark.kubernetes.driver.affinity', '{}', SCHEDULING],
    ['spark.kubernetes.executor.scheduler.name', 'default-scheduler', SCHEDULING],
    ['spark.kubernetes.scheduler.volcano.podGroupTemplateFile', 's3://x/pg.yaml', SCHEDULING],
    ['spark.kubernetes.executor.annotation.yunikorn.apache.org/task-groups', '[]', SCHEDULING],
    ['spark.kubernetes.driver.label.queue', 'root.emr-data-team-a', SCHEDULING],
    ['spark.kubernetes.driver.label.applicationId', 'x', SCHEDULING],
    ['spark.kubernetes.driver.annotation.scheduling.k8s.io/group-name', 'x', SCHEDULING],
    ['spark.kubernetes.executor.podTemplateContainerName', 'sidecar', TEMPLATES],
    ['spark.kubernetes.driver.pod.featureSteps', 'com.example.Step', TEMPLATES],
    ['SPARK.KUBERNETES.NAMESPACE', 'emr-data-team-a', NAMESPACE],
  ])('refuses %s', (key, value, rule) => {
    expect(platformPropertyRule(key, value, ALLOWED)).toBe(rule);
  });

  it.each([
    ['spark.sql.shuffle.partitions', '64'],
    ['spark.serializer', 'org.apache.spark.serializer.KryoSerializer'],
    ['spark.jars', 'local:///usr/share/aws/delta/lib/delta-spark.jar'],
    ['spark.hadoop.fs.s3.maxRetries', '20'],
    ['spark.executorEnv.LOG_LEVEL', 'debug'],
    ['spark.kubernetes.driverEnv.LOG_LEVEL', 'debug'],
    ['spark.kubernetes.executor.request.cores', '500m'],
    ['spark.kubernetes.executor.podNamePrefix', 'daily'],
    ['spark.kubernetes.driver.label.cost-center', 'cc-42'],
    ['spark.kubernetes.driver.annotation.example.com/owner', 'data'],
    ['spark.kubernetes.driver.service.annotation.example.com/owner', 'data'],
    ['spark.kubernetes.container.image.pullPolicy', 'IfNotPresent'],
    ['spark.kubernetes.container.image', `${EMR_ON_EKS_RELEASE_IMAGES}emr-7.12.0:latest`],
    ['spark.kubernetes.executor.container.image', `${EMR_ON_EKS_RELEASE_IMAGES}emr-7.12.0-java17:latest`],
  ])('allows %s', (key, value) => {
    expect(platformPropertyRule(key, value, ALLOWED)).toBeUndefined();
  });

  it("are refused in a job file at the key's line and column, naming the key and the reason", () => {
    expect(
      problemsOf({
        'spark.sql.shuffle.partitions': '64',
        'spark.kubernetes.driver.volumes.hostPath.root.mount.path': '/',
        'spark.kubernetes.container.image': 'docker.io/evil/spark:latest',
      }),
    ).toEqual([
      `${FILE}:7:61: sparkConf["spark.kubernetes.driver.volumes.hostPath.root.mount.path"]: "/" ${VOLUMES} (job daily-report).`,
      `${FILE}:8:37: sparkConf["spark.kubernetes.container.image"]: "docker.io/evil/spark:latest" ${IMAGE} (job daily-report).`,
    ]);
  });

  it('allow the images of the environment allow-list, which must be ECR repository prefixes', () => {
    const own = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/spark/';
    const platform = fixture((dev) => {
      dev.allowedSparkImages = [own];
    });
    expect(problemsOf({ 'spark.kubernetes.container.image': `${own}etl:7.12.0` }, platform)).toEqual([]);
    expect(
      problemsOf(
        { 'spark.kubernetes.container.image': `${EMR_ON_EKS_RELEASE_IMAGES}emr-7.12.0:latest` },
        platform,
      ),
    ).toEqual([
      `${FILE}:6:37: sparkConf["spark.kubernetes.container.image"]: "${EMR_ON_EKS_RELEASE_IMAGES}emr-7.12.0:latest" is an image outside the platform's allow-list (allowedSparkImages: ${own}): use an image under one of those prefixes, or ask the platform team to allow your repository (job daily-report).`,
    ]);
    const docker = fixture((dev) => {
      dev.allowedSparkImages = ['docker.io/library/'];
    });
    expect(problemsOf({ 'spark.sql.shuffle.partitions': '64' }, docker)).toEqual([
      `Invalid config at environments[0].allowedSparkImages[0]: "docker.io/library/" must be an Amazon ECR repository prefix ending in '/', such as ${EMR_ON_EKS_RELEASE_IMAGES} or 111122223333.dkr.ecr.us-west-2.amazonaws.com/spark/.`,
    ]);
  });

  it('cannot be smuggled in as spark-submit flags: a job file has no sparkSubmitParameters', () => {
    const flags = "sparkSubmitParameters: '--conf spark.kubernetes.namespace=emr-data-team-a'";
    expect(problemsOf({ 'spark.sql.shuffle.partitions': '64' }, fixture(), [flags])).toEqual([
      `${FILE}:7:1: sparkSubmitParameters: "--conf spark.kubernetes.namespace=emr-data-team-a" is not a job field (known: name, description, script, arguments, files, rerun, schedule, after, retry, nodePool, storage, driver, executor, dynamicAllocation, sparkConf, releaseLabel, monitoring, gangScheduling, environments); see jobs/README.md.`,
    ]);
  });
});
