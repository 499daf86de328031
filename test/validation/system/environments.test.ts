import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../config/schema';
import { renderArgoCd } from '../../../argocd/render';
import { withSyncWaves } from '../../../argocd/sync-waves';
import { renderManifests } from '../../../manifests/render';
import { formatFinding } from '../../../validation/findings';
import { validateSet, type SourceDocument } from '../../../validation/validate';
import { ENVIRONMENTS } from '../../argocd/helpers';
import { SAMPLE_OUTPUTS } from '../../helpers/manifests';
import { environmentModel } from '../../helpers/model';
import { synthStacks } from '../../helpers/terraform';
import { defaultSet, findings as seedFindings } from '../helpers';

/** The system models' rules (validation/system/). */
const SYSTEM_RULES = /^(system\.|helm\.)/;

function findings(env: Environment): string[] {
  const model = environmentModel(env, SAMPLE_OUTPUTS);
  const apps = withSyncWaves(renderManifests(model));
  const documents: SourceDocument[] = [
    ...apps.flatMap((app) =>
      app.objects.map(({ path, object }) => ({ file: `${env.name}/k8s/${path}`, object })),
    ),
    ...renderArgoCd(model, apps).map(({ path, object }) => ({ file: `${env.name}/argocd/${path}`, object })),
  ];
  const stacks = synthStacks(env);
  return validateSet({
    documents,
    terraform: Object.values(stacks),
    terraformFiles: Object.keys(stacks).map((stack) => `${env.name}/terraform/${stack}/cdk.tf.json`),
  })
    .filter((f) => SYSTEM_RULES.test(f.rule))
    .map(formatFinding);
}

describe('the system models on every environment the tests know', () => {
  it('the seed fixture validates clean, every rule included', () => {
    expect(seedFindings(defaultSet()).map(formatFinding)).toEqual([]);
  });

  it.each(ENVIRONMENTS.map((env) => [env.name, env] as const))(
    'environment %s is one consistent system',
    (_name, env) => {
      expect(findings(env)).toEqual([]);
    },
  );
});
