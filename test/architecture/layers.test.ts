import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run';
import { importedSpecifiers, LAYERS, layerViolations, projectLayerSources } from './layers';

describe('layers', () => {
  it('every import of the project points the way its layer allows', () => {
    const sources = projectLayerSources(ROOT);
    expect(sources.size).toBeGreaterThan(150);
    for (const layer of Object.keys(LAYERS)) {
      expect(
        [...sources.keys()].some((file) => file.startsWith(`${layer}/`)),
        layer,
      ).toBe(true);
    }
    const wrong = layerViolations(sources).map((v) => `${v.file} → ${v.imports}: ${v.rule}`);
    expect(wrong).toEqual([]);
  });
});

describe('the layer check', () => {
  const check = (sources: Record<string, string>) =>
    layerViolations(new Map(Object.entries(sources))).map((v) => `${v.file} → ${v.imports}`);

  it('catches an arrow that points the wrong way, type-only and dynamic imports too', () => {
    for (const line of [
      "import { TeamChart } from '../manifests/charts/team-chart';",
      "import type { K8sApp } from '../manifests/render';",
      "export { objectPath } from '../manifests/render';",
      "const render = () => import('../manifests/render.js');",
      "import {\n  type K8sApp,\n} from '../manifests/render';",
    ]) {
      expect(check({ 'config/x.ts': line }), line).toHaveLength(1);
    }
    expect(check({ 'validation/x.ts': "import { loadPlatform } from '../config/load';" })).toEqual([
      'validation/x.ts → config/load',
    ]);
    expect(check({ 'review/x.ts': "import { asObject } from '../validation/json';" })).toEqual([
      'review/x.ts → validation/json',
    ]);
    expect(check({ 'lib/x.ts': "import { repoRoot } from '../config/repo-root';" })).toHaveLength(1);
    expect(check({ 'model/x.ts': "import { renderPlatform } from '../pipeline/render';" })).toHaveLength(1);
    expect(check({ 'pipeline/x.ts': "import { main } from '../scripts/synth';" })).toHaveLength(1);
  });

  it('lets the allowed arrows, packages, comments and the same layer through', () => {
    expect(
      check({
        'model/x.ts': [
          "import { sha256 } from '../lib/hash';",
          "import type { Team } from '../config/schema';",
          "import { z } from 'zod';",
          "import { y } from './y';",
          "// import { x } from '../pipeline/render';",
          "/** see `import('../pipeline/render')` */",
        ].join('\n'),
        'pipeline/x.ts': "import { renderManifests } from '../manifests/render';",
        'cdktf/x.ts': "import { resourceHealthChecks } from '../argocd/health-checks';",
        'validation/kinds/x/x.corpus.ts': "import { caseOf } from '../../../test/validation/corpus';",
        'validation/generator.ts': `const line = "import type { ObjectMeta } from '../object-meta';";`,
      }),
    ).toEqual([]);
  });

  it('reads every form of import', () => {
    expect(
      importedSpecifiers(
        "import a from './a';\nimport './b';\nexport * from './c';\nconst d = require('./d');\nimport type { E } from './e';",
      ),
    ).toEqual(['./a', './c', './e', './b', './d']);
  });
});
