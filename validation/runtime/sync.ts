import type { FindingSink } from '../findings';
import { asObject as obj } from '../json';
import { health, type HealthContext } from './health';
import { describe, ROOT_APP, type RuntimeObject } from './objects';

/**
 * The sync model: Argo CD's first sync of an empty cluster, one application at a time. Argo CD
 * applies an application's objects wave by wave (`argocd.argoproj.io/sync-wave`, default 0) and
 * starts the next wave only when every object of the current one reports Healthy
 * (`health.ts`). An object that cannot become Healthy with what is applied by then stops the
 * sync for good: the later waves are never applied.
 *
 * - `sync.wave-blocked`: such an object, its wave and the waves it keeps from being applied.
 * - `sync.never-healthy`: such an object in the last wave: nothing is blocked inside its
 *   application, but the application never reports Healthy (and the root application waits).
 * - `sync.dependency-late`: an object that starts before what it needs is done (a JobRun in the
 *   same wave as the Job that uploads its files) and fails instead of waiting.
 *
 * Child applications are simulated first; the root application (`<env>/argocd/`) then waits for
 * each child Application in its wave. Each object is judged on its own: objects of later waves
 * are still checked as if the blocked ones had become Healthy, so one run lists every problem.
 * Resource hooks (`argocd.argoproj.io/hook`) are not part of waves and are not simulated.
 */

const HOOK = 'argocd.argoproj.io/hook';

/** Simulates one application; returns whether it can ever report Healthy. */
function simulate(
  sink: FindingSink,
  ctx: HealthContext,
  app: string,
  objects: readonly RuntimeObject[],
): boolean {
  const waves = [...new Set(objects.map((o) => o.wave))].sort((a, b) => a - b);
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
        `${describe(o)} (wave ${o.wave}) ${outcome.reason}; move it to a later wave than what it needs (argocd/sync-waves.ts)`,
      );
      continue;
    }
    const blocked = waves.filter((w) => w > o.wave);
    if (blocked.length > 0) {
      sink.report(
        o.file,
        '$',
        'sync.wave-blocked',
        `${describe(o)} (wave ${o.wave}) ${outcome.reason}; Argo CD waits for it and never applies wave${blocked.length > 1 ? 's' : ''} ${blocked.join(', ')} of ${name}`,
      );
    } else {
      sink.report(
        o.file,
        '$',
        'sync.never-healthy',
        `${describe(o)} (wave ${o.wave}) ${outcome.reason}; ${name} never becomes Healthy`,
      );
    }
  }
  return healthy;
}

/** The first sync of every application of one environment. */
export function checkSync(sink: FindingSink, ctx: Omit<HealthContext, 'unhealthyApps'>): void {
  const apps = new Map<string, RuntimeObject[]>();
  for (const o of ctx.objects.all) {
    if (obj(obj(o.object.metadata).annotations)[HOOK] !== undefined) continue;
    apps.set(o.app, [...(apps.get(o.app) ?? []), o]);
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
