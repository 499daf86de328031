// @ts-check
/**
 * Precompiles the CLI: every `scripts/*.ts` becomes one bundled CommonJS file under
 * `.build/<key>/` (the dispatcher `cli.js` loads a verb's bundle only when that verb runs), with
 * its dependencies inlined, so a command starts without transpiling TypeScript or resolving
 * thousands of module files. `<key>` is a digest of every input (the project sources the
 * bundles are made of, package.json, the lock files, this file); `.build/current.json` records
 * it with each input's size and mtime, which is how `bin/launch.js` tells a stale build.
 *
 * The bundles are esbuild's output for the project's own sources and its dependencies as
 * published: no plugin here loads, rewrites or replaces a file under node_modules (DESIGN
 * Decision 17; `test/bin/no-patches.test.ts`). Upgrading a dependency is a version bump.
 *
 * `node bin/build.js` builds (npm's `prepare` runs it at `npm ci`, then `warm-cache`).
 */
'use strict';

const { createHash } = require('node:crypto');
const {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.build');
const STAMP = path.join(BUILD_DIR, 'current.json');
/** Builds kept besides the current one (a process that started on an older one may still load from it). */
const KEEP = 2;
/** Files that shape every bundle besides the sources esbuild reports. */
const FIXED_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'bin/build.js'];
/** Loaded at run time from node_modules rather than bundled (dev tools, loaded by one verb each). */
const EXTERNAL = ['esbuild', 'prettier', 'tsx', 'vitest'];

/**
 * @typedef {{ key: string, dir: string, inputs: [string, number, number][] }} Stamp
 *   `inputs`: [path relative to the root, size, mtimeMs] of every input.
 */

