/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, edit, nearMiss, POOL } from '../../../test/validation/corpus';
import { defaultSet, fileEnding, mutate, type Tree } from '../../../test/validation/helpers';

type Json = Tree;

/**
 * The NodePool corpus: its pinned schema and CEL rules (transition rules against HEAD included),
 * its scope, and the instance-catalog rules of `cross.ts`.
 */
export const nodePoolCorpus: KindCorpus = {
  kind: 'NodePool',
  mustCatch: [
    edit(POOL, 'schema.unknown-field', 'typo in a NodePool field', (o) => {
      o.spec.disruption.consolidateAfer = '120s';
    }),
    edit(POOL, 'schema.pattern', 'consolidateAfter: 1d', (o) => {
      o.spec.disruption.consolidateAfter = '1d';
    }),
    edit(POOL, 'schema.enum', 'the v1beta1 policy WhenUnderutilized', (o) => {
      o.spec.disruption.consolidationPolicy = 'WhenUnderutilized';
    }),
    edit(POOL, 'cel', 'restricted karpenter.sh label', (o) => {
      o.spec.template.metadata.labels['karpenter.sh/custom'] = 'x';
    }),
    edit(POOL, 'cel', 'In without values', (o) => {
      o.spec.template.spec.requirements.push({
        key: 'karpenter.k8s.aws/instance-family',
        operator: 'In',
        values: [],
      });
    }),
    edit(POOL, 'schema.required', 'nodeClassRef without group', (o) => {
      delete o.spec.template.spec.nodeClassRef.group;
    }),
    edit(POOL, 'scope.namespace-forbidden', 'namespace on a NodePool', (o) => {
      o.metadata.namespace = 'karpenter';
    }),
    {
      name: 'NodePool nodeClassRef kind edited against HEAD',
      rule: 'cel.transition',
      file: POOL,
      set: () => {
        const set = defaultSet();
        const changed = mutate(set, fileEnding(set, POOL), (o) => {
          o.spec.template.spec.nodeClassRef.kind = 'OtherNodeClass';
        });
        return { ...changed, previous: set.documents };
      },
    },
    edit(POOL, 'gvk.unknown', 'karpenter.sh/v1beta1', (o) => {
      o.apiVersion = 'karpenter.sh/v1beta1';
    }),
    edit(POOL, 'cross.arch', 'graviton instance types on an amd64 pool', (o) => {
      o.spec.template.spec.requirements
        .find((r: Json) => r.key === 'node.kubernetes.io/instance-type')
        .values.push('r6gd.4xlarge');
    }),
    edit(POOL, 'cross.instance-unknown', 'an instance type the catalog cannot size', (o) => {
      o.spec.template.spec.requirements
        .find((r: Json) => r.key === 'node.kubernetes.io/instance-type')
        .values.push('x9z.large');
    }),
  ],
  nearMiss: [
    nearMiss(POOL, 'consolidateAfter: 1h', (o) => {
      o.spec.disruption.consolidateAfter = '1h';
    }),
  ],
};
