import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run';
import { sourceFiles } from './import-graph';

/**
 * No project file reaches into another package's internal files (issue 20): a package is
 * imported by its name, or by a subpath its `package.json` `exports` publishes. A package that
 * publishes no `exports` is imported by its name only, except the entry points below that its
 * own documentation names. An internal path (`cdk8s-plus-27/lib/imports/k8s`) is whatever file
 * layout that version happened to ship: an upgrade moves it without notice. Type-only imports
 * count too (they break the typecheck on the same upgrade).
 */

/** Documented entry points of packages without an `exports` map: package → subpath pattern, why. */
const DOCUMENTED: Readonly<Record<string, { readonly subpath: RegExp; readonly why: string }>> = {
  '@cdktf/provider-aws': {
    subpath: /^lib\/[a-z0-9-]+$/,
    why: 'prebuilt providers publish one module per resource under lib/<resource> (cdktf documents the per-resource import)',
  },
  '@cdktf/provider-helm': {
    subpath: /^lib\/[a-z0-9-]+$/,
    why: 'prebuilt providers publish one module per resource under lib/<resource> (cdktf documents the per-resource import)',
  },
  ajv: {
    subpath: /^dist\/standalone$/,
    why: "ajv documents standalone code generation as 'ajv/dist/standalone'",
  },
};

/** Every package specifier in a source (imports of any kind, type-only included), comments left out. */
export function packageSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
  const patterns = [
    /(?:^|[;\s])(?:import|export)\s+[^'"`;]*?\s*from\s*['"]([^'"]+)['"]/g,
    /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g,
    /(?:\bimport|\brequire)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found: string[] = [];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1] ?? '');
  return found.filter((s) => s !== '' && !s.startsWith('.') && !s.startsWith('/'));
}

/** The package a specifier names and the subpath inside it (`''` for the package itself). */
function splitSpecifier(specifier: string): { pkg: string; subpath: string } {
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  return { pkg: parts.slice(0, size).join('/'), subpath: parts.slice(size).join('/') };
}

/** The subpaths (`./x`, patterns with `*`) a package's `exports` publishes, or undefined without one. */
function exportedSubpaths(manifest: { exports?: unknown }): string[] | undefined {
  const { exports } = manifest;
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string' || Array.isArray(exports)) return ['.'];
  const keys = Object.keys(exports);
  return keys.some((key) => key.startsWith('.')) ? keys : ['.'];
}

function matchesExport(subpath: string, key: string): boolean {
  const wanted = `./${subpath}`;
  const star = key.indexOf('*');
  if (star < 0) return key === wanted;
  const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
  return wanted.length >= key.length - 1 && wanted.startsWith(prefix) && wanted.endsWith(suffix);
}

/**
 * Why a specifier reaches into a package's internals, or undefined when it is public.
 * `manifestOf` reads a package's `package.json` (undefined when it is not installed).
 */
export function internalImport(
  specifier: string,
  manifestOf: (pkg: string) => { exports?: unknown } | undefined,
): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? ''))
    return undefined;
  const { pkg, subpath } = splitSpecifier(specifier);
  if (subpath === '') return undefined;
  const manifest = manifestOf(pkg);
  if (manifest === undefined) return `${pkg} is not installed`;
  const exported = exportedSubpaths(manifest);
  if (exported !== undefined) {
    return exported.some((key) => matchesExport(subpath, key))
      ? undefined
      : `${pkg}'s exports do not publish ./${subpath}`;
  }
  if (DOCUMENTED[pkg]?.subpath.test(subpath) === true) return undefined;
  return `${pkg} publishes no exports map, so ./${subpath} is one of its internal files; import from '${pkg}'`;
}

function installedManifest(pkg: string): { exports?: unknown } | undefined {
  const file = join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { exports?: unknown }) : undefined;
}

describe('imports from other packages', () => {
  it('use only their public entry points in every project file', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const offending: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const specifier of packageSpecifiers(readFileSync(file, 'utf8'))) {
        checked++;
        const why = internalImport(specifier, installedManifest);
        if (why !== undefined)
          offending.push(`${relative(ROOT, file).split(sep).join('/')}: '${specifier}': ${why}`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(offending).toEqual([]);
  });
});

describe('the internal-path check', () => {
  const manifests: Record<string, { exports?: unknown }> = {
    'cdk8s-plus-27': {},
    '@cdktf/provider-aws': {},
    ajv: {},
    zod: { exports: { '.': './index.js', './v4/core': './v4/core/index.js', './v4/locales/*': './l/*.js' } },
    vitest: { exports: { '.': './index.js', './config': './config.js' } },
    yaml: { exports: './index.js' },
  };
  const check = (specifier: string) => internalImport(specifier, (pkg) => manifests[pkg]);

  it('refuses a file path into a package without exports, naming the fix', () => {
    expect(check('cdk8s-plus-27/lib/imports/k8s')).toBe(
      "cdk8s-plus-27 publishes no exports map, so ./lib/imports/k8s is one of its internal files; import from 'cdk8s-plus-27'",
    );
    expect(check('ajv/dist/vocabularies/code')).toMatch(/internal files/);
    expect(check('@cdktf/provider-aws/lib/s3-bucket/index')).toMatch(/internal files/);
  });

  it('refuses a subpath the exports map does not publish, and a package that is not installed', () => {
    expect(check('zod/v4/core/util')).toBe("zod's exports do not publish ./v4/core/util");
    expect(check('yaml/dist/index')).toBe("yaml's exports do not publish ./dist/index");
    expect(check('left-pad/lib/x')).toBe('left-pad is not installed');
  });

  it('allows package names, published subpaths, documented entry points and builtins', () => {
    for (const specifier of [
      'cdk8s-plus-27',
      'vitest/config',
      'zod/v4/core',
      'zod/v4/locales/en',
      '@cdktf/provider-aws',
      '@cdktf/provider-aws/lib/s3-bucket',
      'ajv/dist/standalone',
      'node:fs',
      'fs/promises',
    ])
      expect(check(specifier), specifier).toBeUndefined();
  });

  it('finds specifiers in every kind of import, type-only ones included, outside comments', () => {
    // Built at run time, so the scan of this file does not find the samples.
    const q = (specifier: string) => `'${specifier}'`;
    const source = [
      `import type { A } from ${q('a/lib/x')};`,
      `import { b, type B } from ${q('b/lib/y')};`,
      `const c = require(${q('c/internal')});`,
      `const d = () => import(${q('d/dist/e.js')});`,
      `export * from ${q('e/src')};`,
      `import ${q('./local')};`,
      `// import { f } from ${q('f/lib/g')};`,
      `/** @see import(${q('g/lib/h')}) */`,
    ].join('\n');
    expect(packageSpecifiers(source).sort()).toEqual([
      'a/lib/x',
      'b/lib/y',
      'c/internal',
      'd/dist/e.js',
      'e/src',
    ]);
  });
});
