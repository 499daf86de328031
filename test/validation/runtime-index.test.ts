import { describe, expect, it } from 'vitest';
import type { PodTemplate } from '../../validation/cross-checks';
import { uploadOf, type Upload } from '../../validation/kinds/jobrun/content-address';
import { podTemplateOf } from '../../validation/kinds/pod-template/lookup';
import { RuntimeObjects } from '../../validation/runtime/objects';

/**
 * The runtime models look objects up by kind, namespace and name thousands of times per
 * environment (a JobRun per job of every team): the lookups are indexed, and answer exactly as
 * a scan of the list in order would (the first match; a cluster-scoped object apart from any
 * namespace).
 */
const located = (kind: string, name: string, namespace?: string, file = `dist/e/k8s/a/${name}.yaml`) => ({
  file,
  object: { apiVersion: 'v1', kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } },
});

describe('RuntimeObjects', () => {
  const objects = new RuntimeObjects([
    located('ConfigMap', 'a', 'team-1', 'first.yaml'),
    located('ConfigMap', 'a', 'team-1', 'second.yaml'),
    located('ConfigMap', 'a', 'team-2'),
    located('ConfigMap', 'a'),
    located('Namespace', 'team-1'),
  ]);

  it('finds the first object of a kind, name and namespace', () => {
    expect(objects.find('ConfigMap', 'a', 'team-1')?.file).toBe('first.yaml');
    expect(objects.find('ConfigMap', 'a', 'team-2')?.namespace).toBe('team-2');
    expect(objects.find('ConfigMap', 'b', 'team-1')).toBeUndefined();
    expect(objects.find('Secret', 'a', 'team-1')).toBeUndefined();
    expect(objects.find('ConfigMap', undefined, 'team-1')).toBeUndefined();
  });

  it('keeps cluster-scoped objects apart from namespaced ones', () => {
    expect(objects.find('ConfigMap', 'a')?.namespace).toBeUndefined();
    expect(objects.find('Namespace', 'team-1')?.kind).toBe('Namespace');
    expect(objects.find('Namespace', 'team-1', 'team-1')).toBeUndefined();
    expect(objects.find('ConfigMap', 'a', '')).toBeUndefined();
  });

  it('lists a kind in one namespace, or in all, in the order rendered', () => {
    expect(objects.ofKind('ConfigMap', 'team-1').map((o) => o.file)).toEqual(['first.yaml', 'second.yaml']);
    expect(objects.ofKind('ConfigMap').map((o) => o.namespace)).toEqual([
      'team-1',
      'team-1',
      'team-2',
      undefined,
    ]);
    expect(objects.ofKind('ConfigMap', 'team-3')).toEqual([]);
  });
});

describe('indexed lookups', () => {
  const template = (namespace: string | undefined, key: string, file: string): PodTemplate => ({
    file,
    path: `$.data['${key}']`,
    key,
    namespace,
    pod: {},
  });

  it('a pod template by namespace and file name: the first of the list', () => {
    const templates = [
      template('team-1', 'driver.yaml', 'one'),
      template('team-1', 'driver.yaml', 'two'),
      template('team-2', 'driver.yaml', 'three'),
      template(undefined, 'driver.yaml', 'four'),
    ];
    expect(podTemplateOf(templates, 'team-1', 'driver.yaml')?.file).toBe('one');
    expect(podTemplateOf(templates, 'team-2', 'driver.yaml')?.file).toBe('three');
    expect(podTemplateOf(templates, undefined, 'driver.yaml')?.file).toBe('four');
    expect(podTemplateOf(templates, 'team-1', 'executor.yaml')).toBeUndefined();
  });

  it('an upload by URI and the namespace of its Job', () => {
    const [job1, job2] = new RuntimeObjects([located('Job', 'up', 'team-1'), located('Job', 'up', 'team-2')])
      .all;
    const shipped: Upload[] = [
      { job: job1 as Upload['job'], uri: 's3://b/k', sha256: '1' },
      { job: job2 as Upload['job'], uri: 's3://b/k', sha256: '2' },
      { job: job1 as Upload['job'], uri: 's3://b/k', sha256: '3' },
    ];
    expect(uploadOf(shipped, 's3://b/k', 'team-1')?.sha256).toBe('1');
    expect(uploadOf(shipped, 's3://b/k', 'team-2')?.sha256).toBe('2');
    expect(uploadOf(shipped, 's3://b/other', 'team-1')).toBeUndefined();
    expect(uploadOf(shipped, 's3://b/k', undefined)).toBeUndefined();
  });
});
