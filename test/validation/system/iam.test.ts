/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   the corpus edits rendered trees in place. */
import { editObject, editPolicy, editTerraform, runCorpus, type MustCatch, type NearMiss } from './corpus';
import type { Tree } from '../helpers';

const BASE = 'terraform/base/cdk.tf.json';
const ADDONS = 'terraform/addons/cdk.tf.json';
const TEAMS = 'terraform/teams/cdk.tf.json';

function policy(stack: string, type: string, id: string, field: string, change: (p: Tree) => void) {
  return editTerraform(stack, (s) => {
    const resource = s.resource[type][id];
    resource[field] = editPolicy(resource[field], change);
  });
}

const controller = (change: (p: Tree) => void) =>
  policy('base', 'aws_iam_role_policy', 'karpenter_controller-policy', 'policy', change);
const uploaderPolicy = (change: (p: Tree) => void) =>
  policy('teams', 'aws_iam_role_policy', 'team-emr-data-team-a_artifact-uploader-policy', 'policy', change);
const bucketPolicy = (change: (p: Tree) => void) =>
  policy('teams', 'aws_s3_bucket_policy', 'team-emr-data-team-a-bucket_policy', 'policy', change);

const mustCatch: MustCatch[] = [
  {
    name: 'a misspelt action in the Karpenter controller policy',
    rule: 'system.iam-action-unknown',
    file: BASE,
    mentions: ['ec2:RunInstance,', 'did you mean ec2:runinstances', 'inline policy'],
    set: controller((p) => {
      p.Statement[0].Action = ['ec2:RunInstance', 'ec2:CreateFleet'];
    }),
  },
  {
    name: 'an action of a service that does not exist',
    rule: 'system.iam-action-unknown',
    file: TEAMS,
    mentions: ['there is no service prefix s4'],
    set: uploaderPolicy((p) => {
      p.Statement[0].Action = ['s4:GetObject', 's3:PutObject'];
    }),
  },
  {
    name: 'a wildcard that matches no action',
    rule: 'system.iam-action-unknown',
    file: TEAMS,
    mentions: ['no s3 action matches getobjekt*'],
    set: uploaderPolicy((p) => {
      p.Statement[0].Action = ['s3:GetObjekt*', 's3:PutObject'];
    }),
  },
  {
    name: 'IRSA trust for the wrong audience',
    rule: 'system.iam-trust-audience',
    file: 'ServiceAccount.emr-artifact-uploader.yaml',
    mentions: ['emr-eks-karpenter-emr-data-team-a-artifacts', 'sts.amazonaws.com', 'sts.amazonaws.com.cn'],
    set: policy(
      'teams',
      'aws_iam_role',
      'team-emr-data-team-a_artifact-uploader-role',
      'assume_role_policy',
      (p) => {
        const condition = p.Statement[0].Condition.StringEquals;
        const key = Object.keys(condition).find((k) => k.endsWith(':aud'))!;
        condition[key] = 'sts.amazonaws.com.cn';
      },
    ),
  },
  {
    name: 'execution role trusting the wrong audience',
    rule: 'system.iam-trust-audience',
    file: 'JobRun.delta-create-4862200c.yaml',
    mentions: ['role emr-eks-karpenter-emr-data-team-a', 'aud sts'],
    set: policy('teams', 'aws_iam_role', 'team-emr-data-team-a_execution-role', 'assume_role_policy', (p) => {
      const condition = p.Statement[0].Condition.StringEquals;
      const key = Object.keys(condition).find((k) => k.endsWith(':aud'))!;
      condition[key] = 'sts';
    }),
  },
  {
    name: 'Pod Identity association naming a service account the chart does not create',
    rule: 'system.iam-pod-identity-account',
    file: ADDONS,
    mentions: [
      'kube-system/cluster-autoscaler-sa',
      'helm_release cluster-autoscaler',
      'name the service account the chart creates',
    ],
    set: editTerraform('addons', (s) => {
      s.resource.aws_eks_pod_identity_association['cluster-autoscaler_role_association'].service_account =
        'cluster-autoscaler-sa';
    }),
  },
  {
    name: 'Pod Identity trust naming another namespace than the association',
    rule: 'system.iam-pod-identity-trust',
    file: ADDONS,
    mentions: ['kube-prometheus-stack/prometheus', 'aws:RequestTag/kubernetes-namespace monitoring'],
    set: policy('addons', 'aws_iam_role', 'kube-prometheus-stack_role', 'assume_role_policy', (p) => {
      p.Statement[0].Condition.StringEquals['aws:RequestTag/kubernetes-namespace'] = 'monitoring';
    }),
  },
  {
    name: 'TLS deny with the wrong condition value',
    rule: 'system.iam-resource-deny',
    file: TEAMS,
    mentions: ['DenyInsecureTransport', 'inline policy', 'aws:SecureTransport "false"'],
    set: bucketPolicy((p) => {
      p.Statement[0].Condition = { Bool: { 'aws:SecureTransport': 'true' } };
    }),
  },
  {
    name: 'TLS version deny that refuses TLS 1.2',
    rule: 'system.iam-resource-deny',
    file: TEAMS,
    mentions: ['DenyOutdatedTLS'],
    set: bucketPolicy((p) => {
      p.Statement[1].Condition = { NumericLessThan: { 's3:TlsVersion': '1.3' } };
    }),
  },
  {
    name: 'queue deny without its condition',
    rule: 'system.iam-resource-deny',
    file: BASE,
    mentions: ['DenyHTTP', 'sqs:'],
    set: policy('base', 'aws_sqs_queue_policy', 'karpenter_interruption-queue-policy', 'policy', (p) => {
      delete p.Statement[1].Condition;
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: 'TLS deny with a boolean condition value',
    set: bucketPolicy((p) => {
      p.Statement[0].Condition = { Bool: { 'aws:SecureTransport': false } };
    }),
  },
  {
    name: 'actions in another case and as a wildcard',
    set: uploaderPolicy((p) => {
      p.Statement[0].Action = ['s3:getobject', 's3:Put*'];
    }),
  },
  {
    name: 'service account naming the default audience explicitly',
    set: editObject('emr-data-team-a/ServiceAccount.emr-artifact-uploader.yaml', (o) => {
      o.metadata.annotations['eks.amazonaws.com/audience'] = 'sts.amazonaws.com';
    }),
  },
];

runCorpus('system model: IAM', mustCatch, nearMisses);
