import type { FindingSink } from '../../findings';
import { health, type HealthContext } from './health';
import { compareStage, describe, ROOT_APP, stageLabel, type RuntimeObject } from '../../runtime/objects';

/**
 * The sync model: Argo CD's first sync of an empty cluster, one application at a time. Argo CD
 * applies an application's objects phase by phase (PreSync hooks, then the Sync phase, then
 * PostSync hooks) and, inside a phase, wave by wave (`argocd.argoproj.io/sync-wave`, default
 * 0), hooks and plain resources alike; it starts the next step only when every object of the
 * current one reports Healthy (`health.ts`; a Job hook once it completed). An object that
 * cannot become Healthy with what is applied by then stops the sync for good: the later steps
 * are never applied.
 *
 * - `sync.wave-blocked`: such an object, its wave and the waves it keeps from being applied.
 * - `sync.never-healthy`: such an object in the last step: nothing is blocked inside its
 *   application, but the application never reports Healthy (and the root application waits).
 * - `sync.dependency-late`: an object that starts before what it needs is done (a JobRun in the
 *   same wave as the Job that uploads its files) and fails instead of waiting.
 * - `sync.job-not-hook`: a Job that is a plain resource of an application. One failed run (a
 *   transient download error, pods pending past the deadline) leaves it Failed for good: Argo
 *   CD never re-creates an unchanged object, reports it Degraded, and every later sync of the
 *   application stops at its wave until someone deletes it. A Sync hook is created anew by every
 *   sync (after deleting the previous one, `BeforeHookCreation`, Argo CD's default), so the next
 *   sync re-runs it.
 *
 * Child applications are simulated first; the root application (`<env>/argocd/`) then waits for
 * each child Application in its wave. Each object is judged on its own: objects of later steps
 * are still checked as if the blocked ones had become Healthy, so one run lists every problem.
 * Hooks that run only when a sync fails or an app is deleted, and `Skip` hooks, are not applied
 * by a sync and are not simulated.
 */

/** `10`, or `PostSync 0` outside the Sync phase: a step of a sync, for messages. */
function stepName(o: RuntimeObject): string {
  return o.phase === 'Sync' ? String(o.wave) : `${o.phase} ${o.wave}`;
}

/** Simulates one application; returns whether it can ever report Healthy. */
function simulate(
  sink: FindingSink,
  ctx: HealthContext,
  app: string,
  objects: readonly RuntimeObject[],
): boolean {
  const steps = [...objects].sort(compareStage);
  let healthy = true;
  for (const o of objects) {
    const outcome = health(ctx, o);
    if (outcome.state === 'healthy') continue;
    healthy = false;
    const name = app === ROOT_APP ? 'the root application' : `app ${app}`;
    if (outcome.state === 'late') {
      sink.report(
        o.file,
        '$',
        'sync.dependency-late',
        `${describe(o)} (${stageLabel(o)}) ${outcome.reason}; move it to a later wave than what it needs (argocd/sync-waves.ts)`,
      );
      continue;
    }
    const blocked = [...new Set(steps.filter((s) => compareStage(s, o) > 0).map(stepName))];
    if (blocked.length > 0) {
      sink.report(
        o.file,
        '$',
        'sync.wave-blocked',
        `${describe(o)} (${stageLabel(o)}) ${outcome.reason}; Argo CD waits for it and never applies wave${blocked.length > 1 ? 's' : ''} ${blocked.join(', ')} of ${name}`,
      );
    } else {
      sink.report(
        o.file,
        '$',
        'sync.never-healthy',
        `${describe(o)} (${stageLabel(o)}) ${outcome.reason}; ${name} never becomes Healthy`,
      );
    }
  }
  return healthy;
}

/** Jobs an application tracks as plain resources: one failure blocks its syncs for good. */
function checkJobsAreHooks(sink: FindingSink, objects: readonly RuntimeObject[]): void {
  for (const o of objects) {
    if (o.kind !== 'Job' || o.group !== 'batch' || o.hook.length > 0 || o.app === '') continue;
    const app = o.app === ROOT_APP ? 'the root application' : `app ${o.app}`;
    sink.report(
      o.file,
      '$.metadata.annotations',
      'sync.job-not-hook',
      `${describe(o)} (wave ${o.wave}) is a plain resource of ${app}: after one failed run it stays Failed, Argo CD reports it Degraded and every later sync stops at wave ${o.wave} until someone deletes it; make it a Sync hook (argocd.argoproj.io/hook: Sync, argocd.argoproj.io/hook-delete-policy: BeforeHookCreation) whose re-run is harmless`,
    );
  }
}

/** The first sync of every application of one environment. */
export function checkSync(sink: FindingSink, ctx: Omit<HealthContext, 'unhealthyApps'>): void {
  checkJobsAreHooks(sink, ctx.objects.all);
  const apps = new Map<string, RuntimeObject[]>();
  for (const o of ctx.objects.all) {
    if (o.phase === 'none') continue;
    const listed = apps.get(o.app);
    if (listed === undefined) apps.set(o.app, [o]);
    else listed.push(o);
  }
  const unhealthyApps = new Set<string>();
  const context: HealthContext = { ...ctx, unhealthyApps };
  for (const [app, objects] of apps) {
    if (app === ROOT_APP) continue;
    if (!simulate(sink, context, app, objects)) unhealthyApps.add(app);
  }
  const root = apps.get(ROOT_APP);
  if (root !== undefined) simulate(sink, context, ROOT_APP, root);
}
