import {
  type KindCorpus,
  A,
  EBS_DRIVER,
  JOB_FILES,
  rewave,
  UPLOAD_JOB,
  withClaimMountedBy,
  withJob,
} from '../../../test/validation/corpus';
import {
  defaultSet,
  DRIVER_PVC_FILE,
  legacyDriverClaim,
  SAMPLE_JOBRUN_FILE,
} from '../../../test/validation/helpers';

/**
 * The Application corpus: Argo CD's sync of each application, wave by wave (`sync.ts`,
 * `health.ts`).
 */
export const applicationCorpus: KindCorpus = {
  kind: 'Application',
  mustCatch: [
    {
      name: "today's fixed driver claim on the WaitForFirstConsumer class in wave 6, mounted only by the EBS job",
      rule: 'sync.wave-blocked',
      file: DRIVER_PVC_FILE,
      set: () => withClaimMountedBy(EBS_DRIVER),
    },
    {
      name: 'a claim in the last wave that nothing mounts',
      rule: 'sync.never-healthy',
      file: DRIVER_PVC_FILE,
      set: () => defaultSet([{ file: DRIVER_PVC_FILE, object: legacyDriverClaim('10') }]),
    },
    {
      name: 'the upload Job mounting a ConfigMap of a later wave',
      rule: 'sync.wave-blocked',
      file: UPLOAD_JOB,
      set: () => rewave(defaultSet(), JOB_FILES, '10'),
    },
    {
      name: 'a VirtualCluster after its JobRuns',
      rule: 'sync.wave-blocked',
      file: SAMPLE_JOBRUN_FILE,
      set: () => rewave(withJob(), `${A}/VirtualCluster.emr-eks-karpenter-emr-data-team-a.yaml`, '11'),
    },
    {
      name: 'the upload Job in the same wave as the JobRuns',
      rule: 'sync.dependency-late',
      file: SAMPLE_JOBRUN_FILE,
      set: () => rewave(withJob(), UPLOAD_JOB, '10'),
    },
  ],
};
