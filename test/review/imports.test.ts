import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The review modules (the tool's source, not the user's config) and what each imports at run time. */
const REVIEW = join(__dirname, '..', '..', 'review');

function runtimeImports(file: string): string[] {
  const text = readFileSync(join(REVIEW, file), 'utf8');
  const imports: string[] = [];
  for (const [, typeOnly, names, target] of text.matchAll(
    /^import (type )?(\{[^}]*\}|[\w*][^']*) from '\.\/([\w-]+)';$/gm,
  )) {
    // `import type { … }` and `import { type A, type B }` are erased at run time.
    const erased = typeOnly !== undefined || /^\{\s*(type [\w]+,?\s*)+\}$/.test(names ?? '');
    if (!erased && target !== undefined) imports.push(`${target}.ts`);
  }
  return imports;
}

describe('review modules', () => {
  it('import each other without a cycle (the shapes live in model.ts)', () => {
    const files = readdirSync(REVIEW).filter((file) => file.endsWith('.ts'));
    const graph = new Map(files.map((file) => [file, runtimeImports(file)]));
    const cycles: string[] = [];
    const visit = (file: string, path: readonly string[]): void => {
      if (path.includes(file)) {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
    expect(graph.get('warnings.ts')).not.toContain('diff.ts');
    expect(graph.get('model.ts')).toEqual([]);
  });
});
