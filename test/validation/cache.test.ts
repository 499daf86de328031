import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVED_DIR, readDerivedSchema, readLock } from '../../validation/schema-files';
import { SchemaRegistry } from '../../validation/schema-registry';
import { structuralProblems } from '../../validation/structural';
import { parse } from '@bufbuild/cel';
import { celViolations, reviveExpr, savedRules, serializeExpr } from '../../validation/cel-rules';
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

/** Every CEL rule of the committed derived schemas. */
function allRules(): string[] {
  const rules = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'x-kubernetes-validations' && Array.isArray(child)) {
          for (const entry of child as { rule: string }[]) rules.add(entry.rule);
        }
        walk(child);
      }
    }
  };
  for (const entry of readLock()) walk(readDerivedSchema(entry));
  return [...rules];
}

describe('saved CEL rules', () => {
  it('revive every pinned rule to exactly the tree the parser makes (ids, literals, message types)', () => {
    const rules = allRules();
    expect(rules.length).toBeGreaterThan(50);
    for (const rule of rules) {
      const expr = parse(rule).expr;
      expect(reviveExpr(serializeExpr(expr)), rule).toEqual(expr);
    }
  });

  it('keep 64-bit integers and byte literals, which JSON has no type for', () => {
    const expr = parse("self.size() <= 9223372036854775807 && b'\\x00\\xff' != b''").expr;
    const revived = reviveExpr(serializeExpr(expr));
    expect(revived).toEqual(expr);
    expect(JSON.stringify(revived, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toContain(
      '9223372036854775807n',
    );
  });

  it('are saved with each cached kind, so a warm run parses none', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'validator-cache-cel-'));
    try {
      const registry = new SchemaRegistry(DERIVED_DIR, readLock(), ValidatorCache.at(cacheDir));
      const pool = registry.lookup('karpenter.sh/v1', 'NodePool');
      if (pool === undefined) throw new Error('no NodePool');
      const expected = savedRules(pool.schema);
      expect(Object.keys(expected).length).toBeGreaterThan(5);
      // The kind's metadata is the module's last statement: `module.exports.kind = JSON.parse("…");`.
      const saved = readdirSync(cacheDir)
        .filter((name) => name.endsWith('.js'))
        .map((name) => {
          const line = readFileSync(join(cacheDir, name), 'utf8').trimEnd().split('\n').at(-1) ?? '';
          const literal = line.slice('module.exports.kind = JSON.parse('.length, -');'.length);
          return (JSON.parse(JSON.parse(literal) as string) as { cel: Record<string, string> }).cel;
        });
      expect(saved).toContainEqual(expected);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
