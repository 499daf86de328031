// @ts-check
/**
 * Runs one precompiled entry point (`.build/<key>/<entry>.js`, see `bin/build.js`) and makes
 * sure it is never stale: when any source the build was made from has changed since, it is
 * rebuilt first (about a second), and when it cannot be rebuilt the command refuses to run.
 */
'use strict';

const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { Script, constants } = require('node:vm');
const { build, freshBuild, ROOT } = require('./build');

/** A bundle's `require('./<entry>.js')`: another bundle of the same build (the dispatcher's verbs). */
const SIBLING = /^\.\/[\w-]+\.js$/;

/**
 * Loads the bundles of one build. Each is compiled with V8's code cache (`<bundle>.js.v8`,
 * written when the run ends, so it holds every function that run compiled): a warm start
 * neither parses nor compiles several megabytes of JavaScript. The bundles are run here, not by
 * Node's module loader: each is wrapped in the CommonJS function this file builds and compiled
 * with `vm.Script`; everything a bundle requires other than a sibling bundle goes to Node's
 * `require`. A cache V8 rejects (another Node version) is rewritten; one that cannot be written
 * only costs the next run its compile time.
 */
class BundleLoader {
  /** @param {boolean} codeCache whether to read and write `<bundle>.js.v8` */
  constructor(codeCache) {
    this.codeCache = codeCache;
    /** @type {Map<string, { exports: unknown }>} */
    this.loaded = new Map();
    /** @type {{ script: Script, file: string }[]} */
    this.uncached = [];
  }

  /**
   * Runs the bundle `file` once and returns its exports.
   * @param {string} file an absolute path
   * @returns {unknown}
   */
  load(file) {
    const known = this.loaded.get(file);
    if (known !== undefined) return known.exports;
    const module = { exports: /** @type {unknown} */ ({}), id: file, filename: file };
    this.loaded.set(file, module);
    const cache = `${file}.v8`;
    const cachedData = this.codeCache ? readIfPresent(cache) : undefined;
    const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
    const script = new Script(source, {
      filename: file,
      cachedData,
      // `import()` in a bundle (of a dependency left external) resolves as it would under require().
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (this.codeCache && (cachedData === undefined || script.cachedDataRejected === true))
      this.uncached.push({ script, file: cache });
    const dir = path.dirname(file);
    const nodeRequire = createRequire(file);
    /** @param {string} id @returns {unknown} */
    const bundleRequire = (id) => (SIBLING.test(id) ? this.load(path.join(dir, id)) : nodeRequire(id));
    /** @type {unknown} */
    const compiled = script.runInThisContext();
    const wrapper = /** @type {(...args: unknown[]) => void} */ (compiled);
    wrapper.call(
      module.exports,
      module.exports,
      Object.assign(bundleRequire, nodeRequire),
      module,
      file,
      dir,
    );
    return module.exports;
  }

  /** Writes the code cache of every bundle that was compiled without one. */
  saveCodeCache() {
    for (const { script, file } of this.uncached) {
      try {
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      } catch {
        // Without a code cache the next run compiles again.
      }
    }
  }
}

/** @param {string} file @returns {Buffer | undefined} */
function readIfPresent(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * @param {string} entry the bundle to run: `cli`, `cdktf-app`, `bench-child`, …
 * @param {readonly string[]} args its arguments (it reads them from `process.argv.slice(2)`)
 */
function launch(entry, args) {
  const stamp = freshBuild();
  if (stamp !== undefined) {
    run(stamp, entry, args);
    return;
  }
  process.stderr.write('emr-eks-gitops: sources changed since the last build; rebuilding .build\n');
  build().then(
    (rebuilt) => run(rebuilt, entry, args),
    (error) => {
      process.stderr.write(
        `emr-eks-gitops: refusing to run a stale build: ${error instanceof Error ? error.message : String(error)} (fix it, then run \`npm run build\`).\n`,
      );
      process.exitCode = 1;
    },
  );
}

/**
 * @param {import('./build').Stamp} stamp
 * @param {string} entry
 * @param {readonly string[]} args
 */
function run(stamp, entry, args) {
  const dir = path.join(ROOT, stamp.dir);
  const file = path.join(dir, `${entry}.js`);
  if (!existsSync(file)) {
    process.stderr.write(
      `emr-eks-gitops: no entry point ${entry} in ${stamp.dir} (entries are the scripts/*.ts files).\n`,
    );
    process.exitCode = 1;
    return;
  }
  const loader = new BundleLoader(process.env.EMR_EKS_GITOPS_NO_CODE_CACHE !== '1');
  process.once('exit', () => loader.saveCodeCache());
  process.argv = [process.argv[0] ?? process.execPath, file, ...args];
  loader.load(file);
}

module.exports = { launch };

// `node bin/launch.js <entry> [args…]`: any other entry point (the bench runs `bench-child` so).
if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (entry === undefined) {
    process.stderr.write(
      'Usage: node bin/launch.js <entry> [args…] (an entry is a scripts/*.ts file name)\n',
    );
    process.exitCode = 1;
  } else launch(entry, args);
}
