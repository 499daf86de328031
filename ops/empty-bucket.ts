import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the AWS CLI with arguments and returns what it printed (injected in tests). */
export type AwsCli = (args: readonly string[]) => {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
};

/** The real `aws`, output captured. */
export const awsCli: AwsCli = (args) => spawnSync('aws', [...args], { encoding: 'utf8' });

/** The tag every resource of an environment carries (the AWS provider's default tags). */
export const CLUSTER_TAG = 'emr-eks-gitops/cluster';

/** Objects and delete markers S3 lists, and deletes, per request. */
const BATCH = 1000;

/** Emptying a bucket failed or was refused: one sentence. */
export class EmptyBucketError extends Error {
  override readonly name = 'EmptyBucketError';
}

/** What {@link emptyBucket} did. */
export type EmptyBucketResult =
  { readonly outcome: 'emptied'; readonly deleted: number } | { readonly outcome: 'absent' };

function call(aws: AwsCli, args: readonly string[], what: string): string {
  const run = aws(args);
  if (run.error !== undefined) throw new EmptyBucketError(`aws is not available (${run.error.message})`);
  if (run.status !== 0) {
    const reason = run.stderr.trim().split('\n').at(-1) ?? `exit ${String(run.status)}`;
    throw new EmptyBucketError(`${what} failed: ${reason}`);
  }
  return run.stdout;
}

/**
 * Deletes every object version and delete marker of `bucket`, 1000 at a time, so `terraform
 * destroy` can remove the (versioned) bucket. Refuses a bucket that does not carry
 * `emr-eks-gitops/cluster=<cluster>`, so a name typed by hand can never empty someone else's
 * bucket; a bucket that no longer exists is left alone (a re-run is a no-op).
 */
export function emptyBucket(
  bucket: string,
  region: string,
  cluster: string,
  progress: (message: string) => void,
  aws: AwsCli = awsCli,
): EmptyBucketResult {
  const where = ['--bucket', bucket, '--region', region, '--output', 'json'];
  const tagging = aws(['s3api', 'get-bucket-tagging', ...where]);
  if (tagging.error !== undefined)
    throw new EmptyBucketError(`aws is not available (${tagging.error.message})`);
  if (tagging.status !== 0) {
    if (/NoSuchBucket/.test(tagging.stderr)) return { outcome: 'absent' };
    if (/NoSuchTagSet/.test(tagging.stderr)) {
      throw new EmptyBucketError(
        `bucket ${bucket} has no tags, so it is not this environment's; not emptied`,
      );
    }
    throw new EmptyBucketError(
      `reading the tags of bucket ${bucket} failed: ${tagging.stderr.trim().split('\n').at(-1) ?? ''}`,
    );
  }
  const tags = (JSON.parse(tagging.stdout) as { TagSet?: { Key: string; Value: string }[] }).TagSet ?? [];
  const owner = tags.find((tag) => tag.Key === CLUSTER_TAG)?.Value;
  if (owner !== cluster) {
    throw new EmptyBucketError(
      `bucket ${bucket} is tagged ${CLUSTER_TAG}=${owner ?? '(none)'}, not ${cluster}; not emptied`,
    );
  }

  const scratch = mkdtempSync(join(tmpdir(), 'empty-bucket-'));
  let deleted = 0;
  let previous = '';
  try {
    for (;;) {
      const listing = JSON.parse(
        call(
          aws,
          ['s3api', 'list-object-versions', ...where, '--max-items', String(BATCH)],
          `listing the versions in ${bucket}`,
        ) || '{}',
      ) as {
        Versions?: { Key: string; VersionId: string }[];
        DeleteMarkers?: { Key: string; VersionId: string }[];
      };
      const objects = [...(listing.Versions ?? []), ...(listing.DeleteMarkers ?? [])]
        .slice(0, BATCH)
        .map(({ Key, VersionId }) => ({ Key, VersionId }));
      if (objects.length === 0) break;
      const first = `${objects[0]?.Key ?? ''} ${objects[0]?.VersionId ?? ''}`;
      if (first === previous) {
        throw new EmptyBucketError(`S3 still lists ${first} in ${bucket} after deleting it; try again later`);
      }
      previous = first;
      const request = join(scratch, 'delete.json');
      writeFileSync(request, JSON.stringify({ Objects: objects, Quiet: true }));
      const answer = JSON.parse(
        call(
          aws,
          ['s3api', 'delete-objects', ...where, '--delete', `file://${request}`],
          `deleting versions in ${bucket}`,
        ) || '{}',
      ) as { Errors?: { Key: string; Code: string; Message: string }[] };
      const refused = answer.Errors?.[0];
      if (refused !== undefined) {
        throw new EmptyBucketError(
          `S3 refused to delete ${refused.Key} in ${bucket} (${refused.Code}: ${refused.Message}), and ${String(answer.Errors?.length)} versions in all`,
        );
      }
      deleted += objects.length;
      progress(`deleted ${deleted} object versions and delete markers from ${bucket}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { outcome: 'emptied', deleted };
}
