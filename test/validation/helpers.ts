import { createHash } from 'node:crypto';
import { dump, load } from 'js-yaml';
import { loadPlatform } from '../../config/load';
import { seedPlatformInput } from '../fixtures';
import { renderPlatform } from '../../pipeline/render';
import type { Finding } from '../../validation/findings';
import { validationSets } from '../../validation/sources';
import { validateSet, type SourceDocument, type ValidationSet } from '../../validation/validate';
import { platformModel } from '../helpers/model';

type Json = Record<string, unknown>;
/** An arbitrary YAML tree the corpus edits in place. */
export type Tree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let rendered: ReadonlyMap<string, string> | undefined;

/** The default environment's rendered files (dist-relative path → content), rendered once. */
export function defaultFiles(): ReadonlyMap<string, string> {
  rendered ??= renderPlatform(platformModel(loadPlatform(seedPlatformInput()))).files;
  return rendered;
}

/** The default environment as one validation set. */
export function defaultSet(extra: readonly SourceDocument[] = []): ValidationSet {
  const set = validationSets(defaultFiles()).get('default');
  if (set === undefined) throw new Error('no default environment');
  return { ...set, documents: [...set.documents, ...extra] };
}

/** The file of the default set that ends with `suffix`. */
export function fileEnding(set: ValidationSet, suffix: string): string {
  const found = set.documents.find((d) => d.file.endsWith(suffix));
  if (found === undefined) throw new Error(`no document ending with ${suffix}`);
  return found.file;
}

/** `set` with the document of `file` replaced by a mutated deep copy. */
export function mutate(set: ValidationSet, file: string, change: (object: Tree) => void): ValidationSet {
  let hit = false;
  const documents = set.documents.map((d) => {
    if (d.file !== file) return d;
    hit = true;
    const copy = structuredClone(d.object) as Tree;
    change(copy);
    return { file: d.file, object: copy };
  });
  if (!hit) throw new Error(`no document ${file}`);
  return { ...set, documents };
}

/** Edits one embedded pod template of a ConfigMap (a YAML string under `data`). */
export function editTemplate(configMap: Tree, key: string, change: (pod: Tree) => void): void {
  const data = configMap.data as Record<string, string>;
  const pod = load(data[key] ?? '') as Tree;
  change(pod);
  data[key] = dump(pod);
}

export function findings(set: ValidationSet): Finding[] {
  return validateSet(set);
}

const BUCKET = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';

/**
 * The content-addressed S3 URI of one of team a's rendered artifacts (a pod template or a job
 * file): `s3://<team a's bucket>/artifacts/<sha256 of its ConfigMap entry>/<file>`.
 */
export function artifactUri(file: string): string {
  for (const { object } of defaultSet().documents) {
    const o = object as Json;
    const metadata = o.metadata as Json;
    const content = (o.data as Record<string, unknown> | undefined)?.[file];
    if (o.kind !== 'ConfigMap' || metadata.namespace !== 'emr-data-team-a' || typeof content !== 'string')
      continue;
    const hash = createHash('sha256').update(content, 'utf8').digest('hex');
    return `s3://${BUCKET}/artifacts/${hash}/${file}`;
  }
  throw new Error(`no artifact ${file}`);
}

/**
 * A valid JobRun for team a on the compute pool with NVMe (the corpus mutates it), hand-written:
 * in the JobRun wave, reading team a's uploaded artifacts, its job submitter on the core node
 * group and kept from Cluster Autoscaler; EMR's logging defaults apply (no
 * `emr-containers-defaults`).
 */
export function sampleJobRun(): Json {
  const bucket = BUCKET;
  return {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: {
      name: 'taxi-0123abcd',
      namespace: 'emr-data-team-a',
      annotations: { 'services.k8s.aws/deletion-policy': 'retain', 'argocd.argoproj.io/sync-wave': '10' },
    },
    spec: {
      name: 'taxi-0123abcd',
      virtualClusterRef: { from: { name: 'emr-eks-karpenter-emr-data-team-a' } },
      executionRoleARN: 'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a',
      releaseLabel: 'emr-7.12.0-latest',
      jobDriver: {
        sparkSubmitJobDriver: {
          entryPoint: artifactUri('taxi-trip.py'),
          entryPointArguments: [`s3://${bucket}/taxi/input/`, `s3://${bucket}/taxi/output/`],
          sparkSubmitParameters:
            '--conf spark.executor.instances=2 --conf spark.executor.memory=8g --conf spark.executor.cores=2 --conf spark.driver.memory=4g --conf spark.driver.cores=1',
        },
      },
      configurationOverrides: JSON.stringify({
        applicationConfiguration: [
          {
            classification: 'spark-defaults',
            properties: {
              'spark.kubernetes.driver.podTemplateFile': artifactUri(
                'spark-compute-optimized-nvme-driver.yaml',
              ),
              'spark.kubernetes.executor.podTemplateFile': artifactUri(
                'spark-compute-optimized-nvme-executor.yaml',
              ),
              'spark.local.dir': '/data1',
            },
          },
          {
            classification: 'emr-job-submitter',
            properties: {
              'jobsubmitter.node.selector.NodeGroupType': 'core',
              'jobsubmitter.annotation.cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
            },
          },
        ],
        monitoringConfiguration: {
          persistentAppUI: 'ENABLED',
          cloudWatchMonitoringConfiguration: {
            logGroupName: '/emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a',
            logStreamNamePrefix: 'taxi',
          },
          s3MonitoringConfiguration: { logUri: `s3://${bucket}/logs/` },
        },
      }),
    },
  };
}

export const SAMPLE_JOBRUN_FILE =
  'default/k8s/team-emr-data-team-a/emr-data-team-a/JobRun.taxi-0123abcd.yaml';

export const DRIVER_PVC_FILE =
  'default/k8s/team-emr-data-team-a/emr-data-team-a/PersistentVolumeClaim.spark-driver-pvc.yaml';

/** The fixed driver claim the team apps carried before per-pod claims, in its wave (6). */
export function legacyDriverClaim(wave = '6'): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: 'spark-driver-pvc',
      namespace: 'emr-data-team-a',
      annotations: { 'argocd.argoproj.io/sync-wave': wave },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'spark-ebs',
      resources: { requests: { storage: '50Gi' } },
    },
  };
}
