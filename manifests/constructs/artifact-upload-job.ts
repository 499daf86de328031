import { Construct } from 'constructs';
import { KubeJob, Quantity, type JobSpec, type Volume, type VolumeMount } from '../imports/k8s';
import {
  ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
  teamBucketName,
  teamNamespace,
  type Environment,
  type Team,
} from '../../config';
import { allArtifacts, type TeamArtifacts } from '../jobs/artifacts';
import { awsCliContainer, awsCliPodSecurity } from '../jobs/aws-cli-pod';
import { contentHash } from '../../lib/hash';
import { HOOK_JOB_TTL_SECONDS, SYNC_HOOK_ANNOTATIONS } from '../jobs/sync-hook';
import { ARTIFACT_UPLOAD_JOB_PREFIX } from '../names';

/** Props for {@link ArtifactUploadJob}. */
export interface ArtifactUploadJobProps {
  readonly env: Environment;
  readonly team: Team;
  /** What to upload; every ConfigMap these artifacts name is mounted. */
  readonly artifacts: TeamArtifacts;
}

/** Where the ConfigMaps are mounted in the uploader container. */
const ARTIFACTS_DIR = '/artifacts';

/**
 * The script: for each artifact, check the mounted bytes against the hash in its key, then copy
 * it unless the key already exists. Content-addressed keys never change, so "exists" means
 * "done" and a re-run (or a second Job with overlapping files) is harmless.
 */
function uploadScript(artifacts: TeamArtifacts): string {
  return [
    'set -eu',
    'upload() {',
    '  echo "$2  $1" | sha256sum --check --quiet -',
    '  if aws s3api head-object --bucket "$BUCKET" --key "$3" >/dev/null 2>&1; then',
    '    echo "present s3://$BUCKET/$3"',
    '  else',
    '    aws s3 cp --only-show-errors "$1" "s3://$BUCKET/$3"',
    '    echo "uploaded s3://$BUCKET/$3"',
    '  fi',
    '}',
    ...allArtifacts(artifacts).map(
      (a) => `upload '${ARTIFACTS_DIR}/${a.configMap}/${a.file}' ${a.sha256} '${a.key}'`,
    ),
    '',
  ].join('\n');
}

/**
 * The Job that puts a team's artifacts (pod templates, job files) into
 * `s3://<team bucket>/artifacts/<sha256>/<file>` in the same Argo CD sync as the JobRuns that
 * use them, before them (sync waves order Jobs before JobRuns, hooks included). It runs as the
 * team's uploader service account, whose IAM role may write only under that prefix. It is an
 * Argo CD Sync hook (`manifests/jobs/sync-hook.ts`): every sync runs it again, so one failed run
 * (a throttled S3 call, a pod pending past the deadline) never blocks the team's later syncs.
 * Its name carries a hash of its spec: new content is a new Job.
 */
export class ArtifactUploadJob extends Construct {
  /** `upload-artifacts-<8 hex>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArtifactUploadJobProps) {
    super(scope, id);
    const { env, team, artifacts } = props;
    const configMaps = [...new Set(allArtifacts(artifacts).map((a) => a.configMap))].sort();
    const volumes: Volume[] = [
      ...configMaps.map((name) => ({ name, configMap: { name } })),
      { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
    ];
    const mounts: VolumeMount[] = [
      ...configMaps.map((name) => ({ name, mountPath: `${ARTIFACTS_DIR}/${name}`, readOnly: true })),
      { name: 'tmp', mountPath: '/tmp' },
    ];
    const labels = { 'app.kubernetes.io/name': 'artifact-uploader', 'emr-eks-gitops/team': team.name };
    const spec: JobSpec = {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: HOOK_JOB_TTL_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: ARTIFACT_UPLOADER_SERVICE_ACCOUNT,
          restartPolicy: 'Never',
          securityContext: awsCliPodSecurity(),
          containers: [
            awsCliContainer({
              env,
              name: 'upload',
              script: uploadScript(artifacts),
              bucket: teamBucketName(env, team),
              cpu: '100m',
              memory: '256Mi',
              volumeMounts: mounts,
            }),
          ],
          volumes,
        },
      },
    };
    this.name = `${ARTIFACT_UPLOAD_JOB_PREFIX}-${contentHash(spec)}`;
    new KubeJob(this, 'job', {
      metadata: {
        name: this.name,
        namespace: teamNamespace(team),
        labels,
        annotations: { ...SYNC_HOOK_ANNOTATIONS },
      },
      spec,
    });
  }
}
