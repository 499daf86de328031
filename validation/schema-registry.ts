import Ajv, { type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { ValidatorCache } from './validator-cache';
import { addGoRuleKeyword, attachGoRules } from './go-rules';
import { strictSchema, type JsonSchema } from './json-schema';
import {
  assertSchemaPresent,
  readLock,
  readLockedSchema,
  schemaDir,
  type LockedSchema,
} from './schema-files';

/** Everything the validator knows about one `apiVersion`/`kind`. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The strict structural schema (for a CRD, the one whose nodes carry the CEL rules). */
  readonly schema: JsonSchema;
  /** Compiled on first use, then cached. */
  readonly validate: ValidateFunction;
  /** The locked file it comes from. */
  readonly source: string;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: Gvk }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

interface CustomResourceDefinition {
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema: JsonSchema } }[];
  };
}

const CORE_DOCUMENT = 'v1';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function apiVersionOf(gvk: Gvk): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/**
 * The pinned upstream schemas, loaded and compiled lazily: a document is parsed the first time
 * one of its kinds is looked up, and each kind's validator is compiled once. Large schemas that
 * nothing uses (ApplicationSet) cost nothing.
 */
export class SchemaRegistry {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    validateFormats: false,
    code: { source: true },
  });
  private readonly sources = new Map<string, LockedSchema>();
  private readonly loadedDocuments = new Map<
    string,
    ReadonlyMap<string, { ref: string; namespaced: boolean }>
  >();
  private readonly kinds = new Map<string, KindSchema | undefined>();

  constructor(
    private readonly dir: string = schemaDir(),
    lock: readonly LockedSchema[] = readLock(),
    private readonly cache: ValidatorCache | undefined = ValidatorCache.default(),
  ) {
    addGoRuleKeyword(this.ajv);
    for (const entry of lock) for (const definition of entry.defines) this.sources.set(definition, entry);
  }

  /** The schema of `apiVersion`/`kind`, or undefined when no pinned schema defines it. */
  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    const key = `${apiVersion} ${kind}`;
    if (!this.kinds.has(key)) this.kinds.set(key, this.load(apiVersion, kind));
    return this.kinds.get(key);
  }

  /** Every `apiVersion` the lock knows, for error messages. */
  knownApiVersions(): string[] {
    return [
      ...new Set([...this.sources.keys()].map((definition) => definition.split(' ')[0] ?? definition)),
    ].sort();
  }

  private load(apiVersion: string, kind: string): KindSchema | undefined {
    const crd = this.sources.get(`${apiVersion} ${kind}`);
    const source = crd ?? this.sources.get(apiVersion);
    if (source === undefined) return undefined;
    assertSchemaPresent(source, this.dir);
    const core = this.sources.get(CORE_DOCUMENT);
    const key = [apiVersion, kind, source.blob, crd !== undefined ? core?.blob : ''];
    const cached = this.cache?.read(key, source.path);
    if (cached !== undefined) return { apiVersion, kind, ...cached };
    const built =
      crd !== undefined
        ? this.loadCustomResource(crd, apiVersion, kind)
        : this.loadBuiltin(source, apiVersion, kind);
    if (built !== undefined) this.cache?.write(key, this.ajv, built);
    return built;
  }

  private loadBuiltin(document: LockedSchema, apiVersion: string, kind: string): KindSchema | undefined {
    const found = this.builtinKinds(document).get(kind);
    if (found === undefined) return undefined;
    const schema: JsonSchema = { $ref: found.ref };
    return {
      apiVersion,
      kind,
      namespaced: found.namespaced,
      schema,
      validate: this.ajv.compile(schema),
      source: document.path,
    };
  }

  private loadCustomResource(entry: LockedSchema, apiVersion: string, kind: string): KindSchema {
    const crd = load(readLockedSchema(entry, this.dir)) as CustomResourceDefinition;
    const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}` === apiVersion);
    const root = version?.schema?.openAPIV3Schema;
    if (root === undefined) throw new Error(`${entry.path} has no schema for ${apiVersion}`);
    const strict = strictSchema(root);
    // A CRD schema says only `metadata: {type: object}`; the API server checks ObjectMeta itself.
    const core = this.sources.get(CORE_DOCUMENT);
    if (core !== undefined) {
      this.builtinKinds(core);
      strict.properties = {
        ...strict.properties,
        metadata: { $ref: `${CORE_DOCUMENT}#/components/schemas/${OBJECT_META}` },
      };
    }
    return {
      apiVersion,
      kind,
      namespaced: crd.spec.scope === 'Namespaced',
      schema: strict,
      validate: this.ajv.compile(strict),
      source: entry.path,
    };
  }

  /** Loads a Kubernetes OpenAPI document into ajv once; returns its kinds. */
  private builtinKinds(entry: LockedSchema): ReadonlyMap<string, { ref: string; namespaced: boolean }> {
    const id = entry.defines[0] ?? entry.path;
    const loaded = this.loadedDocuments.get(id);
    if (loaded !== undefined) return loaded;
    const document = JSON.parse(readLockedSchema(entry, this.dir)) as OpenApiDocument;
    const schemas = Object.fromEntries(
      Object.entries(document.components.schemas).map(([name, schema]) => [name, strictSchema(schema)]),
    );
    attachGoRules(schemas);
    this.ajv.addSchema({ $id: id, components: { schemas } });
    const namespacedKinds = new Map<string, boolean>();
    for (const [path, operations] of Object.entries(document.paths)) {
      const post = operations.post;
      const gvk = post?.['x-kubernetes-group-version-kind'];
      if (post?.['x-kubernetes-action'] !== 'post' || gvk === undefined) continue;
      namespacedKinds.set(gvk.kind, path.includes('/namespaces/{namespace}/'));
    }
    const kinds = new Map<string, { ref: string; namespaced: boolean }>();
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      if (!name.startsWith('io.k8s.api.')) continue;
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        if (apiVersionOf(gvk) !== id) continue;
        // Kinds without a create endpoint (Pod templates are checked as Pods) are namespaced.
        kinds.set(gvk.kind, {
          ref: `${id}#/components/schemas/${name}`,
          namespaced: namespacedKinds.get(gvk.kind) ?? true,
        });
      }
    }
    this.loadedDocuments.set(id, kinds);
    return kinds;
  }
}
