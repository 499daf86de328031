import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { specS3Uris } from '../../../../validation/kinds/jobrun/spec-uris';
import { defaultFiles } from '../../helpers';

/** What the URIs of a spec are defined as: the matches in its JSON text. */
function fromJsonText(spec: unknown): [string, string, string][] {
  return [...(JSON.stringify(spec) ?? '').matchAll(/s3a?:\/\/([a-z0-9.-]+)\/([^\s"',\\]*)/g)].map(
    ([uri, bucket = '', key = '']) => [uri, bucket, key],
  );
}

describe('specS3Uris', () => {
  it("finds what the spec's JSON text holds, in its order, for every JobRun of the seed", () => {
    let specs = 0;
    for (const [path, text] of defaultFiles()) {
      if (!path.includes('/JobRun.')) continue;
      const { spec } = load(text) as { spec: unknown };
      expect(specS3Uris(spec), path).toEqual(fromJsonText(spec));
      specs++;
    }
    expect(specs).toBeGreaterThan(5);
  });

  it('reads keys, arrays, nested overrides and every way a key ends as the JSON text does', () => {
    const spec = {
      'keyed s3://key-bucket/in/a/key': 'x',
      jobDriver: {
        sparkSubmitJobDriver: {
          entryPoint: 's3a://bucket-1/scripts/job.py',
          entryPointArguments: [
            's3://b2/in/',
            's3://b3/',
            "s3://b4/it's",
            's3://b5/a,b',
            's3://b6/tab\there',
          ],
        },
      },
      configurationOverrides: JSON.stringify({ p: 's3://b7/quoted/"x"', q: 's3://b8/back\\slash' }, null, 2),
      other: 's3://b9/ctl\u0001char then s3://b10/new\nline',
      skipped: undefined,
      number: 3,
    };
    expect(specS3Uris(spec)).toEqual(fromJsonText(spec));
    expect(specS3Uris(spec).map(([uri]) => uri)).toContain('s3://key-bucket/in/a/key');
    expect(specS3Uris({ skipped: undefined, 's3://b/k': undefined })).toEqual([]);
  });

  it('answers the same array for the same spec object', () => {
    const spec = { entryPoint: 's3://bucket/job.py' };
    expect(specS3Uris(spec)).toBe(specS3Uris(spec));
    expect(specS3Uris('s3://bucket/x')).toEqual([['s3://bucket/x', 'bucket', 'x']]);
  });
});
