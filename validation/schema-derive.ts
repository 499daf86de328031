import { load } from 'js-yaml';
import type { JsonSchema } from './json-schema';
import type { LockedSchema } from './schema-files';

/**
 * What the validator keeps of one pinned upstream file: its structure, formats, enums, CEL rules
 * and scope, without upstream prose (every `description` is dropped). `npm run schemas` writes
 * one of these per locked file under `validation/schemas/`; they are committed and CI checks
 * that regenerating them from the pinned files changes nothing.
 */
export type DerivedSchema = DerivedCrd | DerivedOpenApi;

/** Where a derived file comes from. */
export interface DerivedSource {
  readonly path: string;
  readonly url: string;
  /** The git blob id of the upstream file it was derived from (must equal the lock's). */
  readonly blob: string;
}

/** A CustomResourceDefinition: its served versions' `openAPIV3Schema`, prose removed. */
export interface DerivedCrd {
  readonly '//': string;
  readonly source: DerivedSource;
  readonly type: 'crd';
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** Served version name → its schema. */
  readonly versions: Readonly<Record<string, JsonSchema>>;
}

/** A Kubernetes OpenAPI v3 document: the kinds it defines and the components they reach. */
export interface DerivedOpenApi {
  readonly '//': string;
  readonly source: DerivedSource;
  readonly type: 'openapi';
  /** The document's `group/version` (`v1` for core). */
  readonly apiVersion: string;
  /** Kind → its component and whether it is namespaced. */
  readonly kinds: Readonly<Record<string, { readonly component: string; readonly namespaced: boolean }>>;
  /** Every component reachable from a kind, prose removed; `$ref`s stay `#/components/schemas/…`. */
  readonly components: Readonly<Record<string, JsonSchema>>;
}

const NOTE =
  'Derived by `npm run schemas` from the pinned upstream file (schemas.lock.json); descriptions removed. Do not edit: regenerate.';

/** Keywords whose value is a map of name → schema (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords whose value is one schema. */
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'additionalItems']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * A copy of `schema` without prose: `description` keywords (never a property that happens to be
 * called `description`). Everything that constrains a value is kept as it is.
 */
export function stripProse(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (SCHEMA_MAPS.has(key) && isRecord(value)) {
      copy[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, stripProse(child as JsonSchema)]),
      );
    } else if (SCHEMA_VALUES.has(key) && isRecord(value)) {
      copy[key] = stripProse(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      copy[key] = value.map((child) => stripProse(child as JsonSchema));
    } else {
      copy[key] = value;
    }
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function source(entry: LockedSchema): DerivedSource {
  return { path: entry.path, url: entry.url, blob: entry.blob };
}

interface UpstreamCrd {
  kind?: string;
  spec?: {
    group?: string;
    scope?: 'Namespaced' | 'Cluster';
    names?: { kind?: string };
    versions?: { name: string; served?: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

/** Derives a CRD file (YAML) into the validator's form. */
export function deriveCrd(entry: LockedSchema, text: string): DerivedCrd {
  const crd = load(text) as UpstreamCrd;
  const spec = crd.spec;
  if (
    crd.kind !== 'CustomResourceDefinition' ||
    spec?.group === undefined ||
    spec.names?.kind === undefined
  ) {
    throw new Error(`${entry.path} is not a CustomResourceDefinition`);
  }
  const versions: Record<string, JsonSchema> = {};
  for (const version of spec.versions ?? []) {
    const schema = version.schema?.openAPIV3Schema;
    if (version.served === false || schema === undefined) continue;
    versions[version.name] = stripProse(schema);
  }
  return {
    '//': NOTE,
    source: source(entry),
    type: 'crd',
    group: spec.group,
    kind: spec.names.kind,
    scope: spec.scope ?? 'Namespaced',
    versions,
  };
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

interface UpstreamOpenApi {
  paths?: Record<
    string,
    Record<string, { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: Gvk }>
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

const REF_PREFIX = '#/components/schemas/';

function apiVersionOf(gvk: Gvk): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/**
 * Derives a Kubernetes OpenAPI v3 document (JSON): each kind of the document's own group/version
 * (a component under `io.k8s.api.` carrying its GVK), whether it is namespaced (it has a create
 * endpoint under `/namespaces/{namespace}/`; kinds without one, such as Pod templates checked as
 * Pods, count as namespaced), and the components those kinds reach.
 */
export function deriveOpenApi(entry: LockedSchema, text: string): DerivedOpenApi {
  const apiVersion = entry.defines[0];
  if (apiVersion === undefined) throw new Error(`${entry.path}: the lock entry defines nothing`);
  const document = JSON.parse(text) as UpstreamOpenApi;
  const schemas = document.components?.schemas ?? {};
  const namespaced = new Map<string, boolean>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    const post = operations.post;
    const gvk = post?.['x-kubernetes-group-version-kind'];
    if (post?.['x-kubernetes-action'] !== 'post' || gvk === undefined) continue;
    namespaced.set(gvk.kind, path.includes('/namespaces/{namespace}/'));
  }
  const kinds: Record<string, { component: string; namespaced: boolean }> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!name.startsWith('io.k8s.api.')) continue;
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (apiVersionOf(gvk) !== apiVersion) continue;
      kinds[gvk.kind] = { component: name, namespaced: namespaced.get(gvk.kind) ?? true };
    }
  }
  const reachable = new Set<string>();
  const visit = (name: string): void => {
    if (reachable.has(name)) return;
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`${entry.path}: $ref to a missing component ${name}`);
    reachable.add(name);
    for (const ref of refsOf(schema)) visit(ref);
  };
  for (const { component } of Object.values(kinds)) visit(component);
  const components: Record<string, JsonSchema> = {};
  for (const name of Object.keys(schemas).filter((n) => reachable.has(n))) {
    const schema = schemas[name];
    if (schema !== undefined) components[name] = stripProse(schema);
  }
  return {
    '//': NOTE,
    source: source(entry),
    type: 'openapi',
    apiVersion,
    kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))),
    components,
  };
}

/** The component names a schema refers to. */
function refsOf(value: unknown): string[] {
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX))
          refs.push(child.slice(REF_PREFIX.length));
        else walk(child);
      }
    }
  };
  walk(value);
  return refs;
}

/** Derives any locked file by its kind (CRDs are YAML, OpenAPI documents JSON). */
export function deriveSchema(entry: LockedSchema, text: string): DerivedSchema {
  return entry.path.endsWith('.json') ? deriveOpenApi(entry, text) : deriveCrd(entry, text);
}

/**
 * The derived file's text: stable JSON with a final newline, a value on one line when it fits in
 * {@link LINE_WIDTH} characters, else one member per line (deep CRDs stay reviewable without
 * doubling in size from indentation).
 */
export function derivedText(derived: DerivedSchema): string {
  return `${compactJson(derived, '')}\n`;
}

const LINE_WIDTH = 110;

function compactJson(value: unknown, indent: string, prefix = 0): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length + prefix <= LINE_WIDTH || typeof value !== 'object' || value === null)
    return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${compactJson(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const members = entries.map(([key, child]) => {
    const name = `${JSON.stringify(key)}: `;
    return `${inner}${name}${compactJson(child, inner, name.length)}`;
  });
  return `{\n${members.join(',\n')}\n${indent}}`;
}
