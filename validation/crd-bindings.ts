import type { JsonSchema } from './json-schema';
import type { DerivedCrd } from './schema-derive';

/**
 * Typed cdk8s bindings generated from the derived CRD schemas, the way `cdk8s import` does it:
 * one file per API group under `manifests/imports/`, one `ApiObject` class per kind with its
 * `GVK` and a static `manifest()`, and a props interface per object in the schema, named by its
 * path (`NodePoolSpecTemplateSpecRequirements`). Two differences, because this project is
 * TypeScript only (no jsii): enums are string-literal unions rather than TypeScript enums, and
 * fields keep their API names (no camelCase renaming, so props are the YAML as it is written).
 * No upstream prose is copied: the interfaces carry no descriptions.
 */

/** The kinds bindings are generated for: those the cdk8s constructs render. */
export const BINDING_KINDS: readonly string[] = [
  'karpenter.sh/v1 NodePool',
  'karpenter.k8s.aws/v1 EC2NodeClass',
  'emrcontainers.services.k8s.aws/v1alpha1 JobRun',
  'emrcontainers.services.k8s.aws/v1alpha1 VirtualCluster',
];

/** One generated file: `manifests/imports/<group>.ts`. */
export interface BindingFile {
  readonly file: string;
  readonly source: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Generates the interfaces of one kind's schema. */
class InterfaceWriter {
  readonly declarations: string[] = [];

  /** `used`: the names already declared in the file. */
  constructor(private readonly used: Set<string>) {}

