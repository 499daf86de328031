import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVED_DIR, readLock } from '../../validation/schema-files';
import { SchemaRegistry } from '../../validation/schema-registry';
import { structuralProblems } from '../../validation/structural';
import { celViolations } from '../../validation/cel-rules';
import { ValidatorCache } from '../../validation/validator-cache';

const dir = mkdtempSync(join(tmpdir(), 'validator-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const badPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {
    restartPolicy: 'Sometimes',
    containers: [{ name: 'a', imagePullPolcy: 'x', resources: { requests: { cpu: '2 cores' } } }],
  },
};
const badPool = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'p', labels: { 'Bad Key': 'x' } },
  spec: {
    template: {
      metadata: { labels: { 'karpenter.sh/custom': 'x' } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'x' },
        requirements: [],
      },
    },
  },
};

function check(registry: SchemaRegistry) {
  return [badPod, badPool].map((object) => {
    const kind = registry.lookup(object.apiVersion, object.kind);
    if (kind === undefined) throw new Error('unknown kind');
    kind.validate(object);
    return {
      namespaced: kind.namespaced,
      structural: structuralProblems(kind.validate.errors),
      cel: celViolations(kind.schema, object, undefined).map((v) => v.rule.rule),
    };
  });
}

describe('validator cache', () => {
  it('reloads saved validators that find exactly what freshly compiled ones find', () => {
    const compiled = check(new SchemaRegistry(DERIVED_DIR, readLock(), ValidatorCache.at(dir)));
    expect(readdirSync(dir).length).toBe(2);
    const reloaded = check(new SchemaRegistry(DERIVED_DIR, readLock(), ValidatorCache.at(dir)));
    const uncached = check(new SchemaRegistry(DERIVED_DIR, readLock(), undefined));
    expect(reloaded).toEqual(compiled);
    expect(uncached).toEqual(compiled);
    expect(compiled[0]?.structural.map((p) => p.rule)).toEqual([
      'schema.unknown-field',
      'quantity',
      'enum.restart-policy',
    ]);
    expect(compiled[1]?.cel).not.toEqual([]);
  });
});
