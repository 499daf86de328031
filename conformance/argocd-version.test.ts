import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bootstrapProject } from '../cdktf/constructs/helm-argocd';
import { defaultPlatform, loadPlatform, versions } from '../config';
import { charts } from '../config/versions';
import { loadModel } from '../pipeline/load-model';
import { renderPlatform } from '../pipeline/render';
import { referenceYaml } from './reference';

/**
 * The Argo CD version must support every AppProject field we render. The validator checks the
 * AppProjects against the CRDs of the pinned Argo CD (versions.argocd, 3.5.1, from the schema
 * lock). The chart pin argo-cd 10.3.3 is said to ship that version, but the reference holds only
 * argo-cd 10.1.1, which ships v3.4.4: so every field we render must also exist in v3.4.4, or a
 * chart that turns out older than its claim would silently drop it. The AppProject CRD of argo-cd
 * 10.1.1 (templates/crds/crd-appproject.yaml, argoproj/argo-helm at argo-cd-10.1.1) differs from
 * the 3.5.1 one only by `spec.sourceIntegrity` (added in 3.5, with the deprecation note on
 * `signatureKeys`).
 */
const NEW_IN_3_5: readonly string[] = ['spec.sourceIntegrity'];

const chart = referenceYaml('reference', 'charts', 'argo-cd', '10.1.1', 'Chart.yaml');
const crd = referenceYaml('schemas', 'crds', 'appproject-crd.yaml') as {
  spec: { versions: { schema: { openAPIV3Schema: Schema } }[] };
};

interface Schema {
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
}

/** Field paths of an object (`spec.destinations[].namespace`), map keys under open maps excluded. */
function fieldPaths(value: unknown, schema: Schema | undefined, path: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) fieldPaths(item, schema?.items, `${path}[]`, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (schema?.properties === undefined && schema?.additionalProperties !== undefined) return;
  for (const [key, child] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    out.add(at);
    fieldPaths(child, schema?.properties?.[key], at, out);
  }
}

function inSchema(path: string, root: Schema): boolean {
  let schema: Schema | undefined = root;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    schema = schema?.properties?.[name];
    if (part.endsWith('[]')) schema = schema?.items;
    if (schema === undefined) return false;
  }
  return true;
}

const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
const platform = loadPlatform(defaultPlatform);
const projects = [...renderPlatform(loadModel(platform)).files]
  .filter(([file]) => /\/argocd\/AppProject\./.test(file))
  .map(([, text]) => load(text) as { spec: unknown });
const paths = new Set<string>();
for (const project of projects)
  fieldPaths({ spec: project.spec }, { properties: { spec: root.properties!.spec! } }, '', paths);
for (const env of platform.environments) {
  fieldPaths({ spec: bootstrapProject(env) }, { properties: { spec: root.properties!.spec! } }, '', paths);
}

describe(`AppProject fields against Argo CD ${versions.argocd} and the argo-cd chart reference`, () => {
  it('reads the reference: argo-cd 10.1.1 ships Argo CD v3.4.4, older than the pin', () => {
    expect(chart).toMatchObject({ name: 'argo-cd', version: '10.1.1', appVersion: 'v3.4.4' });
    expect(charts.argocd.version).toBe('10.3.3');
    expect(versions.argocd).toBe('3.5.1');
  });

  it('renders AppProjects with fields to check', () => {
    expect(projects.length).toBeGreaterThanOrEqual(3);
    expect(paths).toContain('spec.clusterResourceWhitelist[].name');
  });

  it.each([...paths].sort())('%s exists in the pinned CRD and in v3.4.4', (path) => {
    expect(inSchema(path, { properties: { spec: root.properties!.spec! } })).toBe(true);
    expect(NEW_IN_3_5.some((field) => path === field || path.startsWith(`${field}.`))).toBe(false);
  });
});
