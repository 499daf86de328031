/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { type KindCorpus, edit, nearMiss, NODE_CLASS } from '../../../test/validation/corpus';

/**
 * The EC2NodeClass corpus: its pinned schema's patterns and CEL rules. The kind has no rules of
 * its own beyond them; its RAID0 policy is judged from the pod templates that use it, in
 * `kinds/pod-template/`.
 */
export const ec2NodeClassCorpus: KindCorpus = {
  kind: 'EC2NodeClass',
  mustCatch: [
    edit(NODE_CLASS, 'cel', 'both role and instanceProfile', (o) => {
      o.spec.instanceProfile = 'KarpenterNodeInstanceProfile';
    }),
    edit(NODE_CLASS, 'schema.pattern', 'volumeSize 100GB', (o) => {
      o.spec.blockDeviceMappings[0].ebs.volumeSize = '100GB';
    }),
    edit(NODE_CLASS, 'cel', 'alias with another AMI term', (o) => {
      o.spec.amiSelectorTerms.push({ id: 'ami-0123456789abcdef0' });
    }),
    edit(NODE_CLASS, 'cel', 'restricted kubernetes.io/cluster tag', (o) => {
      o.spec.tags['kubernetes.io/cluster/emr-eks-karpenter'] = 'owned';
    }),
  ],
  nearMiss: [
    nearMiss(NODE_CLASS, 'volumeSize 200Gi', (o) => {
      o.spec.blockDeviceMappings[0].ebs.volumeSize = '200Gi';
    }),
  ],
};
