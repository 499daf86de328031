import { readFileSync } from 'node:fs';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as k8s from '../../manifests/imports/k8s';
import { formattedBindings } from '../../scripts/schemas';
import { K8S_BINDING_KINDS, K8sBindingError, k8sBindings } from '../../validation/k8s-bindings';
import type { DerivedOpenApi } from '../../validation/schema-derive';
import { readDerivedSchema, readLock } from '../../validation/schema-files';

const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

/** A small OpenAPI document in the derived form: one kind reaching a few components. */
function document(extra: Record<string, object> = {}): DerivedOpenApi {
  return {
    '//': 'test',
    source: {
      path: 'kubernetes/9.99/apis__example.io__v1_openapi.json',
      url: 'https://example.invalid',
      blob: 'b'.repeat(40),
    },
    type: 'openapi',
    apiVersion: 'example.io/v1',
    kinds: { Widget: { component: 'io.k8s.api.example.v1.Widget', namespaced: true } },
    components: {
      'io.k8s.api.example.v1.Widget': {
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), default: {} },
          spec: ref('io.k8s.api.example.v1.WidgetSpec'),
          status: ref('io.k8s.api.example.v1.WidgetStatus'),
        },
      },
      'io.k8s.api.example.v1.WidgetSpec': {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'string' },
          limits: {
            type: 'object',
            additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
          },
          port: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
          parts: { type: 'array', items: ref('io.k8s.api.example.v1.Part') },
          tags: { type: 'array', items: { type: 'string' } },
          since: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
        },
      },
      'io.k8s.api.example.v1.WidgetStatus': { type: 'object', properties: { ready: { type: 'boolean' } } },
      'io.k8s.api.example.v1.Part': { type: 'object', properties: { name: { type: 'string' } } },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: {
          name: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
      'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
        format: 'int-or-string',
        oneOf: [{ type: 'integer' }, { type: 'string' }],
      },
      ...extra,
    },
  };
}

describe('k8sBindings', () => {
  it('generates a Kube<Kind> class, props named after components, and their toJson_ functions', () => {
    const { file, source } = k8sBindings([document()], ['example.io/v1 Widget']);
    expect(file).toBe('k8s.ts');
    expect(source).toContain('export class KubeWidget extends ApiObject {');
    expect(source).toContain("{ apiVersion: 'example.io/v1', kind: 'Widget' }");
    // spec is required, so the props are too; status is the cluster's, not a prop.
    expect(source).toContain('public constructor(scope: Construct, id: string, props: KubeWidgetProps) {');
    expect(source).toContain('readonly spec: WidgetSpec;');
    expect(source).toContain('readonly metadata?: ObjectMeta;');
    expect(source).not.toMatch(/WidgetStatus|readonly status/);
    expect(source).toContain('readonly limits?: { [key: string]: Quantity };');
    expect(source).toContain('readonly port?: IntOrString;');
    expect(source).toContain('readonly parts?: Part[];');
    expect(source).toContain('readonly since?: string;');
    expect(source).toContain('limits: compactMap(obj.limits, (y) => y?.value),');
    expect(source).toContain('port: obj.port?.value,');
    expect(source).toContain('parts: obj.parts?.map((y) => toJson_Part(y)),');
    expect(source).toContain('tags: obj.tags,');
    expect(source).toContain('labels: compactMap(obj.labels),');
    // Each component once, however many paths reach it.
    expect(source.match(/export interface ObjectMeta /g)).toHaveLength(1);
  });

  it('refuses a kind no document defines, and two components that would share a name', () => {
    expect(() => k8sBindings([document()], ['example.io/v1 Gadget'])).toThrow(
      new K8sBindingError('no pinned Kubernetes document defines example.io/v1 Gadget'),
    );
    const clash = document({
      'io.k8s.api.example.v1.WidgetSpec': {
        type: 'object',
        properties: { other: ref('io.k8s.api.other.v1.Part'), mine: ref('io.k8s.api.example.v1.Part') },
      },
      'io.k8s.api.other.v1.Part': { type: 'object', properties: { id: { type: 'string' } } },
    });
    expect(() => k8sBindings([clash], ['example.io/v1 Widget'])).toThrow(
      'io.k8s.api.example.v1.Part and io.k8s.api.other.v1.Part would both be bound as Part',
    );
  });

  it('refuses a component that two pinned documents define differently', () => {
    const other = document({
      'io.k8s.api.example.v1.Part': { type: 'object', properties: { id: { type: 'string' } } },
    });
    expect(() => k8sBindings([document(), other], ['example.io/v1 Widget'])).toThrow(
      /io\.k8s\.api\.example\.v1\.Part differs between the pinned documents/,
    );
  });
});

describe('the committed core bindings', () => {
  const openApis = readLock()
    .map((entry) => readDerivedSchema(entry))
    .filter((derived): derived is DerivedOpenApi => derived.type === 'openapi');

  it('regenerate exactly from the pinned Kubernetes documents (the cluster version, 1.34)', async () => {
    expect(openApis.map((d) => d.source.path)).toContain('kubernetes/1.34/api__v1_openapi.json');
    const files = await formattedBindings([k8sBindings(openApis)]);
    expect(files.size).toBe(1);
    for (const [file, text] of files) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it('export a Kube<Kind> class with its GVK for every listed kind', () => {
    const classes = k8s as unknown as Record<string, { GVK?: { apiVersion: string; kind: string } }>;
    for (const wanted of K8S_BINDING_KINDS) {
      const [apiVersion, kind] = wanted.split(' ');
      expect(classes[`Kube${kind}`]?.GVK, wanted).toEqual({ apiVersion, kind });
    }
  });

  it('serialize value classes to their value and drop undefined members, as cdk8s import does', () => {
    const chart = new Chart(Testing.app(), 'test');
    new k8s.KubeJob(chart, 'job', {
      metadata: { name: 'job', labels: { a: 'b', gone: undefined as unknown as string } },
      spec: {
        backoffLimit: undefined,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'main',
                ports: [{ containerPort: 80 }],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromNumber(1) },
                },
                livenessProbe: { httpGet: { port: k8s.IntOrString.fromString('http') } },
              },
            ],
          },
        },
      },
    });
    const [job] = chart.toJson() as Record<string, unknown>[];
    expect(job).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job', labels: { a: 'b' } },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'main',
                ports: [{ containerPort: 80 }],
                resources: { requests: { cpu: '250m', memory: 1 } },
                livenessProbe: { httpGet: { port: 'http' } },
              },
            ],
          },
        },
      },
    });
    expect(Object.keys(job ?? {}).slice(0, 2)).toEqual(['apiVersion', 'kind']);
    expect(
      k8s.KubeNetworkPolicy.manifest({
        spec: { ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(53) }] }] },
      }),
    ).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      spec: { ingress: [{ ports: [{ port: 53 }] }] },
    });
  });
});
