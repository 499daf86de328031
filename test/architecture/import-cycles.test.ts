import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run';
import { importCycles, importGraph, projectImportGraph, runtimeSpecifiers } from './import-graph';

/**
 * No two project files import each other at run time, directly or through others: a cycle
 * makes load order decide which of them sees the other half-initialised, and keeps layers from
 * pointing one way (issue 20). Every source file counts, tests and `bin/` included.
 */
describe('import cycles', () => {
  it('there are none between the project files', () => {
    const graph = projectImportGraph(ROOT);
    expect(graph.size).toBeGreaterThan(100);
    // The graph sees the imports the cycle check relies on, in .ts and plain CommonJS alike.
    expect(graph.get('scripts/cli.ts')).toEqual(
      expect.arrayContaining(['pipeline/cli.ts', 'scripts/synth.ts']),
    );
    expect(graph.get('bin/emr-eks-gitops.js')).toEqual(['bin/launch.js']);
    expect(importCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

describe('the import graph', () => {
  const graphOf = (sources: Record<string, string>) =>
    importGraph(new Map(Object.entries(sources).map(([file, text]) => [`/p/${file}`, text])));

  it('finds a cycle through every kind of run-time import', () => {
    for (const load of [
      "import { a } from '../a';",
      "import * as a from '../a.js';",
      "import '../a';",
      "export * from '../a';",
      "export { a } from '../a';",
      "const a = require('../a');",
      "const load = () => import('../a.js');",
      "import {\n  a,\n  type A,\n} from '../a';",
    ]) {
      const graph = graphOf({ 'a.ts': "import { b } from './lib/b';", 'lib/b.ts': load });
      expect(importCycles(graph), load).toEqual([['/p/a.ts', '/p/lib/b.ts', '/p/a.ts']]);
    }
  });

  it('names the files of a longer cycle in import order', () => {
    const graph = graphOf({
      'a.ts': "import './b';",
      'b.js': "require('./c');",
      'c.ts': "export { x } from './a';",
      'd.ts': "import './a';",
    });
    expect(importCycles(graph)).toEqual([['/p/a.ts', '/p/b.js', '/p/c.ts', '/p/a.ts']]);
  });

  it('leaves out imports that exist only for the type checker, comments and packages', () => {
    for (const load of [
      "import type { A } from './a';",
      "import { type A, type B } from './a';",
      "export type { A } from './a';",
      "/** @param {typeof import('./a')} x */",
      "type A = typeof import('./a');",
      "// import { a } from './a';",
      "/* require('./a') */",
      "import { a } from 'a';",
    ]) {
      const graph = graphOf({ 'a.ts': "import './b';", 'b.ts': load });
      expect(importCycles(graph), load).toEqual([]);
    }
  });

  it('reads specifiers in order, relative ones only', () => {
    expect(
      runtimeSpecifiers(
        "import { x } from 'node:fs';\nimport { y } from './y';\nconst z = require('../z');\nexport * from './w';",
      ),
    ).toEqual(['./y', '../z', './w']);
  });
});
