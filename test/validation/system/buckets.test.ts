/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   the corpus edits rendered trees in place. */
import { editObject, editPolicy, editTerraform, runCorpus, type MustCatch, type NearMiss } from './corpus';

const RUN = 'JobRun.sample-pi-ca8e729b.yaml';
const UPLOAD = 'Job.upload-artifacts-d54848e3.yaml';
const A = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const B = 'emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2';

const moveTemplate = (bucket: string) =>
  editObject(RUN, (o) => {
    o.spec.configurationOverrides = String(o.spec.configurationOverrides).replaceAll(A, bucket);
  });

const mustCatch: MustCatch[] = [
  {
    name: "a JobRun's pod templates in another team's bucket",
    rule: 'system.bucket-foreign-artifact',
    file: RUN,
    mentions: [`team emr-data-team-b's bucket ${B}`, `its own bucket is ${A}`],
    set: moveTemplate(B),
  },
  {
    name: "a JobRun's entry point in a bucket Terraform does not create",
    rule: 'system.bucket-foreign-artifact',
    file: RUN,
    mentions: ['shared-scripts', 'does not create'],
    set: editObject(RUN, (o) => {
      o.spec.jobDriver.sparkSubmitJobDriver.entryPoint = 's3://shared-scripts/pi.py';
    }),
  },
  {
    name: "an upload Job writing to another team's bucket",
    rule: 'system.bucket-foreign-upload',
    file: UPLOAD,
    mentions: [`team emr-data-team-b's bucket ${B}`, `set its BUCKET to ${A}`],
    set: editObject(UPLOAD, (o) => {
      o.spec.template.spec.containers[0].env[0].value = B;
    }),
  },
  {
    name: "team b's execution role also reaches team a's bucket (nobody's own any more)",
    rule: 'system.bucket-foreign-artifact',
    file: 'JobRun.taxi-ebs-da022e06.yaml',
    mentions: ['shared by the roles of'],
    set: editTerraform('teams', (s) => {
      const policy = s.resource.aws_iam_role_policy['team-emr-data-team-b_execution-policy'];
      policy.policy = editPolicy(policy.policy, (p) => {
        p.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${A}/*` });
      });
    }),
  },
];

const nearMisses: NearMiss[] = [
  {
    name: "team a's roles reach their bucket through a wildcard",
    set: editTerraform('teams', (s) => {
      const policy = s.resource.aws_iam_role_policy['team-emr-data-team-a_artifact-uploader-policy'];
      policy.policy = policy.policy.replace(
        `${A}/artifacts/*`,
        'emr-eks-karpenter-emr-data-team-a-*/artifacts/*',
      );
    }),
  },
  {
    name: 'a local entry point (in the image, not in a bucket)',
    set: editObject(RUN, (o) => {
      o.spec.jobDriver.sparkSubmitJobDriver.entryPoint =
        'local:///usr/lib/spark/examples/src/main/python/pi.py';
    }),
  },
];

runCorpus('system model: team buckets', mustCatch, nearMisses);
