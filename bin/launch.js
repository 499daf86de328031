// @ts-check
/**
 * Runs one precompiled entry point (`.build/<key>/<entry>.js`, see `bin/build.js`) and makes
 * sure it is never stale: when any source the build was made from has changed since, it is
 * rebuilt first (about a second), and when it cannot be rebuilt the command refuses to run.
 */
'use strict';

const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { Script, constants } = require('node:vm');

/** Node's own loader for `import()` in scripts compiled here (undefined before Node 20.12). */
const importModuleDynamically = /** @type {typeof constants | undefined} */ (constants)
  ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
const { build, freshBuild, ROOT } = require('./build');

/**
 * Compiles the bundles in `dir` with V8's code cache (`<bundle>.js.v8`, written when a run
 * finishes, so it holds every function that run compiled): later runs skip parsing and
 * compiling several megabytes of JavaScript. A cache V8 rejects (another Node version) is
 * rewritten; one that cannot be written only costs the next run its compile time.
 * @param {string} dir
 */
function useCodeCache(dir) {
  /** @type {{ script: Script, file: string }[]} */
  const fresh = [];
  /** @typedef {{ exports: unknown }} LoadedModule */
  const prototype =
    /** @type {{ _compile: (this: LoadedModule, content: string, filename: string) => unknown }} */ (
      /** @type {unknown} */ (Module.prototype)
    );
  const compile = prototype._compile;
  prototype._compile = function (content, filename) {
    if (!filename.startsWith(`${dir}${path.sep}`)) return compile.call(this, content, filename);
    const file = `${filename}.v8`;
    /** @type {Buffer | undefined} */
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(Module.wrap(content), {
      filename,
      cachedData,
      // `import()` in a bundle (of a dependency left external) works as under require().
      ...(importModuleDynamically === undefined ? {} : { importModuleDynamically }),
    });
    if (cachedData === undefined || script.cachedDataRejected === true) fresh.push({ script, file });
    /** @type {unknown} */
    const compiled = script.runInThisContext();
    const wrapper = /** @type {(...args: unknown[]) => unknown} */ (compiled);
    return wrapper.call(
      this.exports,
      this.exports,
      Module.createRequire(filename),
      this,
      filename,
      path.dirname(filename),
    );
  };
  process.once('exit', () => {
    for (const { script, file } of fresh) {
      try {
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      } catch {
        // Without a code cache the next run compiles again.
      }
    }
  });
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
  if (process.env.EMR_EKS_GITOPS_NO_CODE_CACHE !== '1') useCodeCache(dir);
  process.argv = [process.argv[0] ?? process.execPath, file, ...args];
  require(file);
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
