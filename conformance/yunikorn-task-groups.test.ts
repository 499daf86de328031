import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { jobRuns, loaded, sparkDefaultsOf, teamObjects } from '../test/jobs/helpers';
import { sharedPath } from './shared';

/** The task-groups annotations of every gang-scheduled JobRun against YuniKorn's schema (../shared). */
describe('YuniKorn task-groups annotations', () => {
  const schema = JSON.parse(
    readFileSync(sharedPath('schemas', 'yunikorn', 'task-groups.schema.json'), 'utf8'),
  ) as object;
  const validate = new Ajv({ strict: false }).compile(schema);
  const annotated = [...jobRuns(teamObjects(loaded()))]
    .map(
      ([job, run]) =>
        [
          job,
          sparkDefaultsOf(run)['spark.kubernetes.driver.annotation.yunikorn.apache.org/task-groups'],
        ] as const,
    )
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

  it('exist in the default platform (the seed gang-scheduled example)', () => {
    expect(annotated.map(([job]) => job)).toContain('taxi-yunikorn-gang');
  });

  it.each(annotated)('%s: valid against the task-groups schema', (_job, value) => {
    const parsed = JSON.parse(value) as unknown;
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  });
});
