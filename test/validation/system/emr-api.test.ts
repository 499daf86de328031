/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus edits rendered trees in place. */
import { editObject, editTerraform, runCorpus, type MustCatch, type NearMiss } from './corpus';

const RUN = 'JobRun.sample-pi-ca8e729b.yaml';
const VC = 'VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml';

const label = (value: string) =>
  editObject(RUN, (o) => {
    o.spec.releaseLabel = value;
  });

const mustCatch: MustCatch[] = [
  {
    name: 'release label without its suffix',
    rule: 'system.emr-release-label',
    file: RUN,
    mentions: ['emr-7.12.0', 'emr-x.y.z-latest'],
    set: label('emr-7.12.0'),
  },
  {
    name: 'a release EMR on EKS does not publish',
    rule: 'system.emr-release-label',
    file: RUN,
    mentions: ['7.99.0', 'emr-7.12.0-latest'],
    set: label('emr-7.99.0-latest'),
  },
  {
    name: 'a dated label whose date does not exist',
    rule: 'system.emr-release-label',
    file: RUN,
    mentions: ['20251301 is not a date'],
    set: label('emr-7.12.0-20251301'),
  },
  {
    name: 'the EMR on EC2 label form',
    rule: 'system.emr-release-label',
    file: RUN,
    mentions: ['emr-x.y.z-YYYYMMDD'],
    set: label('emr-7.12'),
  },
  {
    name: 'VirtualCluster registering another EKS cluster',
    rule: 'system.emr-virtual-cluster-eks',
    file: VC,
    mentions: [
      'emr-eks-karpenter-dev',
      'aws_eks_cluster.eks_cluster',
      'set containerProvider.id to emr-eks-karpenter',
    ],
    set: editObject(VC, (o) => {
      o.spec.containerProvider.id = 'emr-eks-karpenter-dev';
    }),
  },
  {
    name: 'Terraform renames the cluster',
    rule: 'system.emr-virtual-cluster-eks',
    file: VC,
    mentions: ['emr-eks-karpenter-v2'],
    set: editTerraform('base', (s) => {
      s.resource.aws_eks_cluster.eks_cluster.name = 'emr-eks-karpenter-v2';
    }),
  },
];

const nearMisses: NearMiss[] = [
  { name: 'a dated release label', set: label('emr-7.12.0-20251015') },
  { name: 'an earlier published release', set: label('emr-7.9.0-latest') },
];

runCorpus('system model: EMR API values', mustCatch, nearMisses);
