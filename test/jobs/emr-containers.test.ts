import { describe, expect, it } from 'vitest';
import { SAFE_TO_EVICT_ANNOTATION } from '../../manifests/jobs/emr-containers';
import type { ApplicationConfiguration } from '../../manifests/jobs/configuration-overrides';
import { resource, synthStacks } from '../helpers/terraform';
import { jobRuns, loaded, overridesOf, platformWith, sparkDefaultsOf, teamObjects } from './helpers';

const env = loaded();
const runs = jobRuns(teamObjects(env));

function classification(job: string, name: string): Readonly<Record<string, string>> {
  const found = (overridesOf(runs.get(job)).applicationConfiguration ?? []).find(
    (c: ApplicationConfiguration) => c.classification === name,
  );
  if (found?.properties === undefined) throw new Error(`${job}: no ${name} classification`);
  return found.properties;
}

describe("what EMR adds to a job's pods", () => {
  it('is written into every JobRun: the logging containers of driver, executors and job submitter', () => {
    expect(runs.size).toBeGreaterThan(0);
    for (const job of runs.keys()) {
      expect(classification(job, 'emr-containers-defaults'), job).toEqual({
        'logging.request.cores': '100m',
        'logging.request.memory': '512Mi',
      });
      expect(classification(job, 'emr-job-submitter'), job).toMatchObject({
        'jobsubmitter.logging.request.cores': '100m',
        'jobsubmitter.logging.request.memory': '200Mi',
      });
    }
  });

  it('keeps Cluster Autoscaler from evicting the job submitter, and places it on the core node group', () => {
    const group = resource(synthStacks(env).base!, 'aws_eks_node_group', 'core-node-group_node-group');
    const labels = group.labels as Record<string, string>;
    expect(group.capacity_type).toBe('ON_DEMAND');
    for (const job of runs.keys()) {
      const properties = classification(job, 'emr-job-submitter');
      expect(properties[`jobsubmitter.annotation.${SAFE_TO_EVICT_ANNOTATION}`], job).toBe('false');
      const selector = Object.entries(properties).filter(([key]) =>
        key.startsWith('jobsubmitter.node.selector.'),
      );
      expect(selector.length, job).toBeGreaterThan(0);
      for (const [key, value] of selector) {
        expect(labels[key.slice('jobsubmitter.node.selector.'.length)], `${job}: ${key}`).toBe(value);
      }
    }
  });

  it('keeps the classifications after spark-defaults, so a job changes only its own properties', () => {
    const order = (overridesOf(runs.get('sample-pi')).applicationConfiguration ?? []).map(
      (c) => c.classification,
    );
    expect(order).toEqual(['spark-defaults', 'emr-containers-defaults', 'emr-job-submitter']);
  });
});

describe('EBS scratch', () => {
  it('gives the driver and every executor their own on-demand claim on spark-ebs', () => {
    const properties = sparkDefaultsOf(runs.get('taxi-ebs'));
    for (const role of ['driver', 'executor']) {
      const volume = `spark.kubernetes.${role}.volumes.persistentVolumeClaim.spark-local-dir-1`;
      expect(properties[`${volume}.options.claimName`], role).toBe('OnDemand');
      expect(properties[`${volume}.options.storageClass`], role).toBe('spark-ebs');
      expect(properties[`${volume}.options.sizeLimit`], role).toBe('50Gi');
      expect(properties[`${volume}.mount.path`], role).toBe('/data1');
    }
    expect(properties['spark.local.dir']).toBe('/data1');
  });

  it('lets EBS jobs run on any pool and side by side: no job names a fixed claim', () => {
    const twoPools = loaded(
      platformWith((d) => {
        const jobs = d.teams[0]?.jobs ?? [];
        const ebs = jobs.find((j) => j.name === 'taxi-ebs');
        if (ebs === undefined) throw new Error('no taxi-ebs');
        jobs.push({ ...ebs, name: 'taxi-ebs-memory', nodePool: 'spark-memory-optimized' });
      }),
    );
    const objects = teamObjects(twoPools);
    expect([...objects.values()].filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    for (const job of ['taxi-ebs', 'taxi-ebs-memory']) {
      const properties = sparkDefaultsOf(jobRuns(objects).get(job));
      const claims = Object.entries(properties).filter(([key]) => key.endsWith('.options.claimName'));
      expect(
        claims.map(([, value]) => value),
        job,
      ).toEqual(['OnDemand', 'OnDemand']);
      expect(JSON.stringify(properties), job).not.toContain('spark-driver-pvc');
    }
  });
});
