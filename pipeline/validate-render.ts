import { relative, resolve } from 'node:path';
import type { Finding } from '../validation/findings';
import { headTree, validationSets } from '../validation/sources';
import { validateSet } from '../validation/validate';

/** What validating a render found. */
export interface RenderValidation {
  readonly findings: readonly Finding[];
  readonly documents: number;
  readonly ms: number;
}

/**
 * Validates a render in memory before anything is written: each environment as one set, with
 * the objects committed at git HEAD under `outDir` as the old side of transition rules. Files
 * are named as they will be in the repository (`dist/<env>/…`).
 */
export function validateRender(
  files: ReadonlyMap<string, string>,
  outDir: string,
  objects: ReadonlyMap<string, unknown> = new Map(),
): RenderValidation {
  const started = performance.now();
  const prefix = relative(process.cwd(), resolve(outDir)).split('\\').join('/') || '.';
  const sets = validationSets(files, headTree(outDir, files), (path) => `${prefix}/${path}`, objects);
  const findings: Finding[] = [];
  let documents = 0;
  for (const set of sets.values()) {
    documents += set.documents.length;
    findings.push(...validateSet(set));
  }
  return { findings, documents, ms: performance.now() - started };
}
