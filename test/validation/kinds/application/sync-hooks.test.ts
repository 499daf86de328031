/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the corpus edits rendered YAML trees in place. */
import { describe, expect, it } from 'vitest';
import type { ValidationSet } from '../../../../validation/validate';
import { devEnvironment, edited, findingsOf, fixtureJobRun, fixtureSet } from '../../fixture-runtime';

/**
 * The sync model with Argo CD resource hooks: a Sync hook is ordered by its wave with the plain
 * resources, PreSync hooks come before every wave and PostSync hooks after, and a Job that is a
 * plain resource is reported (one failed run would block every later sync of its app).
 */

const env = devEnvironment();
const base = fixtureSet(env);
const withRun = fixtureSet(env, [fixtureJobRun(base, env)]);
const UPLOAD = /\/emr-data-team-a\/Job\.upload-artifacts-[0-9a-f]{8}\.yaml$/;
const RUN = /\/JobRun\.pi-0123abcd\.yaml$/;
const HOOK = 'argocd.argoproj.io/hook';
const WAVE = 'argocd.argoproj.io/sync-wave';

function uploadJob(set: ValidationSet, change: (annotations: Record<string, string>) => void): ValidationSet {
  return edited(set, UPLOAD, (o) => change(o.metadata.annotations as Record<string, string>));
}

const named = (set: ValidationSet, rule: string, file: RegExp) =>
  findingsOf(set, rule).filter((f) => file.test(f.file));

describe('Argo CD hooks in the sync model', () => {
  it('passes the rendered Jobs, Sync hooks in the wave before the JobRuns', () => {
    expect(findingsOf(base, /./)).toEqual([]);
    expect(findingsOf(withRun, /./)).toEqual([]);
  });

  it('reports a Job that is a plain resource: once Failed it blocks every later sync', () => {
    const plain = uploadJob(withRun, (a) => {
      delete a[HOOK];
      delete a['argocd.argoproj.io/hook-delete-policy'];
    });
    const found = named(plain, 'sync.job-not-hook', UPLOAD);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('make it a Sync hook');
    expect(found[0]?.message).toContain('every later sync stops at wave');
  });

  it('orders a Sync hook by its wave: in the JobRun wave it uploads too late', () => {
    const run = withRun.documents.find((d) => RUN.test(d.file))?.object as {
      metadata: { annotations: Record<string, string> };
    };
    const late = uploadJob(withRun, (a) => {
      a[WAVE] = run.metadata.annotations[WAVE] ?? '';
    });
    const found = named(late, 'sync.dependency-late', RUN);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('(Sync hook, wave');
  });

  it('runs PostSync hooks after every wave, and PreSync hooks before', () => {
    const post = uploadJob(withRun, (a) => {
      a[HOOK] = 'PostSync';
      a[WAVE] = '0';
    });
    expect(named(post, 'sync.dependency-late', RUN)).toHaveLength(1);
    const pre = uploadJob(withRun, (a) => {
      a[HOOK] = 'PreSync';
      a[WAVE] = '50';
    });
    expect(named(pre, 'sync.dependency-late', RUN)).toEqual([]);
  });

  it('reports a Sync hook that cannot start, blocking the waves after it', () => {
    const set = edited(withRun, UPLOAD, (o) => {
      o.spec.template.spec.serviceAccountName = 'no-such-account';
    });
    const found = named(set, 'sync.wave-blocked', UPLOAD);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/\(Sync hook, wave \d+\) never creates its pods/);
  });

  it('does not apply Skip hooks: a JobRun reading what a skipped Job would upload is reported', () => {
    const skipped = uploadJob(withRun, (a) => {
      a[HOOK] = 'Skip';
    });
    expect(named(skipped, 'sync.wave-blocked', UPLOAD)).toEqual([]);
    expect(named(skipped, 'sync.job-not-hook', UPLOAD)).toEqual([]);
    const run = [...named(skipped, 'sync.wave-blocked', RUN), ...named(skipped, 'sync.never-healthy', RUN)];
    expect(run).toHaveLength(1);
    expect(run[0]?.message).toContain('a hook no sync ever applies');
  });
});