  /** A name not taken yet in this file. */
  private claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${name}${n}`;
    this.used.add(candidate);
    return candidate;
  }

  /** The TypeScript type of a schema node; object nodes with properties become interfaces. */
  typeOf(schema: JsonSchema, name: string): string {
    if (schema['x-kubernetes-int-or-string'] === true) return 'number | string';
    if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) {
      return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
    }
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (schema.type === undefined && alternatives !== undefined && alternatives.every((a) => a.type)) {
      return [...new Set(alternatives.map((a) => this.typeOf(a, name)))].join(' | ');
    }
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = schema.items === undefined ? 'unknown' : this.typeOf(schema.items, name);
        return `readonly ${/[ |]/.test(item) ? `(${item})` : item}[]`;
      }
      case 'object':
        if (schema.properties !== undefined && Object.keys(schema.properties).length > 0)
          return this.writeInterface(schema, name);
        if (typeof schema.additionalProperties === 'object')
          return `Readonly<Record<string, ${this.typeOf(schema.additionalProperties, name)}>>`;
        return 'Readonly<Record<string, unknown>>';
      default:
        return 'unknown';
    }
  }

  /**
   * Writes `interface <name>` for an object schema and returns the name it got; its fields'
   * interfaces are named `<prefix><Field>` (the kind's props name theirs after the kind).
   */
  writeInterface(schema: JsonSchema, wanted: string, extra: readonly string[] = [], prefix?: string): string {
    const name = this.claim(wanted);
    const required = new Set(schema.required ?? []);
    const fields = [...extra];
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const field = IDENTIFIER.test(key) ? key : JSON.stringify(key);
      const type = this.typeOf(child, `${prefix ?? name}${pascal(key)}`);
      fields.push(`  readonly ${field}${required.has(key) ? '' : '?'}: ${type};`);
    }
    this.declarations.push(`export interface ${name} {\n${fields.join('\n')}\n}`);
    return name;
  }
}

/**
 * The top-level fields of a served version that are the kind's own, as an object schema: all but
 * `apiVersion` and `kind` (fixed by the kind), `metadata` (an ObjectMeta) and `status` (the
 * cluster's), with those of them that are required.
 */
function ownFields(crd: DerivedCrd, version: string): JsonSchema {
  const root = crd.versions[version];
  if (root === undefined) throw new Error(`${crd.source.path} serves no ${version}`);
  const properties = Object.fromEntries(
    Object.entries(root.properties ?? {}).filter(
      ([key]) => !['apiVersion', 'kind', 'metadata', 'status'].includes(key),
    ),
  );
  return { type: 'object', properties, required: (root.required ?? []).filter((key) => key in properties) };
}

/** The classes and interfaces of one kind (one served version, or each with a version suffix). */
function kindBindings(crd: DerivedCrd, version: string, suffix: string, reserved: Set<string>): string[] {
  const className = `${crd.kind}${suffix}`;
  const apiVersion = `${crd.group}/${version}`;
  reserved.add(className);
  const writer = new InterfaceWriter(reserved);
  const fields = ownFields(crd, version);
  const propsName = writer.writeInterface(
    fields,
    `${className}Props`,
    ['  readonly metadata?: ApiObjectMetadata;'],
    className,
  );
  const optional = (fields.required ?? []).length === 0;
  const param = `props: ${propsName}${optional ? ` = {}` : ''}`;
  const declarations = writer.declarations;
  const props = declarations.pop() ?? '';
  const klass = [
    `/** \`${apiVersion}\` ${crd.kind}. */`,
    `export class ${className} extends ApiObject {`,
    `  public static readonly GVK: GroupVersionKind = { apiVersion: '${apiVersion}', kind: '${crd.kind}' };`,
    '',
    '  /** The object as a plain manifest, without a construct scope. */',
    `  public static manifest(${param}): Record<string, unknown> {`,
    `    return { ...${className}.GVK, ...props };`,
    '  }',
    '',
    `  public constructor(scope: Construct, id: string, ${param}) {`,
    `    super(scope, id, { ...${className}.GVK, ...props });`,
    '  }',
    '}',
  ].join('\n');
  return [klass, props, ...declarations];
}

/** The given CRDs that serve a kind of `kinds`, by API group (sorted), with the files they came from. */
function byGroup(
  crds: readonly DerivedCrd[],
  kinds: readonly string[],
): [group: string, members: DerivedCrd[], sources: string[]][] {
  const groups = new Map<string, { crds: DerivedCrd[]; sources: Set<string> }>();
  for (const crd of crds) {
    if (boundVersions(crd, kinds).length === 0) continue;
    let group = groups.get(crd.group);
    if (group === undefined) groups.set(crd.group, (group = { crds: [], sources: new Set() }));
    group.crds.push(crd);
    group.sources.add(crd.source.path);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, { crds: members, sources }]) => [
      group,
      [...members].sort((a, b) => a.kind.localeCompare(b.kind)),
      [...sources].sort(),
    ]);
}

/**
 * One file per API group of the bound kinds: a header naming the pinned sources, the imports,
 * then what `emit` declares for each bound version of each kind (names unique per file).
 */
function groupFiles(
  crds: readonly DerivedCrd[],
  kinds: readonly string[],
  title: string,
  imports: readonly string[],
  emit: (crd: DerivedCrd, version: string, suffix: string, reserved: Set<string>) => string[],
): BindingFile[] {
  return byGroup(crds, kinds).map(([group, members, sources]) => {
    const reserved = new Set<string>();
    const body = members.flatMap((crd) =>
      boundVersions(crd, kinds).flatMap(([version, suffix]) => emit(crd, version, suffix, reserved)),
    );
    const header = [
      title,
      ...sources.map((path) => `//   ${path}`),
      '// Do not edit: change schemas.lock.json and regenerate.',
      ...imports,
    ].join('\n');
    return { file: `${group}.ts`, source: `${header}\n\n${body.join('\n\n')}\n` };
  });
}

/** Each served version of `crd` that `kinds` names, with the suffix its declarations get. */
function boundVersions(crd: DerivedCrd, kinds: readonly string[]): [version: string, suffix: string][] {
  return Object.keys(crd.versions)
    .filter((v) => kinds.includes(`${crd.group}/${v} ${crd.kind}`))
    .map((version, index) => [version, index === 0 ? '' : pascal(version)]);
}

/**
 * The binding files for the given derived CRDs (only the kinds in {@link BINDING_KINDS}), one
 * per API group, unformatted (the caller runs Prettier).
 */
export function crdBindings(
  crds: readonly DerivedCrd[],
  kinds: readonly string[] = BINDING_KINDS,
): BindingFile[] {
  return groupFiles(
    crds,
    kinds,
    '// Generated by `npm run schemas` (the way `cdk8s import` does) from the pinned CRDs',
    [
      "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
      "import type { Construct } from 'constructs';",
    ],
    kindBindings,
  );
}

/**
 * The validator's view of one kind: the whole object as its pinned schema accepts it (`apiVersion`
 * and `kind` fixed, `metadata` an ObjectMeta, which the registry checks CRD metadata against), and
 * the same field interfaces as the construct binding, so the two read alike.
 */
function kindTypes(crd: DerivedCrd, version: string, suffix: string, reserved: Set<string>): string[] {
  const name = `${crd.kind}${suffix}`;
  const writer = new InterfaceWriter(reserved);
  writer.writeInterface(ownFields(crd, version), name, [
    `  readonly apiVersion: '${crd.group}/${version}';`,
    `  readonly kind: '${crd.kind}';`,
    '  readonly metadata?: ObjectMeta;',
  ]);
  const declarations = writer.declarations;
  const object = declarations.pop() ?? '';
  return [
    `/** \`${crd.group}/${version}\` ${crd.kind}, as its pinned schema accepts it. */\n${object}`,
    ...declarations,
  ];
}

/**
 * The validator's types for the same kinds, one file per API group under `validation/bindings/`,
 * unformatted: interfaces only (no cdk8s, nothing at run time), so `validation/` narrows an
 * object its schema accepted to its kind's type without importing a renderer.
 */
export function crdTypes(
  crds: readonly DerivedCrd[],
  kinds: readonly string[] = BINDING_KINDS,
): BindingFile[] {
  return groupFiles(
    crds,
    kinds,
    '// Generated by `npm run schemas` from the pinned CRDs',
    ["import type { ObjectMeta } from '../object-meta';"],
    kindTypes,
  );
}
