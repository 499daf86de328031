/** Argo CD's resource hook annotation: when in a sync the object is created. */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** Argo CD's annotation saying when a hook's previous object is deleted. */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/**
 * The annotations that make a team's Job an Argo CD Sync hook: created anew in every sync, in
 * its sync wave (after the objects it needs, before the JobRuns that need it), once the Job of
 * the same name from the previous sync is deleted. A Job that failed is therefore re-run by the
 * next sync (Argo CD's automated retry, a new commit, or a manual sync) instead of staying
 * Failed and stopping every later sync at its wave. The Jobs are idempotent (what is already in
 * S3 is skipped), so a re-run of a completed one costs only its `head-object` calls.
 */
export const SYNC_HOOK_ANNOTATIONS: Readonly<Record<string, string>> = {
  [HOOK_ANNOTATION]: 'Sync',
  [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation',
};

/**
 * How long a finished hook Job (and its pods) stays as the record of its run: a week. Argo CD
 * does not prune hooks, so without it every earlier content-addressed Job would stay forever;
 * the one of the last sync is replaced by the next sync anyway.
 */
export const HOOK_JOB_TTL_SECONDS = 7 * 24 * 3600;
