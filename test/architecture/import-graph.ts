import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The run-time import graph of the project's own source files: which file loads which, through
 * relative `import … from`, `export … from`, side-effect `import '…'`, `import()` and
 * `require()`. Type-only imports (`import type`, `export type`, or every specifier marked
 * `type`) are erased by the compiler and left out; so are packages (bare specifiers).
 */

/** Folders that hold no project source: dependencies, outputs, caches. */
const SKIP = new Set(['node_modules', 'dist', 'coverage']);
const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** Every source file under `root` (declaration files and dot-folders such as `.build` left out). */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

/** The source without comments (a `//` inside a string on an import line is not expected). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

/** `import … from` / `export … from` with what lies between the keyword and `from`. */
const FROM = /(?:^|[;\s])(import|export)\s+([^'"`;]*?)\s*from\s*['"]([^'"]+)['"]/g;
/** `import './x'` (for its side effects). */
const BARE_IMPORT = /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g;
/** `import('./x')` and `require('./x')` with a literal path (not `typeof import('./x')`, a type). */
const CALL = /(?<!\btypeof\s+)(?:\bimport|\brequire)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Whether an import or export clause exists only for the type checker. */
function typeOnly(clause: string): boolean {
  if (/^type\b/.test(clause)) return true;
  const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (braces === null) return false;
  const specifiers = (braces[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return specifiers.length > 0 && specifiers.every((s) => /^type\s/.test(s));
}

/** The relative specifiers `source` loads at run time, in order of appearance. */
export function runtimeSpecifiers(source: string): string[] {
  const code = withoutComments(source);
  const found: { at: number; specifier: string }[] = [];
  for (const match of code.matchAll(FROM)) {
    const [, , clause = '', specifier = ''] = match;
    if (!typeOnly(clause)) found.push({ at: match.index, specifier });
  }
  for (const pattern of [BARE_IMPORT, CALL]) {
    for (const match of code.matchAll(pattern)) found.push({ at: match.index, specifier: match[1] ?? '' });
  }
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.specifier)
    .filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** The project file a relative specifier names, as Node, tsx and esbuild would find it. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    ...['.ts', '.js', '.mjs', '.cjs'].map((ext) => base + ext),
    base.replace(/\.(m|c)?js$/, '.$1ts'),
    join(base, 'index.ts'),
    join(base, 'index.js'),
  ];
  return candidates.find((candidate) => files.has(candidate));
}

/**
 * The graph over `sources` (path → text): each file's run-time imports among these files.
 * @returns path → the paths it imports
 */
export function importGraph(sources: ReadonlyMap<string, string>): Map<string, string[]> {
  const files = new Set(sources.keys());
  const graph = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const targets = runtimeSpecifiers(source)
      .map((specifier) => resolveSpecifier(file, specifier, files))
      .filter((target): target is string => target !== undefined && target !== file);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The graph of every source file under `root`, with paths relative to it (`/`-separated). */
export function projectImportGraph(root: string): Map<string, string[]> {
  const sources = new Map(sourceFiles(root).map((file) => [file, readFileSync(file, 'utf8')]));
  const name = (file: string) => relative(root, file).split(sep).join('/');
  return new Map(
    [...importGraph(sources)].map(([file, targets]) => [name(file), targets.map(name)] as const),
  );
}

/**
 * The import cycles: every strongly connected set of more than one file (Tarjan's algorithm),
 * each listed from its alphabetically first file along one cycle through it.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => cycleThrough(graph, new Set(component))).sort();
}

/** One cycle inside a strongly connected set, from its first file back to it. */
function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0] ?? '';
  // Breadth-first from the start to the first member that imports it: the shortest cycle.
  const previous = new Map<string, string>([[start, start]]);
  const queue = [start];
  for (const node of queue) {
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0] ?? '') ?? start);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...members];
}
