import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { dirname, join } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import type { JsonSchema } from './json-schema';
import { PROJECT_ROOT } from './schema-files';

const loadModule = createRequire(__filename);

/** What the cache keeps of a compiled kind. */
interface CachedKind {
  readonly namespaced: boolean;
  readonly schema: JsonSchema;
  readonly source: string;
  readonly validate: ValidateFunction;
  /** The schema's CEL rules, parsed (rule → expression tree JSON, see `savedRules`). */
  readonly cel: Readonly<Record<string, string>>;
}

/** The files whose content shapes a compiled validator: a change to any of them invalidates the cache. */
const GENERATOR_FILES = [
  'cel-rules.ts',
  'json-schema.ts',
  'go-rules.ts',
  'schema-derive.ts',
  'schema-registry.ts',
  'formats.ts',
  'validator-cache.ts',
];

/** Scripts compiled without a usable code cache in this process: theirs is written at exit. */
const uncached: { script: Script; file: string }[] = [];

/**
 * The function wrapping a cached validator module, compiled with its V8 code cache when there
 * is one. The cache is written when the process exits, so it holds the functions the run used.
 */
function compiledModule(file: string): unknown {
  const codeCache = `${file}.v8`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (module, exports, require) {${readFileSync(file, 'utf8')}\n})`, {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    if (uncached.length === 0) process.once('exit', writeCodeCaches);
    uncached.push({ script, file: codeCache });
  }
  return script.runInThisContext();
}

function writeCodeCaches(): void {
  for (const { script, file } of uncached.splice(0)) {
    try {
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, file);
    } catch {
      // Without a code cache the next run compiles the module again.
    }
  }
}

/**
 * Compiled validators saved as ajv standalone modules in `.cache/validators`, with the kind's
 * CEL rules parsed, keyed by the schema's git blob, the kind, the versions of ajv and the CEL
 * library, and the validator code itself. Compiling the
 * Kubernetes Pod or the Argo CD Application schema takes hundreds of milliseconds; loading the
 * saved module takes a few. A cold cache only costs time; any read or write error is ignored.
 */
export class ValidatorCache {
  private constructor(
    private readonly dir: string,
    private readonly salt: string,
  ) {}

  /** The project's cache, or undefined when `EMR_EKS_GITOPS_NO_CACHE=1`. */
  static default(): ValidatorCache | undefined {
    if (process.env.EMR_EKS_GITOPS_NO_CACHE === '1') return undefined;
    return ValidatorCache.at(join(PROJECT_ROOT, '.cache', 'validators'));
  }

  /** A cache in `dir`. */
  static at(dir: string): ValidatorCache {
    const hash = createHash('sha1');
    hash.update((loadModule('ajv/package.json') as { version: string }).version);
    // @bufbuild/cel exports no package.json: its entry point is dist/cjs/index.js.
    const cel = join(dirname(loadModule.resolve('@bufbuild/cel')), '..', '..', 'package.json');
    hash.update((JSON.parse(readFileSync(cel, 'utf8')) as { version: string }).version);
    for (const file of GENERATOR_FILES) {
      try {
        hash.update(readFileSync(join(__dirname, file)));
      } catch {
        hash.update(file);
      }
    }
    return new ValidatorCache(dir, hash.digest('hex'));
  }

  private file(key: readonly unknown[]): string {
    const digest = createHash('sha1').update(this.salt).update(JSON.stringify(key)).digest('hex');
    return join(this.dir, `${digest}.js`);
  }

  read(key: readonly unknown[], source: string): CachedKind | undefined {
    const file = this.file(key);
    if (!existsSync(file)) return undefined;
    try {
      // An ajv standalone module generated from the pinned schema; it requires only ajv's runtime.
      // Compiled directly (not through require), so no loader hook transforms the large file, and
      // with V8's code cache (`<file>.v8`), so a warm run neither parses nor compiles it.
      const module = { exports: {} };
      const body = compiledModule(file) as (
        module: { exports: object },
        exports: object,
        require: NodeJS.Require,
      ) => void;
      body(module, module.exports, loadModule);
      const saved = module.exports as {
        default?: ValidateFunction;
        kind?: { namespaced: boolean; schema: JsonSchema; cel?: Record<string, string> };
      };
      if (saved.default === undefined || saved.kind === undefined) return undefined;
      return {
        namespaced: saved.kind.namespaced,
        schema: saved.kind.schema,
        source,
        validate: saved.default,
        cel: saved.kind.cel ?? {},
      };
    } catch {
      return undefined;
    }
  }

  write(key: readonly unknown[], ajv: Ajv, kind: CachedKind): void {
    try {
      const code = standaloneCode(ajv, kind.validate);
      const file = this.file(key);
      mkdirSync(this.dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      const meta = JSON.stringify({ namespaced: kind.namespaced, schema: kind.schema, cel: kind.cel });
      // JSON.parse of a string literal is faster for V8 than an object literal this large.
      writeFileSync(temporary, `${code}\nmodule.exports.kind = JSON.parse(${JSON.stringify(meta)});\n`);
      renameSync(temporary, file);
    } catch {
      // A cache that cannot be written only means the next run compiles again.
    }
  }
}
