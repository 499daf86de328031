import type { JsonSchema } from './json-schema';
import type { DerivedOpenApi } from './schema-derive';
import type { BindingFile } from './crd-bindings';

/**
 * Typed cdk8s bindings for core Kubernetes kinds, generated from the pinned OpenAPI documents of
 * the cluster's Kubernetes version (schemas.lock.json) into `manifests/imports/k8s.ts`, in the
 * shape `cdk8s import k8s` gives them: per kind a `Kube<Kind>` `ApiObject` class (its `GVK`, a
 * static `manifest()`, and a `toJson()` that passes the resolved props through the binding),
 * a props interface per component reached from those kinds, named after the component
 * (`PodSpec`), the `Quantity` and `IntOrString` value classes, and a `toJson_<Type>` function per
 * interface that turns props into the object's JSON (value classes to their value, `undefined`
 * members dropped). Fields keep their API names (they are camelCase already), so no renaming.
 * Two differences, because this project is TypeScript only (no jsii): timestamps are strings
 * rather than `Date`s, and schemaless objects are `Record<string, unknown>` rather than `any`.
 * No upstream prose is copied: the interfaces carry no descriptions. Only the kinds in
 * {@link K8S_BINDING_KINDS} and what they reach are generated.
 */

/** The core kinds bindings are generated for: those the manifests render (`apiVersion kind`). */
export const K8S_BINDING_KINDS: readonly string[] = [
  'v1 ConfigMap',
  'v1 LimitRange',
  'v1 Namespace',
  'v1 PersistentVolume',
  'v1 PersistentVolumeClaim',
  'v1 ResourceQuota',
  'v1 Service',
  'v1 ServiceAccount',
  'apps/v1 Deployment',
  'batch/v1 CronJob',
  'batch/v1 Job',
  'networking.k8s.io/v1 NetworkPolicy',
  'rbac.authorization.k8s.io/v1 Role',
  'rbac.authorization.k8s.io/v1 RoleBinding',
  'storage.k8s.io/v1 StorageClass',
];

/** The generated file, under `manifests/imports/`. */
export const K8S_BINDING_FILE = 'k8s.ts';

const REF_PREFIX = '#/components/schemas/';
/** Components bound to a value class whose JSON is its `value`. */
const VALUE_CLASSES: Readonly<Record<string, string>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
};
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Top-level members that are not props: the GVK comes from the class, status from the cluster. */
const NOT_PROPS = new Set(['apiVersion', 'kind', 'status']);

/** How a schema node is bound: its TypeScript type and how a value of it becomes JSON. */
interface Binding {
  readonly type: string;
  /** The JSON expression for the value expression `value`; `undefined` when it is the value itself. */
  readonly json?: (value: string) => string;
}

/** The error the generator throws on a schema it cannot bind (a bug in the lock, not in a user's input). */
export class K8sBindingError extends Error {}

/** The component a property schema refers to (`$ref`, or the `allOf: [{$ref}]` Kubernetes wraps defaults in). */
function refOf(schema: JsonSchema): string | undefined {
  const direct = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]?.$ref : undefined);
  if (direct === undefined) return undefined;
  if (!direct.startsWith(REF_PREFIX)) throw new K8sBindingError(`unsupported $ref ${direct}`);
  return direct.slice(REF_PREFIX.length);
}

/** `io.k8s.api.core.v1.PodSpec` → `PodSpec`; a version other than v1 is kept as a suffix (`V1beta1`). */
function typeName(component: string): string {
  const parts = component.split('.');
  const name = parts[parts.length - 1] ?? component;
  const version = parts[parts.length - 2] ?? '';
  if (/^v\d+(alpha|beta)\d+$/.test(version))
    return `${name}${version.charAt(0).toUpperCase()}${version.slice(1)}`;
  return name;
}

class Generator {
  private readonly names = new Map<string, string>();
  private readonly byName = new Map<string, string>();
  private readonly pending: string[] = [];
  private readonly written = new Set<string>();
  readonly declarations: string[] = [];

  constructor(private readonly components: ReadonlyMap<string, JsonSchema>) {}

  /** The TypeScript name of a component, checked unique across the file. */
  private nameOf(component: string): string {
    const known = this.names.get(component);
    if (known !== undefined) return known;
    const name = typeName(component);
    const other = this.byName.get(name);
    if (other !== undefined && other !== component)
      throw new K8sBindingError(`${component} and ${other} would both be bound as ${name}`);
    this.names.set(component, name);
    this.byName.set(name, component);
    return name;
  }

