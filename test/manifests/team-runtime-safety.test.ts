import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Environment, Team } from '../../config/schema';
import { syncWave } from '../../argocd/sync-waves';
import type { SparkPodTemplate } from '../../manifests/constructs/spark-pod-template';
import {
  sparkPodTemplate,
  VOLUME_PERMISSIONS_RESOURCES,
} from '../../manifests/constructs/spark-pod-template';
import type { K8sObject } from '../../manifests/render';
import { baselineViolations } from '../../validation/kinds/pod/pod-security';
import type { Json } from '../../lib/json';
import { apps, fixturePlatform, get, objectsOf } from '../helpers/manifests';

/**
 * What a team app renders for the runtime: Pod Security labels and pods that pass `baseline`,
 * NVMe scratch as an emptyDir, self-healing Jobs, and a quota and LimitRange that leave the
 * containers EMR injects alone. On the test platform (dev: two teams, one NVMe pool), with one
 * team given input data so the seeding Job renders too.
 */

const dev = fixturePlatform().find((e) => e.name === 'dev');
if (dev === undefined) throw new Error('the fixture platform has no dev environment');

function withInputData(env: Environment): Environment {
  const [first, ...rest] = env.teams;
  if (first === undefined) throw new Error('no team');
  const team: Team = {
    ...first,
    inputData: [
      {
        name: 'sample',
        url: 'https://example.org/data/sample.parquet',
        sha256: 'a'.repeat(64),
        copies: 2,
        maxSizeMiB: 16,
        description: '',
      },
    ],
  };
  return { ...env, teams: [team, ...rest] };
}

const env = withInputData(dev);
const team = objectsOf(apps(env).get('team-emr-data-team-a'));
const jobs = [...team.values()].filter((o) => o.kind === 'Job');
const templates = new Map(
  Object.entries(get(team, 'ConfigMap/spark-pod-templates').data as Record<string, string>).map(
    ([file, text]) => [file, load(text) as SparkPodTemplate],
  ),
);

/** The pod template of a Job. */
const podOf = (job: K8sObject) => (job.spec as { template: { metadata?: Json; spec: Json } }).template;

describe('Pod Security of a team namespace', () => {
  it('enforces baseline and warns and audits on restricted, pinned to the cluster minor', () => {
    const labels = get(team, 'Namespace/emr-data-team-a').metadata.labels;
    expect(labels).toEqual({
      'emr-eks-gitops/team': 'emr-data-team-a',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': `v${env.cluster.version}`,
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': `v${env.cluster.version}`,
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': `v${env.cluster.version}`,
    });
    const older = { ...env, cluster: { ...env.cluster, version: '1.33' } };
    const pinned = get(objectsOf(apps(older).get('team-emr-data-team-a')), 'Namespace/emr-data-team-a');
    expect(pinned.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.33' });
  });

  it('renders the upload and input-seed Jobs and every Spark template within baseline', () => {
    expect(jobs.map((j) => j.metadata.name.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual([
      'seed-input-data',
      'upload-artifacts',
    ]);
    for (const job of jobs) {
      const pod = podOf(job);
      expect(baselineViolations(pod.metadata ?? {}, pod.spec), job.metadata.name).toEqual([]);
    }
    expect(templates.size).toBeGreaterThan(0);
    for (const [file, pod] of templates)
      expect(baselineViolations(pod.metadata as Json, pod.spec as unknown as Json), file).toEqual([]);
  });

  it('runs Spark containers as restricted asks: non-root uid 999, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    for (const [file, pod] of templates) {
      expect(pod.spec.securityContext?.seccompProfile, file).toEqual({ type: 'RuntimeDefault' });
      expect(pod.spec.containers[0]?.securityContext, file).toEqual({
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
    for (const job of jobs) {
      const spec = podOf(job).spec as { securityContext: Json; containers: { securityContext: Json }[] };
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.containers[0]?.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('keeps root only where Lustre needs it: a chown init container with the CHOWN capability alone', () => {
    const pool = env.nodePools[0];
    if (pool === undefined) throw new Error('no pool');
    const fsx = sparkPodTemplate({ pool, variant: 'fsx-static', role: 'executor' });
    expect(fsx.spec.initContainers?.[0]).toMatchObject({
      resources: VOLUME_PERMISSIONS_RESOURCES,
      securityContext: {
        runAsUser: 0,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['CHOWN'] },
      },
    });
    expect(baselineViolations(fsx.metadata, fsx.spec as unknown as Json)).toEqual([]);
  });
});

describe('NVMe scratch', () => {
  it('is an emptyDir of each pod at /data1 (kubelet storage is the RAID0 array), with no root init container', () => {
    for (const role of ['driver', 'executor']) {
      const nvme = templates.get(`spark-compute-nvme-${role}.yaml`);
      expect(nvme?.spec.volumes, role).toEqual([{ name: 'spark-local-dir-1', emptyDir: {} }]);
      expect(nvme?.spec.containers[0]?.volumeMounts, role).toEqual([
        { name: 'spark-local-dir-1', mountPath: '/data1' },
      ]);
      expect(nvme?.spec.initContainers, role).toBeUndefined();
      expect(JSON.stringify(nvme)).not.toContain('hostPath');
    }
  });
});

describe('the team Jobs recover from a failed run', () => {
  it('are Argo CD Sync hooks re-created by every sync, in their wave before the JobRuns, cleaned up after a week', () => {
    for (const job of jobs) {
      expect(job.metadata.annotations, job.metadata.name).toEqual({
        'argocd.argoproj.io/hook': 'Sync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      });
      expect((job.spec as { ttlSecondsAfterFinished: number }).ttlSecondsAfterFinished).toBe(7 * 24 * 3600);
      const jobRun: K8sObject = {
        apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
        kind: 'JobRun',
        metadata: { name: 'x', namespace: 'emr-data-team-a' },
      };
      expect(syncWave(job)).toBeLessThan(syncWave(jobRun));
      expect(syncWave(job)).toBeGreaterThan(syncWave(get(team, 'ConfigMap/spark-pod-templates')));
    }
  });
});

describe('quota and LimitRange of a team namespace', () => {
  it('counts requests only', () => {
    expect(Object.keys(get(team, 'ResourceQuota/team-budget').spec as object)).toEqual(['hard']);
    expect(
      Object.keys((get(team, 'ResourceQuota/team-budget').spec as { hard: object }).hard).sort(),
    ).toEqual(['requests.cpu', 'requests.memory']);
  });

  it('defaults requests but sets no default limit that could land below what EMR requests', () => {
    expect(get(team, 'LimitRange/container-defaults').spec).toEqual({
      limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' } }],
    });
  });
});
