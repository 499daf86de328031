import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import { inputDataKeys } from '../../config/naming';
import type { PlatformInput, TeamInput } from '../../config/schema';
import { versions } from '../../config/versions';

type Dataset = NonNullable<TeamInput['inputData']>[number];

const fixture = load(
  readFileSync(join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8'),
) as PlatformInput;

const DATASET: Dataset = {
  name: 'trips',
  url: 'https://data.example.org/trips/2024-01.parquet',
};

/** The fixture with one dataset on the dev environment's first team. */
function withDataset(dataset: Dataset): PlatformInput {
  const input = structuredClone(fixture);
  const team = input.environments[0]!.teams[0]!;
  team.inputData = [dataset];
  return input;
}

const loaded = (dataset: Dataset) =>
  loadPlatform(withDataset(dataset), NO_JOB_FILES).environments[0]!.teams[0]!.inputData[0]!;

describe('input data checksum', () => {
  it('is required: a dataset without sha256 is refused, naming the opt-out', () => {
    expect(() => loadPlatform(withDataset(DATASET), NO_JOB_FILES)).toThrow(
      'Invalid config at environments[0].teams[0].inputData[0].sha256 (input data trips): missing is required: the file\'s SHA-256 (the output of sha256sum), or "unpinned" to accept whatever the URL serves over TLS.',
    );
  });

  it('keeps a pinned hash for the seeding Job to check', () => {
    const sum = 'a'.repeat(64);
    expect(loaded({ ...DATASET, sha256: sum }).sha256).toBe(sum);
  });

  it('accepts an explicit "unpinned", which seeds without a check', () => {
    const unpinned = loaded({ ...DATASET, sha256: 'unpinned' });
    expect(unpinned.sha256).toBeUndefined();
    expect(inputDataKeys(unpinned)).not.toEqual(
      inputDataKeys(loaded({ ...DATASET, sha256: 'b'.repeat(64) })),
    );
  });

  it('refuses anything else, such as an empty string or upper-case hex', () => {
    for (const sha256 of ['', 'A'.repeat(64), 'Unpinned']) {
      expect(() => loaded({ ...DATASET, sha256 }), sha256).toThrow(
        `inputData[0].sha256 (input data trips): ${JSON.stringify(sha256)} must be 64 lowercase hex digits (the output of sha256sum), or "unpinned".`,
      );
    }
  });
});

describe('node AMI pin', () => {
  it('is an exact AL2023 release, never @latest', () => {
    expect(versions.al2023AmiAlias).toMatch(/^al2023@v\d{8}$/);
  });

  it('is not older than amazon-eks-ami v20260714, the newest release for Kubernetes 1.34 checked', () => {
    const date = /^al2023@v(\d{8})$/.exec(versions.al2023AmiAlias)?.[1] ?? '';
    expect(versions.kubernetes).toBe('1.34');
    expect(date >= '20260714').toBe(true);
  });
});
