/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument --
   the corpus edits rendered YAML trees in place. */
import { describe, expect, it } from 'vitest';
import type { ValidationSet } from '../../../../validation/validate';
import { devEnvironment, edited, findingsOf, fixtureJobRun, fixtureSet } from '../../fixture-runtime';
import type { Tree } from '../../helpers';

/**
 * The admission model and the containers EMR injects without resources (job-runner, the logging
 * containers): the team LimitRange gives them requests but no limits, the quota counts requests
 * only, and a LimitRange whose defaults are out of order is rejected by the API server.
 */

const env = devEnvironment();
const base = fixtureSet(env);
const LIMITS = '/emr-data-team-a/LimitRange.container-defaults.yaml';
const QUOTA = '/emr-data-team-a/ResourceQuota.team-budget.yaml';
const RUN = /\/JobRun\.pi-0123abcd\.yaml$/;

/** The fixture with a JobRun whose EMR logging containers request `memory` (and no limit). */
function withLogging(memory?: string): ValidationSet {
  return fixtureSet(env, [fixtureJobRun(base, env, memory ? { 'logging.request.memory': memory } : {})]);
}

function limitRange(set: ValidationSet, change: (item: Tree) => void): ValidationSet {
  return edited(set, LIMITS, (o) => change(o.spec.limits[0]));
}

const admission = (set: ValidationSet) => findingsOf(set, /^admission\./);

describe('containers EMR injects without resources', () => {
  it('are admitted with EMR default logging and with a 1Gi logging request: no default limit lands on them', () => {
    expect(admission(withLogging())).toEqual([]);
    expect(admission(withLogging('1Gi'))).toEqual([]);
  });

  it('would be rejected under a default limit below their request (the old 512Mi default)', () => {
    const set = limitRange(withLogging('1Gi'), (item) => {
      item.default = { memory: '512Mi' };
    });
    const found = findingsOf(set, 'admission.limit-below-request').filter((f) => RUN.test(f.file));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.message).toContain("limit from the namespace's LimitRange default is 512Mi");
    expect(found[0]?.message).toContain('EMR adds this container without a limit');
  });

  it('pass under a default limit above what EMR requests (near miss)', () => {
    const set = limitRange(withLogging('1Gi'), (item) => {
      item.default = { memory: '2Gi' };
    });
    expect(admission(set)).toEqual([]);
  });

  it('are rejected when the quota counts limits.memory and nothing sets their limit', () => {
    const set = edited(withLogging(), QUOTA, (o) => {
      o.spec.hard['limits.memory'] = '800Gi';
    });
    const found = findingsOf(set, 'admission.quota-unset').filter((f) => RUN.test(f.file));
    expect(found.map((f) => f.message).join('\n')).toMatch(/job-runner/);
  });
});

describe('a LimitRange as the API server validates it (admission.limit-range-invalid)', () => {
  const invalid = (set: ValidationSet) => findingsOf(set, 'admission.limit-range-invalid');

  it('passes the rendered LimitRange', () => {
    expect(invalid(base)).toEqual([]);
  });

  it('rejects a default limit below the default request', () => {
    const found = invalid(
      limitRange(base, (item) => {
        item.default = { memory: '128Mi' };
      }),
    );
    expect(found.map((f) => f.file.endsWith(LIMITS))).toEqual([true]);
    expect(found[0]?.message).toContain('its defaultRequest 256Mi memory is above its default 128Mi memory');
  });

  it('rejects a max below the default request (an unset default takes max)', () => {
    const found = invalid(
      limitRange(base, (item) => {
        item.max = { memory: '128Mi' };
      }),
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('after the API');
  });

  it('rejects a min above the default request', () => {
    expect(
      invalid(
        limitRange(base, (item) => {
          item.min = { cpu: '200m' };
        }),
      ),
    ).toHaveLength(1);
  });

  it('accepts a default limit equal to the default request (near miss)', () => {
    expect(
      invalid(
        limitRange(base, (item) => {
          item.default = { memory: '256Mi', cpu: '100m' };
        }),
      ),
    ).toEqual([]);
  });
});
