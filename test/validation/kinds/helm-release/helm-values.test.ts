import { describe, expect, it } from 'vitest';
import {
  checkHelmValues,
  mergeValues,
  type ChartDefaults,
  type HelmValuesRule,
} from '../../../../validation/kinds/helm-release/helm-values';

/** A small chart in the shape real ones have (no files from ../shared: npm test reads none). */
const chart: ChartDefaults = {
  name: 'demo@1.0.0',
  defaults: {
    replicas: 2,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    podAnnotations: {},
    resources: {},
    tolerations: [],
    extraEnv: null,
    serviceAccount: { create: true, name: '' },
    controller: { image: { repository: 'demo', tag: '1.0.0' }, logLevel: 'info' },
    config: { cm: { 'timeout.reconciliation': '180s' } },
    installScope: 'cluster',
  },
  schema: {
    $schema: 'https://json-schema.org/draft-07/schema#',
    properties: {
      installScope: { type: 'string', enum: ['cluster', 'namespace'] },
      replicas: { type: 'integer' },
    },
  },
  openPaths: ['config.cm'],
  documentedPaths: ['priorityClassName'],
};

const valid = {
  replicas: 3,
  nodeSelector: { NodeGroupType: 'core' },
  podAnnotations: { 'example.com/x': 'y' },
  resources: { requests: { cpu: '1' } },
  tolerations: [{ operator: 'Exists' }],
  extraEnv: [{ name: 'A', value: 'b' }],
  serviceAccount: { create: true, name: 'demo' },
  controller: { logLevel: 'debug' },
  config: { cm: { 'resource.customizations.health.x_Y': 'return {}' } },
  priorityClassName: 'system-node-critical',
};

interface Case {
  readonly name: string;
  readonly rule: HelmValuesRule;
  readonly path: string;
  readonly values: Record<string, unknown>;
}

/** One broken value per case, each caught by its own rule at its own path. */
const corpus: Case[] = [
  {
    name: 'a misspelled top-level key',
    rule: 'helm.values-unknown-key',
    path: 'nodeSelecter',
    values: { nodeSelecter: {} },
  },
  {
    name: 'a misspelled nested key',
    rule: 'helm.values-unknown-key',
    path: 'serviceAccount.nmae',
    values: { serviceAccount: { create: true, nmae: 'demo' } },
  },
  {
    name: 'a key of another chart version',
    rule: 'helm.values-unknown-key',
    path: 'controller.goMemoryLimitPercentage',
    values: { controller: { goMemoryLimitPercentage: 80 } },
  },
  {
    name: 'a map where the chart has a scalar',
    rule: 'helm.values-type',
    path: 'replicas',
    values: { replicas: { min: 1 } },
  },
  {
    name: 'a scalar where the chart has a map',
    rule: 'helm.values-type',
    path: 'controller.image',
    values: { controller: { image: 'demo:2' } },
  },
  {
    name: 'a scalar where the chart has a list',
    rule: 'helm.values-type',
    path: 'tolerations',
    values: { tolerations: 'all' },
  },
  {
    name: 'a value the schema refuses',
    rule: 'helm.values-schema',
    path: 'installScope',
    values: { installScope: 'everywhere' },
  },
  {
    name: 'a type the schema refuses',
    rule: 'helm.values-schema',
    path: 'replicas',
    values: { replicas: 1.5 },
  },
];

describe('Helm values model', () => {
  it('accepts keys the chart has, open maps, open and documented paths, and lists', () => {
    expect(checkHelmValues(valid, chart)).toEqual([]);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('catches %s', (_name, c) => {
    const found = checkHelmValues({ ...valid, ...c.values }, chart);
    expect(
      found.filter((f) => f.rule === c.rule && f.path === c.path),
      JSON.stringify(found),
    ).toHaveLength(1);
  });

  it('suggests the key a typo most likely meant', () => {
    expect(checkHelmValues({ nodeSelecter: {} }, chart)[0]?.message).toBe(
      'nodeSelecter is not a value of demo@1.0.0 (Helm would ignore it); did you mean nodeSelector?',
    );
  });

  it('merges like Helm: maps key by key, lists and scalars replaced, null deletes', () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1], d: 1 }, { a: { c: 3 }, l: [2], d: null })).toEqual({
      a: { b: 1, c: 3 },
      l: [2],
    });
  });
});
