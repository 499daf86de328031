/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the corpus edits rendered trees in place. */
import { editObject, editTerraform, runCorpus, withTerraform, type MustCatch, type NearMiss } from './corpus';
import { defaultSet, fileEnding, mutate, type Tree } from '../helpers';

const NODE_CLASS = 'EC2NodeClass.spark-compute-optimized.yaml';
const POOL = 'NodePool.spark-compute-optimized.yaml';

const zoneOf = (pool: Tree): Tree =>
  pool.spec.template.spec.requirements.find((r: Tree) => r.key === 'topology.kubernetes.io/zone');

const mustCatch: MustCatch[] = [
  {
    name: 'subnet selector with a tag value Terraform does not set',
    rule: 'system.karpenter-selector-unmatched',
    file: NODE_CLASS,
    mentions: [
      'aws_subnet',
      'karpenter.sh/discovery=emr-eks-karpenterr',
      'tag karpenter.sh/discovery is emr-eks-karpenter',
    ],
    set: editObject(NODE_CLASS, (o) => {
      o.spec.subnetSelectorTerms = [{ tags: { 'karpenter.sh/discovery': 'emr-eks-karpenterr' } }];
    }),
  },
  {
    name: 'security group selector on a tag key no group carries',
    rule: 'system.karpenter-selector-unmatched',
    file: NODE_CLASS,
    mentions: ['security groups', 'kubernetes.io/cluster/emr-eks-karpenter=owned'],
    set: editObject(NODE_CLASS, (o) => {
      o.spec.securityGroupSelectorTerms = [{ tags: { 'kubernetes.io/cluster/emr-eks-karpenter': 'owned' } }];
    }),
  },
  {
    name: 'Terraform no longer tags the cluster security group for discovery',
    rule: 'system.karpenter-selector-unmatched',
    file: NODE_CLASS,
    mentions: ['aws_security_group or aws_ec2_tag'],
    set: editTerraform('base', (s) => {
      delete s.resource.aws_ec2_tag;
    }),
  },
  {
    name: 'node role Terraform does not create',
    rule: 'system.karpenter-node-role',
    file: NODE_CLASS,
    mentions: ['KarpenterNodeRole-emr-eks-karpenter', 'karpenter-emr-eks-karpenter'],
    set: editObject(NODE_CLASS, (o) => {
      o.spec.role = 'KarpenterNodeRole-emr-eks-karpenter';
    }),
  },
  {
    name: 'node role access entry of type STANDARD',
    rule: 'system.karpenter-node-access',
    file: NODE_CLASS,
    mentions: ['aws_iam_role.karpenter_node-role', 'EC2_LINUX', 'STANDARD'],
    set: editTerraform('base', (s) => {
      s.resource.aws_eks_access_entry['karpenter_node-access-entry'].type = 'STANDARD';
    }),
  },
  {
    name: 'node role without an access entry',
    rule: 'system.karpenter-node-access',
    file: NODE_CLASS,
    mentions: ['add an EC2_LINUX access entry'],
    set: editTerraform('base', (s) => {
      delete s.resource.aws_eks_access_entry;
    }),
  },
  {
    name: 'AL2 alias on a 1.34 cluster',
    rule: 'system.karpenter-ami-alias',
    file: NODE_CLASS,
    mentions: ['al2@latest', '1.34', 'aws_eks_cluster.eks_cluster', 'al2023'],
    set: editObject(NODE_CLASS, (o) => {
      o.spec.amiSelectorTerms = [{ alias: 'al2@latest' }];
    }),
  },
  {
    name: 'NodePool zone without a node subnet',
    rule: 'system.karpenter-zone-subnet',
    file: POOL,
    mentions: ['us-west-2c', 'EC2NodeClass spark-compute-optimized', 'us-west-2a, us-west-2b'],
    set: editObject(POOL, (o) => {
      zoneOf(o).values = ['us-west-2a', 'us-west-2c'];
    }),
  },
  {
    name: 'Terraform drops the discovery tag of the node subnet in the pool zone',
    rule: 'system.karpenter-zone-subnet',
    file: POOL,
    mentions: ['us-west-2a', 'us-west-2b'],
    set: editTerraform('base', (s) => {
      delete s.resource.aws_subnet['network_node-us-west-2a'].tags['karpenter.sh/discovery'];
    }),
  },
  {
    name: 'cpu limit below the smallest instance',
    rule: 'system.karpenter-limit-below-instance',
    file: POOL,
    mentions: ['c5d.large', '2 vCPU'],
    set: editObject(POOL, (o) => {
      o.spec.limits.cpu = '1';
    }),
  },
  {
    name: 'memory limit below the smallest instance',
    rule: 'system.karpenter-limit-below-instance',
    file: POOL,
    mentions: ['c5d.large', '4Gi'],
    set: editObject(POOL, (o) => {
      o.spec.limits.memory = '2Gi';
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: 'subnet selector matching any value of the discovery tag',
    set: editObject(NODE_CLASS, (o) => {
      o.spec.subnetSelectorTerms = [{ tags: { 'karpenter.sh/discovery': '*' } }];
    }),
  },
  {
    name: 'an extra security group term by id (exists only after apply: not modelled)',
    set: editObject(NODE_CLASS, (o) => {
      o.spec.securityGroupSelectorTerms.push({ id: 'sg-0123456789abcdef0' });
    }),
  },
  {
    name: 'NodePool zones that both have node subnets',
    set: editObject(POOL, (o) => {
      zoneOf(o).values = ['us-west-2a', 'us-west-2b'];
    }),
  },
  {
    name: 'limits exactly the smallest instance',
    set: editObject(POOL, (o) => {
      o.spec.limits = { cpu: '2', memory: '4Gi' };
    }),
  },
  {
    name: 'AL2 alias on a 1.32 cluster',
    set: () => {
      const set = defaultSet();
      return withTerraform(
        mutate(set, fileEnding(set, NODE_CLASS), (o) => {
          o.spec.amiSelectorTerms = [{ alias: 'al2@latest' }];
        }),
        'base',
        (s) => {
          s.resource.aws_eks_cluster.eks_cluster.version = '1.32';
        },
      );
    },
  },
];

runCorpus('system model: Karpenter against Terraform', mustCatch, nearMisses);
