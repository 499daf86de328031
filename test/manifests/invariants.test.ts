import { describe, expect, it } from 'vitest';
import type { Environment } from '../../config/schema';
import type { SparkPodTemplate } from '../../manifests/constructs/spark-pod-template';
import { CLUSTER_SCOPED_KINDS, renderManifests, type K8sObject } from '../../manifests/render';
import { load } from 'js-yaml';
import { fixturePlatform, SAMPLE_OUTPUTS } from '../helpers/manifests';
import { environment } from '../helpers/terraform';
import { environmentModel } from '../helpers/model';

/** Invariants over every object of every environment we know (default + the two-env fixture). */
const environments: Environment[] = [environment(), ...fixturePlatform()];
const rendered = environments.flatMap((env) =>
  renderManifests(environmentModel(env, SAMPLE_OUTPUTS)).flatMap((app) =>
    app.objects.map((o) => ({ env, app: app.name, ...o })),
  ),
);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** Fields whose empty value means something ("select all pods"). */
const MEANINGFUL_EMPTY = new Set(['podSelector']);

function emptyFields(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((v, i) => emptyFields(v, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return MEANINGFUL_EMPTY.has(path.split('.').pop() ?? '') ? [] : [path];
    return entries.flatMap(([k, v]) => emptyFields(v, `${path}.${k}`));
  }
  return [];
}

function podTemplates(object: K8sObject): [string, SparkPodTemplate][] {
  if (object.kind !== 'ConfigMap' || object.metadata.name !== 'spark-pod-templates') return [];
  return Object.entries(object.data as Record<string, string>).map(([file, text]) => [
    file,
    load(text) as SparkPodTemplate,
  ]);
}

describe('every rendered object', () => {
  it('exists in every app of every environment', () => {
    expect(rendered.length).toBeGreaterThan(80);
  });

  it('has a DNS-1123 name of at most 63 characters', () => {
    for (const { object, path } of rendered) {
      expect(object.metadata.name, path).toMatch(DNS_SUBDOMAIN);
      expect(object.metadata.name.length, path).toBeLessThanOrEqual(63);
    }
  });

  it('has a namespace exactly when its kind is namespaced', () => {
    for (const { object, path } of rendered) {
      expect(object.metadata.namespace === undefined, path).toBe(CLUSTER_SCOPED_KINDS.has(object.kind));
    }
  });

  it('has no empty arrays or objects and no cdk8s hash labels', () => {
    for (const { object, path } of rendered) {
      expect(emptyFields(object, ''), path).toEqual([]);
      expect(JSON.stringify(object), path).not.toContain('cdk8s.io');
    }
  });

  it('gives every NodePool limits and a disruption policy', () => {
    const pools = rendered.filter(({ object }) => object.kind === 'NodePool');
    expect(pools.length).toBe(5);
    for (const { object, path } of pools) {
      expect(object.spec, path).toMatchObject({
        limits: { cpu: expect.any(String) as unknown },
        disruption: {},
      });
      expect(
        (object.spec as { disruption: { budgets: unknown[] } }).disruption.budgets.length,
        path,
      ).toBeGreaterThan(0);
    }
  });

  it('runs every JobRun in a virtual cluster of its namespace, retained on delete', () => {
    const jobRuns = rendered.filter(({ object }) => object.kind === 'JobRun');
    expect(jobRuns.length).toBeGreaterThan(0);
    for (const { env, object, path } of jobRuns) {
      const spec = object.spec as { virtualClusterRef: { from: { name: string } }; releaseLabel: string };
      const target = rendered.find(
        (r) =>
          r.env === env &&
          r.object.kind === 'VirtualCluster' &&
          r.object.metadata.name === spec.virtualClusterRef.from.name &&
          r.object.metadata.namespace === object.metadata.namespace,
      );
      expect(target, path).toBeDefined();
      expect(spec.releaseLabel, path).toMatch(/^emr-\d+\.\d+\.\d+-/);
      const annotations = object.metadata.annotations as Record<string, string> | undefined;
      expect(annotations?.['services.k8s.aws/deletion-policy'], path).toBe('retain');
    }
  });

  it('points every pod template at an existing, tolerated NodePool of its environment', () => {
    let checked = 0;
    for (const { env, object, path } of rendered) {
      const pools = rendered
        .filter((r) => r.env === env && r.object.kind === 'NodePool')
        .map((r) => r.object);
      for (const [file, template] of podTemplates(object)) {
        const target = pools.find((pool) => {
          const spec = pool.spec as { template: { metadata: { labels: Record<string, string> } } };
          return Object.entries(template.spec.nodeSelector ?? {})
            .filter(([key]) => !key.startsWith('karpenter.sh/'))
            .every(([key, value]) => spec.template.metadata.labels[key] === value);
        });
        expect(target, `${path} ${file}`).toBeDefined();
        const taints = (
          target?.spec as { template: { spec: { taints?: { key: string; effect: string }[] } } }
        ).template.spec.taints;
        for (const taint of taints ?? []) {
          expect(
            template.spec.tolerations?.some((t) => t.key === taint.key && t.effect === taint.effect),
            `${path} ${file} tolerates ${taint.key}`,
          ).toBe(true);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
