import Ajv, { type ValidateFunction } from 'ajv';
import { savedRules, useSavedRules } from './cel-rules';
import { ValidatorCache } from './validator-cache';
import { addGoRuleKeyword, attachGoRules } from './go-rules';
import { strictSchema, type JsonSchema } from './json-schema';
import type { DerivedCrd, DerivedOpenApi } from './schema-derive';
import { DERIVED_DIR, readDerivedSchema, readLock, type LockedSchema } from './schema-files';

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

const CORE_DOCUMENT = 'v1';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * The pinned schemas, as derived into `validation/schemas/` by `npm run schemas`, loaded and
 * compiled lazily: a derived file is parsed the first time one of its kinds is looked up (and
 * not at all when the compiled validator is in the cache), and each kind's validator is
 * compiled once. Large schemas that nothing uses (ApplicationSet) cost nothing.
 */
export class SchemaRegistry {
  /** Made on the first compile: a run whose validators all come from the cache needs none. */
  private compiler: Ajv | undefined;
  private readonly sources = new Map<string, LockedSchema>();
  private readonly loadedDocuments = new Map<string, DerivedOpenApi['kinds']>();
  private readonly kinds = new Map<string, KindSchema | undefined>();
  /** Validators compiled in this process (not loaded from the cache). */
  private compiled = 0;

  constructor(
    /** Where the derived schemas are (the committed `validation/schemas`). */
    private readonly dir: string = DERIVED_DIR,
    lock: readonly LockedSchema[] = readLock(),
    private readonly cache: ValidatorCache | undefined = ValidatorCache.default(),
  ) {
    for (const entry of lock) for (const definition of entry.defines) this.sources.set(definition, entry);
  }

  /** The schema of `apiVersion`/`kind`, or undefined when no pinned schema defines it. */
  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    const key = `${apiVersion} ${kind}`;
    if (!this.kinds.has(key)) this.kinds.set(key, this.load(apiVersion, kind));
    return this.kinds.get(key);
  }

  /**
   * Compiles (or loads from the cache) the validator of every kind the pinned schemas define,
   * so later runs find them all cached. Returns how many kinds there are and how many had to be
   * compiled.
   */
  warm(): { kinds: number; compiled: number } {
    const before = this.compiled;
    let kinds = 0;
    for (const entry of new Set(this.sources.values())) {
      const derived = readDerivedSchema(entry, this.dir);
      const defined =
        derived.type === 'crd'
          ? Object.keys(derived.versions).map((version) => [`${derived.group}/${version}`, derived.kind])
          : Object.keys(derived.kinds).map((kind) => [derived.apiVersion, kind]);
      for (const [apiVersion = '', kind = ''] of defined) {
        if (this.lookup(apiVersion, kind) !== undefined) kinds++;
      }
    }
    return { kinds, compiled: this.compiled - before };
  }

  private get ajv(): Ajv {
    if (this.compiler === undefined) {
      this.compiler = new Ajv({
        strict: false,
        allErrors: true,
        validateFormats: false,
        code: { source: true },
      });
      addGoRuleKeyword(this.compiler);
    }
    return this.compiler;
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
    const core = this.sources.get(CORE_DOCUMENT);
    const key = [apiVersion, kind, source.blob, crd !== undefined ? core?.blob : ''];
    const cached = this.cache?.read(key, source.path);
    if (cached !== undefined) {
      const { cel, ...kindSchema } = cached;
      useSavedRules(cel);
      return { apiVersion, kind, ...kindSchema };
    }
    const built =
      crd !== undefined
        ? this.loadCustomResource(crd, apiVersion, kind)
        : this.loadBuiltin(source, apiVersion, kind);
    if (built !== undefined) {
      this.compiled++;
      this.cache?.write(key, this.ajv, { ...built, cel: savedRules(built.schema) });
    }
    return built;
  }

  private loadBuiltin(document: LockedSchema, apiVersion: string, kind: string): KindSchema | undefined {
    const kinds = this.builtinKinds(document);
    const found = Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
    if (found === undefined) return undefined;
    const schema: JsonSchema = { $ref: `${apiVersion}#/components/schemas/${found.component}` };
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
    const crd = readDerivedSchema(entry, this.dir) as DerivedCrd;
    const version = apiVersion.slice(crd.group.length + 1);
    const root =
      crd.type === 'crd' && Object.hasOwn(crd.versions, version) ? crd.versions[version] : undefined;
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
      namespaced: crd.scope === 'Namespaced',
      schema: strict,
      validate: this.ajv.compile(strict),
      source: entry.path,
    };
  }

  /** Loads a derived Kubernetes OpenAPI document into ajv once; returns its kinds. */
  private builtinKinds(entry: LockedSchema): DerivedOpenApi['kinds'] {
    const id = entry.defines[0] ?? entry.path;
    const loaded = this.loadedDocuments.get(id);
    if (loaded !== undefined) return loaded;
    const document = readDerivedSchema(entry, this.dir) as DerivedOpenApi;
    if (document.type !== 'openapi') throw new Error(`${entry.path} is not an OpenAPI document`);
    const schemas = Object.fromEntries(
      Object.entries(document.components).map(([name, schema]) => [name, strictSchema(schema)]),
    );
    attachGoRules(schemas);
    this.ajv.addSchema({ $id: id, components: { schemas } });
    this.loadedDocuments.set(id, document.kinds);
    return document.kinds;
  }
}
