import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { JOB_FILE_MODELINE, JOB_SCHEMA_FILE, jobFileJsonSchema } from '../../config/job-files';
import { formattedJobSchema } from '../../scripts/schemas';
import { SEED_ROOT } from '../fixtures';

/** Every job file of the seed fixture, relative to the fixture. */
function fixtureJobFiles(): string[] {
  return readdirSync(join(SEED_ROOT, 'jobs'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(entry.parentPath, entry.name).slice(SEED_ROOT.length + 1))
    .sort();
}

const validate = new Ajv({ allErrors: true, strict: true }).compile(jobFileJsonSchema());

describe('the job file JSON Schema', () => {
  it(`is written to ${JOB_SCHEMA_FILE} by npm run schemas (the CI drift gate checks it), as formatted JSON`, async () => {
    const { file, text } = await formattedJobSchema();
    expect(file.endsWith(JOB_SCHEMA_FILE)).toBe(true);
    expect(JSON.parse(text)).toEqual(jobFileJsonSchema());
    expect(text).toMatch(/^\{\n {2}"\$schema": "http:\/\/json-schema\.org\/draft-07\/schema#",\n/);
  });

  it('is draft-07 (what yaml-language-server supports) and documents every field', () => {
    const schema = jobFileJsonSchema() as {
      $schema: string;
      title: string;
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toBe('emr-eks-gitops job');
    expect(schema.additionalProperties).toBe(false);
    for (const [field, property] of Object.entries(schema.properties)) {
      expect(property.description, field).toMatch(/\S/);
    }
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['name', 'script', 'rerun', 'environments', 'nodePool', 'executor']),
    );
  });

  it.each(fixtureJobFiles())('is referenced by %s and accepts it', (path) => {
    const text = readFileSync(join(SEED_ROOT, path), 'utf8');
    expect(text.split('\n')[0]).toBe(JOB_FILE_MODELINE);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown key', { nodepool: 'spark-memory-optimized' }, 'additionalProperties'],
    ['a wrong type', { executor: { instances: 'two' } }, 'type'],
    ['an unknown storage variant', { storage: 'ssd' }, 'enum'],
    ['a bad memory size', { driver: { memory: '4 GB' } }, 'pattern'],
    ['a negative rerun counter', { rerun: -1 }, 'minimum'],
    ['an empty environment list', { environments: [] }, 'minItems'],
  ])('flags %s in an editor', (_what, change, keyword) => {
    const job = { name: 'etl', script: 'jobs/emr-data-team-a/etl.py', ...change };
    expect(validate(job)).toBe(false);
    expect(validate.errors?.map((error) => error.keyword)).toContain(keyword);
  });
});
