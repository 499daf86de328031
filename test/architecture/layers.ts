import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { sourceFiles } from './import-graph';

/**
 * The layers of the project and the folders each may import from (decision 17,
 * docs/architecture.md). Arrows point one way: config → model → renderers → pipeline, with
 * lib/ under everything; the validator and the review read rendered files, not the code that
 * renders them, so they stand beside the chain on lib/ alone. Within the renderers, Argo CD's
 * objects describe the manifests' apps, and Terraform installs what both configure.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  config: ['lib'],
  model: ['lib', 'config'],
  manifests: ['lib', 'config', 'model'],
  argocd: ['lib', 'config', 'model', 'manifests'],
  cdktf: ['lib', 'config', 'model', 'manifests', 'argocd'],
  validation: ['lib'],
  review: ['lib'],
  pipeline: ['lib', 'config', 'model', 'manifests', 'argocd', 'cdktf', 'validation', 'review'],
  ops: ['lib', 'config', 'model', 'pipeline'],
};

/** One import that points the wrong way. */
export interface LayerViolation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
}

/** Every module a file names: imports and re-exports (type-only ones too), `import()` and `require()`. */
export function importedSpecifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  // Statements start a line; an import written inside a string (generated code) does not.
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
  return [...new Set(found)];
}

/** The layer (top folder) of a repository-relative path, if it is one of {@link LAYERS}. */
function layerOf(path: string): string | undefined {
  const top = path.split('/')[0] ?? '';
  return top in LAYERS ? top : undefined;
}

/** The imports of `sources` (repository-relative path → text) that a layer may not make. */
export function layerViolations(sources: ReadonlyMap<string, string>): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const [file, source] of sources) {
    const from = layerOf(file);
    // A kind's corpus lies beside the kind but is test data: it reads the test helpers.
    if (from === undefined || file.endsWith('.corpus.ts')) continue;
    for (const specifier of importedSpecifiers(source)) {
      if (!specifier.startsWith('.')) continue;
      const target = join(dirname(file), specifier).split(sep).join('/');
      // A layer reaches no folder outside the layers either (scripts/, bin/, test/).
      const to = layerOf(target) ?? target.split('/')[0];
      if (to === from || (to !== undefined && LAYERS[from]?.includes(to))) continue;
      violations.push({ file, imports: target, rule: `${from}/ may import only ${allowed(from)}` });
    }
  }
  return violations;
}

function allowed(layer: string): string {
  const list = LAYERS[layer] ?? [];
  return list.length === 0 ? 'itself' : `itself, ${list.map((l) => `${l}/`).join(', ')}`;
}

/** The project's own sources in the layers, by repository-relative path. */
export function projectLayerSources(root: string): Map<string, string> {
  return new Map(
    sourceFiles(root)
      .map((path) => relative(root, path).split(sep).join('/'))
      .filter((path) => layerOf(path) !== undefined)
      .map((path) => [path, readFileSync(join(root, path), 'utf8')]),
  );
}