  /** Claims a name for a generated declaration that is not a component (the kinds' props and classes). */
  claim(name: string, owner: string): void {
    const other = this.byName.get(name);
    if (other !== undefined)
      throw new K8sBindingError(`${owner} and ${other} would both be bound as ${name}`);
    this.byName.set(name, owner);
  }

  private component(component: string): JsonSchema {
    const schema = this.components.get(component);
    if (schema === undefined)
      throw new K8sBindingError(`$ref to a component no pinned document has: ${component}`);
    return schema;
  }

  /** How a component is bound; object components are queued for an interface and its `toJson_`. */
  private refBinding(component: string): Binding {
    const valueClass = VALUE_CLASSES[component];
    if (valueClass !== undefined) return { type: valueClass, json: (v) => `${v}?.value` };
    const schema = this.component(component);
    if (schema.properties === undefined) return this.binding(schema, component);
    const name = this.nameOf(component);
    if (!this.written.has(component)) {
      this.written.add(component);
      this.pending.push(component);
    }
    return { type: name, json: (v) => `toJson_${name}(${v})` };
  }

  /** How a schema node is bound; `where` names it in errors. */
  binding(schema: JsonSchema, where: string): Binding {
    const ref = refOf(schema);
    if (ref !== undefined) return this.refBinding(ref);
    switch (schema.type) {
      case 'string':
        return { type: 'string' };
      case 'integer':
      case 'number':
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'array': {
        if (schema.items === undefined) throw new K8sBindingError(`${where}: an array without items`);
        const item = this.binding(schema.items, where);
        const json = item.json;
        return {
          type: `${/[ |]/.test(item.type) ? `(${item.type})` : item.type}[]`,
          ...(json === undefined ? {} : { json: (v: string) => `${v}?.map((y) => ${json('y')})` }),
        };
      }
      case 'object': {
        if (schema.properties !== undefined)
          throw new K8sBindingError(`${where}: an inline object with properties (only components have them)`);
        const additional = schema.additionalProperties;
        if (typeof additional !== 'object') return { type: '{ [key: string]: unknown }' };
        const value = this.binding(additional, where);
        const json = value.json;
        return {
          type: `{ [key: string]: ${value.type} }`,
          json: (v) => (json === undefined ? `compactMap(${v})` : `compactMap(${v}, (y) => ${json('y')})`),
        };
      }
      default:
        throw new K8sBindingError(`${where}: no binding for ${JSON.stringify(schema)}`);
    }
  }

  /** Writes the interface and `toJson_` of a props type from its properties. */
  writeProps(name: string, schema: JsonSchema, where: string, skip: ReadonlySet<string> = new Set()): void {
    const required = new Set(schema.required ?? []);
    const fields: string[] = [];
    const members: string[] = [];
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (skip.has(key)) continue;
      if (!IDENTIFIER.test(key)) throw new K8sBindingError(`${where}.${key}: not an identifier`);
      const binding = this.binding(child, `${where}.${key}`);
      fields.push(`  readonly ${key}${required.has(key) ? '' : '?'}: ${binding.type};`);
      members.push(`    ${key}: ${binding.json === undefined ? `obj.${key}` : binding.json(`obj.${key}`)},`);
    }
    this.declarations.push(
      [`/** \`${where}\`. */`, `export interface ${name} {`, ...fields, '}'].join('\n'),
      [
        `/** {@link ${name}} as JSON: value classes to their value, \`undefined\` members dropped. */`,
        `export function toJson_${name}(obj: ${name} | undefined): Record<string, unknown> | undefined {`,
        '  if (obj === undefined) return undefined;',
        '  return compact({',
        ...members,
        '  });',
        '}',
      ].join('\n'),
    );
  }

  /** Writes every queued component (and what they reach), each once. */
  drain(): void {
    for (let component = this.pending.shift(); component !== undefined; component = this.pending.shift()) {
      this.writeProps(this.nameOf(component), this.component(component), component);
    }
  }
}

