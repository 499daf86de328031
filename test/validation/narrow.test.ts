/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the cases break the sample JobRun by editing its YAML tree in place. */
import { describe, expect, it } from 'vitest';
import type { JobRun } from '../../validation/bindings/emrcontainers.services.k8s.aws';
import { acceptedObjects, narrowed } from '../../validation/narrow';
import { withJob } from './corpus';
import { findings, SAMPLE_JOBRUN_FILE, type Tree } from './helpers';

const run = {
  apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
  kind: 'JobRun',
  metadata: { name: 'x' },
};

describe('narrowing to the generated types', () => {
  it('gives the typed view only of an object of the kind that its schema accepted', () => {
    expect(narrowed<JobRun>({ file: 'a', object: run, accepted: true }, 'JobRun')).toBe(run);
    expect(narrowed<JobRun>({ file: 'a', object: run, accepted: false }, 'JobRun')).toBeUndefined();
    expect(narrowed<JobRun>({ file: 'a', object: { ...run, kind: 'Job' }, accepted: true }, 'JobRun')).toBe(
      undefined,
    );
    expect(
      acceptedObjects<JobRun>(
        [
          { file: 'a', object: run, accepted: true },
          { file: 'b', object: run, accepted: false },
        ],
        'JobRun',
      ),
    ).toEqual([{ file: 'a', object: run }]);
  });

  it("judges a JobRun's payload once its schema accepts it, and reports the schema before", () => {
    const rules = (set: ReturnType<typeof withJob>) =>
      findings(set)
        .filter((f) => f.file === SAMPLE_JOBRUN_FILE)
        .map((f) => f.rule);
    const unretained = (j: Tree) => {
      j.metadata.annotations['services.k8s.aws/deletion-policy'] = 'delete';
    };
    expect(rules(withJob(unretained))).toEqual(['jobrun.deletion-policy']);
    const refused = rules(
      withJob((j) => {
        unretained(j);
        j.spec.releaseLabel = 7;
      }),
    );
    expect(refused).toContain('schema.type');
    expect(refused).not.toContain('jobrun.deletion-policy');
  });
});
