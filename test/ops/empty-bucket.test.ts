import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmptyBucketError, emptyBucket, type AwsCli } from '../../ops/empty-bucket';

interface Version {
  readonly Key: string;
  readonly VersionId: string;
}

/** An S3 bucket in memory behind the AWS CLI calls `emptyBucket` makes. */
function fakeS3(options: { versions: number; markers?: number; tag?: string | null; exists?: boolean }) {
  const versions: Version[] = Array.from({ length: options.versions }, (_, i) => ({
    Key: `k/${i % 7}`,
    VersionId: `v${i}`,
  }));
  const markers: Version[] = Array.from({ length: options.markers ?? 0 }, (_, i) => ({
    Key: `k/${i}`,
    VersionId: `m${i}`,
  }));
  const calls: string[] = [];
  const aws: AwsCli = (args) => {
    calls.push(args.slice(0, 2).join(' '));
    const ok = (body: unknown) => ({ status: 0, stdout: JSON.stringify(body), stderr: '' });
    if (options.exists === false)
      return { status: 254, stdout: '', stderr: 'An error occurred (NoSuchBucket) when calling …' };
    if (args[1] === 'get-bucket-tagging') {
      if (options.tag === null)
        return { status: 254, stdout: '', stderr: 'An error occurred (NoSuchTagSet) when calling …' };
      return ok({ TagSet: [{ Key: 'emr-eks-gitops/cluster', Value: options.tag ?? 'emr-eks-karpenter' }] });
    }
    if (args[1] === 'list-object-versions') {
      const max = Number(args[args.indexOf('--max-items') + 1]);
      const page = versions.slice(0, max);
      return ok({
        ...(page.length ? { Versions: page } : {}),
        ...(markers.length ? { DeleteMarkers: markers.slice(0, max - page.length) } : {}),
      });
    }
    if (args[1] === 'delete-objects') {
      const file = String(args[args.indexOf('--delete') + 1]).replace('file://', '');
      const request = JSON.parse(readFileSync(file, 'utf8')) as { Objects: Version[]; Quiet: boolean };
      expect(request.Quiet).toBe(true);
      expect(request.Objects.length).toBeLessThanOrEqual(1000);
      for (const gone of request.Objects) {
        for (const list of [versions, markers]) {
          const at = list.findIndex((v) => v.VersionId === gone.VersionId);
          if (at !== -1) list.splice(at, 1);
        }
      }
      return ok({});
    }
    return { status: 2, stdout: '', stderr: `unexpected ${args.join(' ')}` };
  };
  return { aws, calls, left: () => versions.length + markers.length };
}

describe('emptyBucket', () => {
  it('deletes every version and delete marker, 1000 at a time, with progress', () => {
    const s3 = fakeS3({ versions: 2300, markers: 150 });
    const progress: string[] = [];
    const result = emptyBucket('b', 'us-west-2', 'emr-eks-karpenter', (m) => progress.push(m), s3.aws);
    expect(result).toEqual({ outcome: 'emptied', deleted: 2450 });
    expect(s3.left()).toBe(0);
    expect(s3.calls.filter((c) => c === 's3api delete-objects')).toHaveLength(3);
    expect(progress.at(-1)).toBe('deleted 2450 object versions and delete markers from b');
  });

  it('checks the cluster tag before deleting anything', () => {
    const s3 = fakeS3({ versions: 5, tag: 'someone-else' });
    expect(() => emptyBucket('b', 'us-west-2', 'emr-eks-karpenter', () => undefined, s3.aws)).toThrow(
      new EmptyBucketError(
        'bucket b is tagged emr-eks-gitops/cluster=someone-else, not emr-eks-karpenter; not emptied',
      ),
    );
    const untagged = fakeS3({ versions: 5, tag: null });
    expect(() => emptyBucket('b', 'us-west-2', 'emr-eks-karpenter', () => undefined, untagged.aws)).toThrow(
      /has no tags/,
    );
    expect([...s3.calls, ...untagged.calls]).not.toContain('s3api delete-objects');
    expect(s3.left()).toBe(5);
  });

  it('leaves a bucket that no longer exists alone, so a re-run is a no-op', () => {
    const s3 = fakeS3({ versions: 0, exists: false });
    expect(emptyBucket('b', 'us-west-2', 'emr-eks-karpenter', () => undefined, s3.aws)).toEqual({
      outcome: 'absent',
    });
  });

  it('stops with the first key S3 refuses to delete', () => {
    const s3 = fakeS3({ versions: 3 });
    const refusing: AwsCli = (args) =>
      args[1] === 'delete-objects'
        ? {
            status: 0,
            stdout: JSON.stringify({
              Errors: [{ Key: 'k/0', Code: 'AccessDenied', Message: 'Access Denied' }],
            }),
            stderr: '',
          }
        : s3.aws(args);
    expect(() => emptyBucket('b', 'us-west-2', 'emr-eks-karpenter', () => undefined, refusing)).toThrow(
      'S3 refused to delete k/0 in b (AccessDenied: Access Denied), and 1 versions in all',
    );
  });
});
