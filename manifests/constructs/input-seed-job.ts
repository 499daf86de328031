import { ServiceAccount } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubeJob, Quantity, type JobSpec, type Volume, type VolumeMount } from '../imports/k8s';
import {
  INPUT_SEEDER_SERVICE_ACCOUNT,
  inputDataKeys,
  inputSeederRoleArn,
  teamBucketName,
  teamNamespace,
  type Environment,
  type InputData,
  type Team,
} from '../../config';
import { AWS_CLI_UID, awsCliContainer, awsCliPodSecurity, IRSA_AUTOMOUNT_TOKEN } from '../jobs/aws-cli-pod';
import { contentHash } from '../../lib/hash';
import { HOOK_JOB_TTL_SECONDS, SYNC_HOOK_ANNOTATIONS } from '../jobs/sync-hook';

/** Props for {@link InputSeedJob}. */
export interface InputSeedJobProps {
  readonly env: Environment;
  /** A team with at least one `inputData` entry. */
  readonly team: Team;
}

/** `seed-input-data-<8 hex of the Job spec>`. */
export const INPUT_SEED_JOB_PREFIX = 'seed-input-data';

/** Where a download lands before it is copied (an emptyDir sized for the largest dataset). */
const WORK_DIR = '/work';

/** A single-quoted POSIX shell word (config values never contain a quote, but a quote is still escaped). */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The script: for each dataset, skip it when every copy is already in the bucket; otherwise
 * download it once over https only (retries, size cap), check its SHA-256 when the config pins
 * one, and copy it to each missing key. Keys carry a version hash of the dataset, so "present"
 * means "done" and a re-run is harmless; a changed URL, hash or copy count seeds a new prefix.
 */
function seedScript(datasets: readonly InputData[]): string {
  return [
    'set -euf',
    'seed() {',
    '  url=$1; sum=$2; max=$3; shift 3',
    "  missing=''",
    '  for key in "$@"; do',
    '    if aws s3api head-object --bucket "$BUCKET" --key "$key" >/dev/null 2>&1; then',
    '      echo "present s3://$BUCKET/$key"',
    '    else',
    '      missing="$missing $key"',
    '    fi',
    '  done',
    '  [ -n "$missing" ] || return 0',
    '  file="$WORK/download"',
    "  curl --fail --silent --show-error --location --proto '=https' --proto-redir '=https' \\",
    '    --retry 5 --retry-connrefused --max-filesize "$max" --output "$file" "$url"',
    '  if [ -n "$sum" ] && ! echo "$sum  $file" | sha256sum --check --quiet - >/dev/null 2>&1; then',
    '    echo "refusing $url: its sha256 is $(sha256sum "$file" | cut -d \' \' -f 1), not $sum" >&2',
    '    exit 1',
    '  fi',
    `  echo "downloaded $url ($(wc -c < "$file") bytes, sha256 $(sha256sum "$file" | cut -d ' ' -f 1))"`,
    '  for key in $missing; do',
    '    aws s3 cp --only-show-errors "$file" "s3://$BUCKET/$key"',
    '    echo "seeded s3://$BUCKET/$key"',
    '  done',
    '  rm -f "$file"',
    '}',
    ...datasets.map((dataset) =>
      [
        'seed',
        quote(dataset.url),
        quote(dataset.sha256 ?? ''),
        String(dataset.maxSizeMiB * 1024 * 1024),
        ...inputDataKeys(dataset).map(quote),
      ].join(' '),
    ),
    '',
  ].join('\n');
}

/**
 * The Job that seeds a team's `inputData` into its bucket (`inputs/<name>/<version>/`) in the same
 * Argo CD sync as the JobRuns that read it, before them (the wave table orders Jobs before
 * JobRuns), so every seed job finds its input on the first sync with no manual step. It runs as
 * its own service account, whose IAM role may only read and write `inputs/` of the team bucket:
 * the download comes from outside, so this identity can touch neither the artifacts nor the jobs'
 * data. Non-root, read-only root filesystem, no privilege escalation. It is an Argo CD Sync hook
 * (`manifests/jobs/sync-hook.ts`): a failed download is retried by the next sync instead of
 * leaving a Failed Job that stops every later sync of the team. Its name carries a hash of its
 * spec: a changed dataset is a new Job.
 */
export class InputSeedJob extends Construct {
  /** `seed-input-data-<8 hex>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: InputSeedJobProps) {
    super(scope, id);
    const { env, team } = props;
    const namespace = teamNamespace(team);
    const datasets = team.inputData;
    if (datasets.length === 0) throw new Error(`team ${team.name} has no inputData to seed`);
    const labels = { 'app.kubernetes.io/name': 'input-seeder', 'emr-eks-gitops/team': team.name };

    new ServiceAccount(this, 'service-account', {
      metadata: {
        name: INPUT_SEEDER_SERVICE_ACCOUNT,
        namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': inputSeederRoleArn(env, team) },
      },
      automountToken: IRSA_AUTOMOUNT_TOKEN,
    });

    const largestMiB = Math.max(...datasets.map((d) => d.maxSizeMiB));
    const volumes: Volume[] = [
      { name: 'work', emptyDir: { sizeLimit: Quantity.fromString(`${largestMiB + 64}Mi`) } },
      { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
    ];
    const mounts: VolumeMount[] = [
      { name: 'work', mountPath: WORK_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    const spec: JobSpec = {
      backoffLimit: 3,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: HOOK_JOB_TTL_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: INPUT_SEEDER_SERVICE_ACCOUNT,
          restartPolicy: 'Never',
          securityContext: awsCliPodSecurity({ fsGroup: AWS_CLI_UID }),
          containers: [
            awsCliContainer({
              env,
              name: 'seed',
              script: seedScript(datasets),
              bucket: teamBucketName(env, team),
              extraEnv: [{ name: 'WORK', value: WORK_DIR }],
              cpu: '250m',
              memory: '512Mi',
              volumeMounts: mounts,
            }),
          ],
          volumes,
        },
      },
    };
    this.name = `${INPUT_SEED_JOB_PREFIX}-${contentHash(spec)}`;
    new KubeJob(this, 'job', {
      metadata: { name: this.name, namespace, labels, annotations: { ...SYNC_HOOK_ANNOTATIONS } },
      spec,
    });
  }
}
