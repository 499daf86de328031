import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versions } from '../../config/versions';
import { SEED_ROOT } from '../fixtures';
import type { K8sObject } from '../../manifests/render';
import { get } from '../helpers/manifests';
import { policy, resource, synthStacks } from '../helpers/terraform';
import { jobRuns, loaded, platformWith, specOf, teamObjects } from './helpers';

const env = loaded();
const objects = teamObjects(env);
const bucket = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface JobJson {
  spec: {
    backoffLimit: number;
    ttlSecondsAfterFinished?: number;
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: Record<string, unknown>;
        containers: {
          image: string;
          command: string[];
          resources: Record<string, unknown>;
          securityContext: Record<string, unknown>;
        }[];
        volumes: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

function uploadJob(from: Map<string, K8sObject>): K8sObject & JobJson {
  // The team may also have its input-seeding Job; this one is the upload.
  const jobs = [...from.values()].filter(
    (o) => o.kind === 'Job' && o.metadata.name.startsWith('upload-artifacts-'),
  );
  expect(jobs).toHaveLength(1);
  return jobs[0] as K8sObject & JobJson;
}

/** `[configMap, file, sha256, key]` of every `upload` line of the Job's script. */
function uploads(job: JobJson): [string, string, string, string][] {
  const script = job.spec.template.spec.containers[0]?.command[2] ?? '';
  return [...script.matchAll(/^upload '\/artifacts\/([^/]+)\/([^']+)' ([0-9a-f]{64}) '([^']+)'$/gm)].map(
    (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4] ?? ''],
  );
}

/**
 * Every entry of the team app's artifact ConfigMaps: `<configMap>/<file>` → content. The job
 * launcher's ConfigMaps (its script and config, the JobRun templates) are read in the cluster,
 * not shipped to S3.
 */
function configMapFiles(from: Map<string, K8sObject>): Map<string, string> {
  return new Map(
    [...from.values()]
      .filter((o) => o.kind === 'ConfigMap' && !/^(job-launcher|jobrun)-/.test(o.metadata.name))
      .flatMap((o) =>
        Object.entries(o.data as Record<string, string>).map(([file, text]) => [
          `${o.metadata.name}/${file}`,
          text,
        ]),
      ),
  );
}

describe('job artifacts', () => {
  const files = configMapFiles(objects);
  const job = uploadJob(objects);

  it('every S3 URI a JobRun references is a rendered file with that content hash', () => {
    const contents = new Map(
      [...files].map(([path, text]) => [`${sha256(text)}/${path.split('/')[1]}`, text]),
    );
    let checked = 0;
    for (const run of jobRuns(objects).values()) {
      const text = JSON.stringify(specOf(run));
      const uris = [...text.matchAll(/s3:\/\/([a-z0-9.-]+)\/artifacts\/([0-9a-f]{64}\/[A-Za-z0-9._-]+)/g)];
      expect(uris.length, run.metadata.name).toBeGreaterThanOrEqual(2);
      for (const [uri, uriBucket, address] of uris) {
        expect(uriBucket).toBe(bucket);
        expect(contents.has(address ?? ''), uri).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(16);
  });

  it('ships the job files in their own ConfigMap, byte for byte', () => {
    expect([...files.keys()].filter((k) => k.startsWith('spark-job-files/')).sort()).toEqual([
      'spark-job-files/delta-create.py',
      'spark-job-files/delta-merge.py',
      'spark-job-files/employees-initial.csv',
      'spark-job-files/employees-updates.csv',
      'spark-job-files/taxi-trip.py',
    ]);
    expect(files.get('spark-job-files/taxi-trip.py')).toBe(
      readFileSync(join(SEED_ROOT, 'jobs', 'emr-data-team-a', 'taxi-trip.py'), 'utf8'),
    );
  });

  it('uploads every artifact once, under artifacts/<sha256 of its bytes>/<file> of the team bucket', () => {
    const lines = uploads(job);
    expect(lines.map(([configMap, file]) => `${configMap}/${file}`).sort()).toEqual([...files.keys()].sort());
    for (const [configMap, file, hash, key] of lines) {
      expect(hash).toBe(sha256(files.get(`${configMap}/${file}`) ?? ''));
      expect(key).toBe(`artifacts/${hash}/${file}`);
    }
  });

  it('copies a file only when its key is absent, after checking the mounted bytes', () => {
    const script = job.spec.template.spec.containers[0]?.command[2] ?? '';
    expect(script).toContain('sha256sum --check');
    expect(script).toMatch(/if aws s3api head-object [^\n]+; then\n\s+echo "present/);
    expect(script).toContain('aws s3 cp');
  });

  it('is named after a hash of its spec: same content, same Job; new content, new Job', () => {
    expect(job.metadata.name).toMatch(/^upload-artifacts-[0-9a-f]{8}$/);
    expect(uploadJob(teamObjects(loaded())).metadata.name).toBe(job.metadata.name);
    const changedJob = uploadJob(
      teamObjects(loaded(platformWith((d) => void (d.nodePools[0]!.driverOnDemand = false)))),
    );
    expect(changedJob.metadata.name).not.toBe(job.metadata.name);
    // A change that touches no artifact keeps the Job.
    const sameJob = uploadJob(
      teamObjects(loaded(platformWith((d) => void (d.teams[0]!.jobs![0]!.rerun = 3)))),
    );
    expect(sameJob.metadata.name).toBe(job.metadata.name);
  });

  it('runs as the team uploader with a pinned AWS CLI, locked down, as a Sync hook kept a week', () => {
    const pod = job.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.serviceAccountName).toBe('emr-artifact-uploader');
    expect(container?.image).toBe(versions.awsCliImage);
    expect(versions.awsCliImage).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:\d+\.\d+\.\d+$/);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container?.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { memory: '256Mi' },
    });
    expect(job.spec.backoffLimit).toBe(3);
    // A Sync hook: re-created by every sync, so a failed run never blocks the team's syncs.
    expect(job.spec.ttlSecondsAfterFinished).toBe(7 * 24 * 3600);
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
  });

  it('writes only where the uploader role may write, as the service account its role trusts', () => {
    const teams = synthStacks(env).teams;
    if (!teams) throw new Error('no teams stack');
    const statements = policy(
      resource(teams, 'aws_iam_role_policy', 'team-emr-data-team-a_artifact-uploader-policy').policy,
    ).Statement;
    expect(statements.find((s) => s.Sid === 'WriteArtifacts')?.Resource).toBe(
      `arn:aws:s3:::${bucket}/artifacts/*`,
    );
    const trust = JSON.stringify(
      resource(teams, 'aws_iam_role', 'team-emr-data-team-a_artifact-uploader-role'),
    );
    expect(trust).toContain(
      `system:serviceaccount:emr-data-team-a:${job.spec.template.spec.serviceAccountName}`,
    );
    for (const [, , , key] of uploads(job)) expect(key.startsWith('artifacts/')).toBe(true);
    expect(get(objects, 'ServiceAccount/emr-artifact-uploader').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn':
        'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a-artifacts',
    });
  });

  it('uploads only pod templates for a team without jobs', () => {
    const teamB = teamObjects(env, 'emr-data-team-b');
    expect(teamB.has('ConfigMap/spark-job-files')).toBe(false);
    const volumes = uploadJob(teamB).spec.template.spec.volumes.map((v) => v.configMap?.name ?? v.name);
    expect(volumes).toEqual(['spark-pod-templates', 'tmp']);
  });

  it('matches the snapshot', () => {
    expect(job).toMatchSnapshot();
  });
});