function kindClass(kind: string, apiVersion: string, propsOptional: boolean): string {
  const className = `Kube${kind}`;
  const param = `props: ${className}Props${propsOptional ? ' = {}' : ''}`;
  return [
    `/** \`${apiVersion}\` ${kind}. */`,
    `export class ${className} extends ApiObject {`,
    `  public static readonly GVK: GroupVersionKind = { apiVersion: '${apiVersion}', kind: '${kind}' };`,
    '',
    '  /** The object as a plain manifest, without a construct scope. */',
    `  public static manifest(${param}): Record<string, unknown> {`,
    `    return { ...${className}.GVK, ...toJson_${className}Props(props) };`,
    '  }',
    '',
    `  public constructor(scope: Construct, id: string, ${param}) {`,
    `    super(scope, id, { ...${className}.GVK, ...props });`,
    '  }',
    '',
    '  /** The resolved object through its binding, as Kubernetes JSON. */',
    '  public override toJson(): Record<string, unknown> {',
    `    return { ...${className}.GVK, ...toJson_${className}Props(super.toJson() as ${className}Props) };`,
    '  }',
    '}',
  ].join('\n');
}

const RUNTIME = `/** A Kubernetes quantity (\`512Mi\`, \`250m\`, \`2\`): serialized as its value. */
export class Quantity {
  public static fromString(value: string): Quantity {
    return new Quantity(value);
  }

  public static fromNumber(value: number): Quantity {
    return new Quantity(value);
  }

  private constructor(public readonly value: string | number) {}
}

/** An int-or-string field (a port number or name, a percentage): serialized as its value. */
export class IntOrString {
  public static fromString(value: string): IntOrString {
    return new IntOrString(value);
  }

  public static fromNumber(value: number): IntOrString {
    return new IntOrString(value);
  }

  private constructor(public readonly value: string | number) {}
}

/** The object without its \`undefined\` members. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) if (object[key] !== undefined) result[key] = object[key];
  return result;
}

/** A map without its \`undefined\` values, each value converted. */
function compactMap<T>(
  map: { readonly [key: string]: T } | undefined,
  convert: (value: T) => unknown = (value) => value,
): Record<string, unknown> | undefined {
  if (map === undefined) return undefined;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value !== undefined) result[key] = convert(value);
  }
  return result;
}`;

/**
 * `manifests/imports/k8s.ts` for the given derived OpenAPI documents (only the kinds in
 * `kinds`), unformatted (the caller runs Prettier).
 */
export function k8sBindings(
  documents: readonly DerivedOpenApi[],
  kinds: readonly string[] = K8S_BINDING_KINDS,
): BindingFile {
  const components = new Map<string, JsonSchema>();
  for (const document of documents) {
    for (const [name, schema] of Object.entries(document.components)) {
      const known = components.get(name);
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema))
        throw new K8sBindingError(`${name} differs between the pinned documents (${document.source.path})`);
      components.set(name, schema);
    }
  }
  const generator = new Generator(components);
  const classes: string[] = [];
  const sources = new Set<string>();
  for (const wanted of kinds) {
    const [apiVersion, kind] = wanted.split(' ');
    const document = documents.find((d) => d.apiVersion === apiVersion);
    const entry = document?.kinds[kind ?? ''];
    if (document === undefined || entry === undefined || kind === undefined)
      throw new K8sBindingError(`no pinned Kubernetes document defines ${wanted}`);
    sources.add(document.source.path);
    const schema = components.get(entry.component);
    if (schema?.properties === undefined) throw new K8sBindingError(`${entry.component} has no properties`);
    const className = `Kube${kind}`;
    generator.claim(className, wanted);
    generator.claim(`${className}Props`, wanted);
    generator.writeProps(`${className}Props`, schema, entry.component, NOT_PROPS);
    const optional = !(schema.required ?? []).some((key) => !NOT_PROPS.has(key));
    classes.push(kindClass(kind, apiVersion ?? '', optional));
  }
  generator.drain();
  const header = [
    '// Generated by `npm run schemas` (the way `cdk8s import k8s` does) from the pinned Kubernetes OpenAPI',
    ...[...sources].sort().map((path) => `//   ${path}`),
    '// Do not edit: change schemas.lock.json or K8S_BINDING_KINDS (validation/k8s-bindings.ts) and regenerate.',
    "import { ApiObject, type GroupVersionKind } from 'cdk8s';",
    "import type { Construct } from 'constructs';",
  ].join('\n');
  return {
    file: K8S_BINDING_FILE,
    source: `${header}\n\n${[...classes, RUNTIME, ...generator.declarations].join('\n\n')}\n`,
  };
}
