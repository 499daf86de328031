/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, A, edit } from '../../../test/validation/corpus';

/**
 * The VirtualCluster corpus: its pinned schema and the namespace rule of `cross.ts`.
 */
export const virtualClusterCorpus: KindCorpus = {
  kind: 'VirtualCluster',
  mustCatch: [
    edit(
      `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`,
      'schema.unknown-field',
      'containerProvider.type instead of type_',
      (o) => {
        o.spec.containerProvider.type = o.spec.containerProvider.type_;
        delete o.spec.containerProvider.type_;
      },
    ),
    edit(
      `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`,
      'cross.virtual-cluster-namespace',
      "virtual cluster pointing at another team's namespace",
      (o) => {
        o.spec.containerProvider.info.eksInfo.namespace = 'emr-data-team-b';
      },
    ),
  ],
};
