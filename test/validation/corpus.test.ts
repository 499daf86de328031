import { describe, expect, it } from 'vitest';
import { coreCorpus } from '../../validation/core.corpus';
import { applicationCorpus } from '../../validation/kinds/application/application.corpus';
import { ec2NodeClassCorpus } from '../../validation/kinds/ec2nodeclass/ec2nodeclass.corpus';
import { iamRoleCorpus } from '../../validation/kinds/iam-role/iam-role.corpus';
import { jobRunCorpus } from '../../validation/kinds/jobrun/jobrun.corpus';
import { nodePoolCorpus } from '../../validation/kinds/nodepool/nodepool.corpus';
import { podTemplateCorpus } from '../../validation/kinds/pod-template/pod-template.corpus';
import { podCorpus } from '../../validation/kinds/pod/pod.corpus';
import { serviceAccountCorpus } from '../../validation/kinds/serviceaccount/serviceaccount.corpus';
import { virtualClusterCorpus } from '../../validation/kinds/virtualcluster/virtualcluster.corpus';
import { yunikornQueuesCorpus } from '../../validation/kinds/yunikorn-queues/yunikorn-queues.corpus';
import type { KindCorpus } from './corpus';
import { findings } from './helpers';

/**
 * Every kind's corpus (kept beside the kind, `validation/kinds/<kind>/<kind>.corpus.ts`, and the
 * engine's own beside it, `validation/core.corpus.ts`), run over the seed fixture's default
 * environment: each must-catch case yields its rule on its file, each near miss no finding.
 */
const corpora: readonly KindCorpus[] = [
  coreCorpus,
  nodePoolCorpus,
  ec2NodeClassCorpus,
  podTemplateCorpus,
  podCorpus,
  jobRunCorpus,
  virtualClusterCorpus,
  serviceAccountCorpus,
  iamRoleCorpus,
  yunikornQueuesCorpus,
  applicationCorpus,
];

describe('validator corpus', () => {
  it('has at least 40 broken objects, and no case name twice', () => {
    const names = corpora.flatMap((c) => c.mustCatch.map((m) => m.name));
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  describe.each(corpora.map((c) => [c.kind, c] as const))('%s', (_kind, corpus) => {
    it.each((corpus.nearMiss ?? []).map((c) => [c.name, c] as const))('near miss: %s', (_name, c) => {
      expect(findings(c.set())).toEqual([]);
    });

    it.each(corpus.mustCatch.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const found = findings(c.set());
      const named = (file: string) =>
        c.file instanceof RegExp ? c.file.test(file) : file.endsWith(c.file ?? '');
      const matching = found.filter((f) => f.rule === c.rule && named(f.file));
      expect(matching, JSON.stringify(found, null, 2)).not.toEqual([]);
    });
  });
});
