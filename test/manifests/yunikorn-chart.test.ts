import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { apps, fixturePlatform, get, objectsOf } from '../helpers/manifests';
import { environment } from '../helpers/terraform';

describe('yunikorn chart', () => {
  const configMap = get(objectsOf(apps(environment()).get('yunikorn')), 'ConfigMap/yunikorn-configs');

  it('matches the snapshot', () => {
    expect(configMap).toMatchSnapshot();
  });

  it('limits the admission controller to team namespaces', () => {
    expect(configMap.metadata.namespace).toBe('yunikorn');
    expect(
      (configMap.data as Record<string, string>)['admissionController.filtering.processNamespaces'],
    ).toBe('^emr-data-team-a$,^emr-data-team-b$');
  });

  it('derives one FIFO queue per team namespace from the budgets', () => {
    const prod = fixturePlatform()[1]!;
    const data = get(objectsOf(apps(prod).get('yunikorn')), 'ConfigMap/yunikorn-configs').data as Record<
      string,
      string
    >;
    const queues = load(data['queues.yaml'] ?? '') as {
      partitions: {
        placementrules: unknown[];
        queues: { name: string; queues: Record<string, unknown>[] }[];
      }[];
    };
    const partition = queues.partitions[0]!;
    expect(partition.placementrules).toEqual([{ name: 'tag', value: 'namespace', create: false }]);
    expect(partition.queues[0]!.queues).toEqual([
      {
        name: 'analytics',
        properties: { 'application.sort.policy': 'fifo' },
        resources: {
          guaranteed: { vcore: '150', memory: '1200Gi' },
          max: { vcore: '300', memory: '2400Gi' },
        },
      },
      {
        name: 'spark-marketing',
        properties: { 'application.sort.policy': 'fifo' },
        resources: { guaranteed: { vcore: '75', memory: '600Gi' }, max: { vcore: '300', memory: '2400Gi' } },
      },
      {
        name: 'finance',
        properties: { 'application.sort.policy': 'fifo' },
        resources: {
          guaranteed: { vcore: '150', memory: '1200Gi' },
          max: { vcore: '300', memory: '2400Gi' },
        },
      },
    ]);
  });
});
