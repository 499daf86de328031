import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../manifests/render';
import { jobRuns, loaded, specOf, teamObjects } from '../test/jobs/helpers';
import { sharedPath } from './shared';

/**
 * The rendered JobRuns against the upstream ACK CRD itself (../shared/schemas), including the
 * regexes it states only in its descriptions, which the derived schema in validation/schemas
 * does not carry.
 */
const runs = jobRuns(teamObjects(loaded()));

describe('JobRun against the ACK emrcontainers v1.4.1 CRD', () => {
  const crd = load(
    readFileSync(sharedPath('schemas', 'crds', 'emrcontainers.services.k8s.aws_jobruns.yaml'), 'utf8'),
  ) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
  if (!version) throw new Error('the CRD serves no v1alpha1');
  const schema = version.schema.openAPIV3Schema;
  const specSchema = schema.properties?.spec;

  interface Schema {
    type?: string;
    description?: string;
    properties?: Record<string, Schema>;
    additionalProperties?: Schema | boolean;
    items?: Schema;
    [key: string]: unknown;
  }

  /** The API server's strict field validation: unknown fields are errors wherever properties are listed. */
  function strict(node: Schema): Schema {
    const copy: Schema = { ...node };
    delete copy['x-kubernetes-validations'];
    if (copy.properties) {
      copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([k, v]) => [k, strict(v)]));
      if (copy.additionalProperties === undefined) copy.additionalProperties = false;
    }
    if (copy.items) copy.items = strict(copy.items);
    if (typeof copy.additionalProperties === 'object')
      copy.additionalProperties = strict(copy.additionalProperties);
    return copy;
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(strict(schema));

  /** The description-only regex of a spec field (`Regex Pattern: \`…\``). */
  function pattern(field: string): RegExp {
    const text = specSchema?.properties?.[field]?.description ?? '';
    const match = /Regex Pattern: `(.+)`/.exec(text);
    if (!match?.[1]) throw new Error(`no pattern for ${field}`);
    return new RegExp(match[1].replace(/\\u002F/g, '/'));
  }

  it('is valid against the schema with unknown fields rejected', () => {
    for (const run of runs.values()) {
      const valid = validate(run);
      expect(validate.errors ?? [], run.metadata.name).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('uses only spec fields the CRD declares', () => {
    const declared = Object.keys(specSchema?.properties ?? {});
    for (const run of runs.values()) {
      for (const key of Object.keys(run.spec as object)) expect(declared, key).toContain(key);
    }
  });

  it('has the fields StartJobRun needs, which the CRD does not require', () => {
    for (const run of runs.values()) {
      const spec = specOf(run);
      expect(typeof spec.name).toBe('string');
      expect(typeof spec.executionRoleARN).toBe('string');
      expect(typeof spec.releaseLabel).toBe('string');
      expect(typeof spec.jobDriver.sparkSubmitJobDriver.entryPoint).toBe('string');
      expect(typeof spec.configurationOverrides).toBe('string');
      // Exactly one of virtualClusterID and virtualClusterRef.
      expect('virtualClusterID' in spec).toBe(false);
      expect(spec.virtualClusterRef.from.name).toBeTruthy();
    }
  });

  it('matches the regexes the CRD only states in its descriptions', () => {
    for (const run of runs.values()) {
      const spec = specOf(run);
      expect(spec.name).toMatch(pattern('name'));
      expect(spec.executionRoleARN).toMatch(pattern('executionRoleARN'));
      expect(spec.releaseLabel).toMatch(pattern('releaseLabel'));
    }
  });

  it('rejects what the strict schema must reject (the check is live)', () => {
    const run = structuredClone(runs.get('sample-pi')) as K8sObject & { spec: Record<string, unknown> };
    run.spec.retryPolicyConfiguration = { maxAttempts: 2 };
    expect(validate(run)).toBe(false);
  });
});