/** @param {string} file */
function relativePath(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/**
 * The digest of the inputs' contents (paths included), i.e. the build key.
 * @param {readonly string[]} inputs paths relative to the root
 */
function digest(inputs) {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort()) {
    hash.update(`${input}\0`);
    const file = path.join(ROOT, input);
    hash.update(existsSync(file) ? readFileSync(file) : '<missing>');
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * [path, size, mtimeMs] of each input (-1 for a missing file).
 * @param {readonly string[]} inputs
 * @returns {[string, number, number][]}
 */
function statInputs(inputs) {
  return [...inputs].sort().map((input) => {
    const stat = statSync(path.join(ROOT, input), { throwIfNoEntry: false });
    return /** @type {[string, number, number]} */ ([input, stat?.size ?? -1, stat?.mtimeMs ?? -1]);
  });
}

/**
 * Rewrites `__dirname`/`__filename` in project sources to the source file's own location, so
 * code that finds files next to itself (config/outputs, the derived schemas) behaves the same
 * bundled as it does under tsx or vitest.
 * @type {import('esbuild').Plugin}
 */
const sourcePaths = {
  name: 'source-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const file = relativePath(args.path);
      const dir = file.split('/').slice(0, -1).join('/');
      const contents = readFileSync(args.path, 'utf8')
        .replace(/(?<![\w$.])__dirname(?![\w$])/g, `__emrPath(${JSON.stringify(dir)})`)
        .replace(/(?<![\w$.])__filename(?![\w$])/g, `__emrPath(${JSON.stringify(file)})`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * In `scripts/cli.ts`, `import('./<verb>.js')` becomes a plain run-time `require` of that verb's
 * own bundle (not an ES module import, which would make Node parse the whole bundle for its
 * exports): a command loads only its own code.
 * @type {import('esbuild').Plugin}
 */
const verbBundles = {
  name: 'verb-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
      if (args.namespace === 'verb') return { path: args.path, external: true };
      if (args.kind !== 'dynamic-import' || relativePath(args.importer) !== 'scripts/cli.ts')
        return undefined;
      return { path: args.path, namespace: 'verb' };
    });
    build.onLoad({ filter: /.*/, namespace: 'verb' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** The root-relative bundle banner: where the project is, seen from `.build/<key>/`. */
const BANNER = [
  '"use strict";',
  'const __emrRoot = require("node:path").resolve(__dirname, "..", "..");',
  'const __emrPath = (p) => require("node:path").join(__emrRoot, p);',
].join('\n');

/** Every `scripts/*.ts` is an entry point: the verbs, the dispatcher, the CDKTF app, the bench child. */
function entryPoints() {
  const scripts = path.join(ROOT, 'scripts');
  return Object.fromEntries(
    readdirSync(scripts)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => [name.slice(0, -3), path.join(scripts, name)]),
  );
}

/** The current stamp, or undefined when there is none (or it cannot be read). @returns {Stamp | undefined} */
function readStamp() {
  try {
    /** @type {unknown} */
    const parsed = JSON.parse(readFileSync(STAMP, 'utf8'));
    const stamp = /** @type {Stamp} */ (parsed);
    return typeof stamp.key === 'string' && Array.isArray(stamp.inputs) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** @param {Stamp} stamp */
function writeStamp(stamp) {
  mkdirSync(BUILD_DIR, { recursive: true });
  const temporary = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stamp)}\n`);
  renameSync(temporary, STAMP);
}

/**
 * Removes finished builds other than `keep` and the newest {@link KEEP}, and temporary folders
 * of builds that died more than ten minutes ago.
 * @param {string} keep
 */
function prune(keep) {
  const builds = readdirSync(BUILD_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== keep)
    .map((entry) => ({ name: entry.name, time: statSync(path.join(BUILD_DIR, entry.name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  const finished = builds.filter((b) => !b.name.startsWith('tmp-')).slice(KEEP);
  const abandoned = builds.filter((b) => b.name.startsWith('tmp-') && Date.now() - b.time > 600_000);
  for (const { name } of [...finished, ...abandoned])
    rmSync(path.join(BUILD_DIR, name), { recursive: true, force: true });
}

/**
 * What esbuild is asked to build: one CommonJS bundle per entry point into `outdir`.
 * @param {string} outdir
 */
function bundleOptions(outdir) {
  return /** @satisfies {import('esbuild').BuildOptions} */ ({
    entryPoints: entryPoints(),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [sourcePaths, verbBundles],
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    // Less source to read and smaller constant pools in the code cache: some 25 ms per start.
    // Names are kept (no identifier minification), so messages and `constructor.name` hold.
    minifyWhitespace: true,
    minifySyntax: true,
  });
}

/**
 * Bundles the CLI into `.build/<key>/` and makes it current. Concurrent builds are safe: each
 * writes its own temporary folder and renames it; the first rename wins, an identical one is
 * discarded.
 * @returns {Promise<Stamp>}
 */
async function build() {
  /** @type {typeof import('esbuild')} */
  const esbuild = require('esbuild');
  mkdirSync(BUILD_DIR, { recursive: true });
  const temporary = path.join(BUILD_DIR, `tmp-${process.pid}-${Date.now()}`);
  let result;
  try {
    result = await esbuild.build(bundleOptions(temporary));
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    const failure = /** @type {{ errors?: import('esbuild').Message[] }} */ (error);
    const first = failure.errors?.[0];
    const where = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column}: `
      : '';
    throw new Error(`build failed: ${where}${first?.text ?? String(error)}`);
  }
  // Dependencies are covered by the lock files (node_modules may be a link: `../x/node_modules/…`).
  const sources = Object.keys(result.metafile.inputs).filter(
    (input) => !input.split('/').includes('node_modules'),
  );
  const inputs = [...new Set([...sources, ...FIXED_INPUTS])];
  const key = digest(inputs);
  const dir = path.join(BUILD_DIR, key);
  if (existsSync(dir)) rmSync(temporary, { recursive: true, force: true });
  else {
    try {
      renameSync(temporary, dir);
    } catch {
      // Another process built the same key first.
      rmSync(temporary, { recursive: true, force: true });
    }
  }
  const stamp = { key, dir: relativePath(dir), inputs: statInputs(inputs) };
  writeStamp(stamp);
  prune(key);
  return stamp;
}

/**
 * The current build when it is fresh: every input has the size and mtime recorded, or (touched
 * but unchanged) the same content digest.
 * @returns {Stamp | undefined}
 */
function freshBuild() {
  const stamp = readStamp();
  if (stamp === undefined || !existsSync(path.join(ROOT, stamp.dir))) return undefined;
  let touched = false;
  for (const [input, size, mtime] of stamp.inputs) {
    const stat = statSync(path.join(ROOT, input), { throwIfNoEntry: false });
    if ((stat?.size ?? -1) !== size) return undefined;
    if ((stat?.mtimeMs ?? -1) !== mtime) touched = true;
  }
  if (!touched) return stamp;
  const inputs = stamp.inputs.map(([input]) => input);
  if (digest(inputs) !== stamp.key) return undefined;
  const refreshed = { ...stamp, inputs: statInputs(inputs) };
  writeStamp(refreshed);
  return refreshed;
}

module.exports = { ROOT, BUILD_DIR, build, bundleOptions, freshBuild };

if (require.main === module) {
  const started = performance.now();
  build().then(
    (stamp) => {
      process.stderr.write(`build: ${stamp.dir} (${Math.round(performance.now() - started)} ms)\n`);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
