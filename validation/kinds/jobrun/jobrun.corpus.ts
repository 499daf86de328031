/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import {
  type KindCorpus,
  classification,
  edit,
  gang,
  job,
  JOB_FILES,
  NVME_EXECUTOR,
  overrides,
  submitter,
  TEMPLATES,
  WHOLE_EXECUTOR,
  withJob,
} from '../../../test/validation/corpus';
import { artifactUri, editTemplate, SAMPLE_JOBRUN_FILE, type Tree } from '../../../test/validation/helpers';

type Json = Tree;

/**
 * The JobRun corpus: the payload checks (`checks.ts`, the classification properties), the cross-
 * object rules (`cross.ts`: virtual cluster, execution role, S3 paths, pod templates, gang shape),
 * EMR's pods (`pods.ts`) and the content addresses (`content-address.ts`). The near misses are the
 * sample JobRun and its YuniKorn gang.
 */
export const jobRunCorpus: KindCorpus = {
  kind: 'JobRun',
  mustCatch: [
    job('schema.type', 'configurationOverrides as an object', (j) => {
      j.spec.configurationOverrides = JSON.parse(j.spec.configurationOverrides);
    }),
    job('jobrun.overrides-unknown-key', 'misspelled configurationOverrides key', (j) => {
      overrides(j, (o) => {
        o.monitoringConfig = o.monitoringConfiguration;
      });
    }),
    job('jobrun.overrides-parse', 'configurationOverrides that does not parse', (j) => {
      j.spec.configurationOverrides = '{"applicationConfiguration": [';
    }),
    job('jobrun.overrides-parse', 'configurationOverrides as JSON with a key twice', (j) => {
      // Laid out as synth writes JSON, but with a duplicate key: read as YAML, which refuses it.
      j.spec.configurationOverrides =
        '{\n  "applicationConfiguration": [],\n  "applicationConfiguration": []\n}';
    }),
    job('jobrun.monitoring-missing', 'no monitoringConfiguration', (j) => {
      overrides(j, (o) => {
        delete o.monitoringConfiguration;
      });
    }),
    job('jobrun.required', 'no execution role', (j) => {
      delete j.spec.executionRoleARN;
    }),
    job('jobrun.pattern', 'release label with a space', (j) => {
      j.spec.releaseLabel = 'emr 7.12.0';
    }),
    job('jobrun.deletion-policy', 'JobRun without the retain policy', (j) => {
      delete j.metadata.annotations;
    }),
    job('cross.s3-prefix', "JobRun reading another team's bucket", (j) => {
      j.spec.jobDriver.sparkSubmitJobDriver.entryPointArguments[0] =
        's3://emr-eks-karpenter-emr-data-team-b-111122223333-us-west-2/taxi/input/';
    }),
    {
      name: 'execution role that may list its bucket only under an s3:prefix condition (403 for missing keys)',
      rule: 'cross.s3-list-bucket',
      file: SAMPLE_JOBRUN_FILE,
      set: () => {
        const set = withJob();
        const terraform = structuredClone(set.terraform ?? []) as Json[];
        const policies: Json[] = terraform.flatMap((stack) =>
          Object.values(stack.resource?.aws_iam_role_policy ?? {}),
        );
        const execution = policies.find(
          (p) => p.name === 'emr-job-execution' && String(p.role).includes('team-emr-data-team-a_'),
        );
        if (execution === undefined) throw new Error('no execution policy of team a');
        const document = JSON.parse(execution.policy);
        const list = document.Statement.find((s: Json) => s.Sid === 'ListTeamBucket');
        list.Condition = { StringLike: { 's3:prefix': ['taxi/', 'taxi/*'] } };
        execution.policy = JSON.stringify(document);
        return { ...set, terraform };
      },
    },
    job('cross.jobrun-virtual-cluster', "JobRun on another team's virtual cluster", (j) => {
      j.spec.virtualClusterRef.from = {
        name: 'emr-eks-karpenter-emr-data-team-b',
        namespace: 'emr-data-team-b',
      };
    }),
    job('cross.trust-policy', "JobRun with another team's execution role", (j) => {
      j.spec.executionRoleARN = 'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-b';
    }),
    job('cross.jobrun-pod-template', 'JobRun naming a pod template that is not rendered', (j) => {
      j.spec.jobDriver.sparkSubmitJobDriver.sparkSubmitParameters +=
        ' --conf spark.kubernetes.driver.podTemplateFile=s3://b/x/missing.yaml';
    }),
    {
      name: 'JobRun spec edited against HEAD',
      rule: 'cel.transition',
      file: SAMPLE_JOBRUN_FILE,
      set: () => {
        const before = withJob();
        return {
          ...withJob((j) => {
            j.spec.releaseLabel = 'emr-7.11.0-latest';
          }),
          previous: before.documents,
        };
      },
    },
    job(
      'jobrun.overrides-property',
      'a misspelled emr-containers-defaults property',
      classification('emr-containers-defaults', { 'logging.requests.memory': '1Gi' }),
    ),
    job(
      'jobrun.overrides-property-value',
      'a job submitter toleration without an effect',
      submitter((p) => {
        p['jobsubmitter.node.toleration.dedicated'] = 'spark';
      }),
    ),
    edit(
      TEMPLATES,
      'pod.spark-container-name',
      'spark-kubernetes-executors (a typo that becomes a sidecar)',
      (o) => {
        editTemplate(o, NVME_EXECUTOR, (pod) => {
          pod.spec.containers[0].name = 'spark-kubernetes-executors';
        });
      },
    ),
    edit(JOB_FILES, 'content.hash-mismatch', 'a job script edited in dist/', (o) => {
      o.data['taxi-trip.py'] += '# edited by hand\n';
    }),
    job('content.not-uploaded', 'a JobRun naming a hash no upload Job ships', (j) => {
      j.spec.jobDriver.sparkSubmitJobDriver.entryPoint = artifactUri('taxi-trip.py').replace(
        /artifacts\/[0-9a-f]{64}/,
        `artifacts/${'f'.repeat(64)}`,
      );
    }),
    job(
      'yunikorn.task-groups-min-member',
      'ten placeholders per executor (the upstream bug)',
      gang(20, WHOLE_EXECUTOR),
    ),
  ],
  nearMiss: [
    { name: 'the sample JobRun', set: () => withJob() },
    { name: 'the sample JobRun as a YuniKorn gang', set: () => withJob(gang(2, WHOLE_EXECUTOR)) },
  ],
};
