import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { formattedBindings, TYPES_DIR } from '../../scripts/schemas';
import { BINDING_KINDS, crdBindings, crdTypes } from '../../validation/crd-bindings';
import {
  deriveCrd,
  deriveOpenApi,
  derivedText,
  stripProse,
  type DerivedCrd,
} from '../../validation/schema-derive';
import {
  derivedPath,
  readDerivedSchema,
  readLock,
  SchemaFilesError,
  type LockedSchema,
} from '../../validation/schema-files';
import { SchemaRegistry } from '../../validation/schema-registry';

const work = mkdtempSync(join(tmpdir(), 'schema-derive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lockEntry = (path: string, defines: string[]): LockedSchema => ({
  path,
  url: `https://example.invalid/${path}`,
  blob: 'b'.repeat(40),
  project: 'test',
  version: '1',
  defines,
});

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  spec: {
    group: 'example.io',
    scope: 'Namespaced',
    names: { kind: 'Widget' },
    versions: [
      { name: 'v1alpha1', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1',
        served: true,
        schema: {
          openAPIV3Schema: {
            description: 'Widget is upstream prose.',
            type: 'object',
            properties: {
              spec: {
                description: 'More prose.',
                type: 'object',
                required: ['size'],
                properties: {
                  description: { type: 'string', description: 'A field called description stays.' },
                  size: { type: 'string', enum: ['small', 'large'] },
                  count: {
                    'x-kubernetes-int-or-string': true,
                    anyOf: [{ type: 'integer' }, { type: 'string' }],
                  },
                  parts: {
                    type: 'array',
                    items: { type: 'object', properties: { 'part-name': { type: 'string' } } },
                  },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                },
                'x-kubernetes-validations': [{ rule: 'self.size != ""', message: 'size is required' }],
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
            required: ['spec'],
          },
        },
      },
    ],
  },
};

describe('stripProse', () => {
  it('drops description keywords, keeps fields named description and every constraint', () => {
    const stripped = stripProse(widgetCrd.spec.versions[1]!.schema.openAPIV3Schema);
    expect(JSON.stringify(stripped)).not.toContain('prose');
    expect(stripped.properties?.spec?.properties?.description).toEqual({ type: 'string' });
    expect(stripped.properties?.spec?.['x-kubernetes-validations']).toEqual([
      { rule: 'self.size != ""', message: 'size is required' },
    ]);
    expect(stripped.properties?.spec?.properties?.size?.enum).toEqual(['small', 'large']);
  });
});

describe('deriveCrd', () => {
  const derived = deriveCrd(lockEntry('crds/widget.yaml', ['example.io/v1 Widget']), dump(widgetCrd));

  it('keeps served versions only, with scope, kind and where it came from', () => {
    expect(Object.keys(derived.versions)).toEqual(['v1']);
    expect(derived).toMatchObject({ type: 'crd', group: 'example.io', kind: 'Widget', scope: 'Namespaced' });
    expect(derived.source.blob).toBe('b'.repeat(40));
  });

  it('refuses a file that is not a CRD', () => {
    expect(() => deriveCrd(lockEntry('x.yaml', []), 'kind: ConfigMap\n')).toThrow(
      'is not a CustomResourceDefinition',
    );
  });

  it('writes stable text, a value per line only when it does not fit', () => {
    const text = derivedText(derived);
    expect(text).toBe(derivedText(JSON.parse(text) as DerivedCrd));
    expect(JSON.parse(text)).toEqual(derived);
    const long = text.split('\n').filter((line) => line.length > 110 && !line.trim().startsWith('"//"'));
    expect(long).toEqual([]);
    expect(text).toMatch(/^ {12}"size": \{"type":"string","enum":\["small","large"\]\},$/m);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('deriveOpenApi', () => {
  const document = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.34' },
    paths: {
      '/api/v1/namespaces/{namespace}/gadgets': {
        post: {
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Gadget' },
        },
      },
      '/api/v1/nodes': {
        post: {
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Node' },
        },
      },
    },
    components: {
      schemas: {
        'io.k8s.api.core.v1.Gadget': {
          description: 'prose',
          properties: { spec: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.GadgetSpec' }] } },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Gadget' }],
        },
        'io.k8s.api.core.v1.GadgetSpec': { properties: { size: { type: 'string', description: 'prose' } } },
        'io.k8s.api.core.v1.Node': {
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Node' }],
        },
        'io.k8s.api.core.v1.PodTemplateLike': {
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'PodTemplateLike' }],
        },
        'io.k8s.api.core.v1.Unused': { properties: { a: { type: 'string' } } },
      },
    },
  };
  const derived = deriveOpenApi(lockEntry('api.json', ['v1']), JSON.stringify(document));

  it('lists the kinds with their scope (no create endpoint: namespaced)', () => {
    expect(derived.kinds).toEqual({
      Gadget: { component: 'io.k8s.api.core.v1.Gadget', namespaced: true },
      Node: { component: 'io.k8s.api.core.v1.Node', namespaced: false },
      PodTemplateLike: { component: 'io.k8s.api.core.v1.PodTemplateLike', namespaced: true },
    });
  });

  it('keeps the components the kinds reach, without prose', () => {
    expect(Object.keys(derived.components).sort()).toEqual([
      'io.k8s.api.core.v1.Gadget',
      'io.k8s.api.core.v1.GadgetSpec',
      'io.k8s.api.core.v1.Node',
      'io.k8s.api.core.v1.PodTemplateLike',
    ]);
    expect(JSON.stringify(derived)).not.toContain('prose');
  });
});

describe('crdBindings', () => {
  it('generates a class with its GVK and typed props, named by path, without prose', () => {
    const crd = deriveCrd(lockEntry('crds/widget.yaml', ['example.io/v1 Widget']), dump(widgetCrd));
    expect(crdBindings([crd])).toEqual([]);
    const [file] = crdBindings([crd], ['example.io/v1 Widget']);
    expect(file?.file).toBe('example.io.ts');
    const source = file?.source ?? '';
    expect(source).toContain('export class Widget extends ApiObject {');
    expect(source).toContain("{ apiVersion: 'example.io/v1', kind: 'Widget' }");
    expect(source).toContain('readonly spec: WidgetSpec;');
    expect(source).toContain('readonly size: "small" | "large";');
    expect(source).toContain('readonly count?: number | string;');
    expect(source).toContain('readonly parts?: readonly WidgetSpecParts[];');
    expect(source).toContain('readonly "part-name"?: string;');
    expect(source).toContain('readonly labels?: Readonly<Record<string, string>>;');
    expect(source).not.toContain('status');
    expect(source).not.toContain('prose');
  });

  it("gives the validator the same kind as types only: the whole object, the construct's field interfaces", () => {
    const crd = deriveCrd(lockEntry('crds/widget.yaml', ['example.io/v1 Widget']), dump(widgetCrd));
    expect(crdTypes([crd])).toEqual([]);
    const [file] = crdTypes([crd], ['example.io/v1 Widget']);
    expect(file?.file).toBe('example.io.ts');
    const source = file?.source ?? '';
    expect(source).toContain('export interface Widget {');
    expect(source).toContain("readonly apiVersion: 'example.io/v1';");
    expect(source).toContain("readonly kind: 'Widget';");
    expect(source).toContain('readonly metadata?: ObjectMeta;');
    expect(source).toContain('readonly spec: WidgetSpec;');
    expect(source).toContain('readonly parts?: readonly WidgetSpecParts[];');
    // Nothing at run time: no cdk8s, no class, only type imports.
    expect(source).not.toContain('cdk8s');
    expect(source).not.toContain('class ');
    expect(source.split('\n').filter((line) => line.startsWith('import '))).toEqual([
      "import type { ObjectMeta } from '../object-meta';",
    ]);
    expect(source).not.toContain('status');
    expect(source).not.toContain('prose');
  });
});

describe('the committed derived schemas and bindings', () => {
  it('come from exactly the blobs the lock pins', () => {
    for (const entry of readLock())
      expect(readDerivedSchema(entry).source).toEqual({ path: entry.path, url: entry.url, blob: entry.blob });
  });

  it('regenerate manifests/imports exactly from validation/schemas', async () => {
    const crds = readLock()
      .map((entry) => readDerivedSchema(entry))
      .filter((derived): derived is DerivedCrd => derived.type === 'crd');
    const files = await formattedBindings(crdBindings(crds));
    expect(files.size).toBe(new Set(BINDING_KINDS.map((kind) => kind.split(' ')[0]?.split('/')[0])).size);
    for (const [file, text] of files) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it('regenerate validation/bindings exactly from validation/schemas', async () => {
    const crds = readLock()
      .map((entry) => readDerivedSchema(entry))
      .filter((derived): derived is DerivedCrd => derived.type === 'crd');
    const files = await formattedBindings(crdTypes(crds), TYPES_DIR);
    expect(files.size).toBe(new Set(BINDING_KINDS.map((kind) => kind.split(' ')[0]?.split('/')[0])).size);
    for (const [file, text] of files) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it('fail with the fix when the lock moves on without npm run schemas', () => {
    const entry = readLock().find((e) => e.defines.includes('v1'));
    if (entry === undefined) throw new Error('no core schema');
    const dir = join(work, 'derived');
    const moved = { ...entry, blob: 'c'.repeat(40) };
    const file = derivedPath(entry, dir);
    rmSync(dir, { recursive: true, force: true });
    expect(() => new SchemaRegistry(dir, [moved], undefined).lookup('v1', 'ConfigMap')).toThrow(
      /^Derived schema .* is missing: run `npm run schemas`/,
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, readFileSync(derivedPath(entry), 'utf8'));
    expect(() => new SchemaRegistry(dir, [moved], undefined).lookup('v1', 'ConfigMap')).toThrow(
      SchemaFilesError,
    );
    expect(() => new SchemaRegistry(dir, [moved], undefined).lookup('v1', 'ConfigMap')).toThrow(
      `comes from git blob ${entry.blob}, but schemas.lock.json pins ${'c'.repeat(40)}: run \`npm run schemas\``,
    );
  });
});
