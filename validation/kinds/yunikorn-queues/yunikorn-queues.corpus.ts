/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, edit, QUEUES, queues, teamQueue } from '../../../test/validation/corpus';

/**
 * The YuniKorn queues corpus: `queues.yaml` of the yunikorn-configs ConfigMap (`queues.ts`) and
 * its budgets against the team quotas (`cross.ts`).
 */
export const yunikornQueuesCorpus: KindCorpus = {
  kind: 'YuniKorn queues',
  mustCatch: [
    edit(QUEUES, 'yunikorn.queues-unknown-key', 'queues.yaml with resource: instead of resources:', (o) => {
      queues(o, (c) => {
        const q = teamQueue(c);
        q.resource = q.resources;
        delete q.resources;
      });
    }),
    edit(QUEUES, 'yunikorn.queues-guaranteed-over-max', 'guaranteed above max', (o) => {
      queues(o, (c) => {
        teamQueue(c).resources.guaranteed.vcore = 5000;
      });
    }),
    edit(QUEUES, 'yunikorn.queues-child-over-parent', 'queue children over the parent', (o) => {
      queues(o, (c) => {
        teamQueue(c).queues = [{ name: 'etl', resources: { max: { vcore: 100000 } } }];
      });
    }),
    edit(QUEUES, 'yunikorn.queues-shape', 'queue name with a dot', (o) => {
      queues(o, (c) => {
        teamQueue(c).name = 'team.a';
      });
    }),
    edit(QUEUES, 'cross.queue-budget', 'queue max different from the team budget', (o) => {
      queues(o, (c) => {
        teamQueue(c).resources.max.vcore = 999;
      });
    }),
  ],
};
