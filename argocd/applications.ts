import type { Environment } from '../config';
import type { K8sApp } from '../manifests/render';
import { appNamespace } from './projects';
import { applicationWave, SYNC_WAVE_ANNOTATION } from './sync-waves';
import {
  ARGOCD_API_VERSION,
  ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  RESOURCES_FINALIZER,
  type Application,
  type ApplicationDestination,
  type ResourceIgnoreDifferences,
} from './types';

/** Props for {@link application}. */
export interface ApplicationProps {
  readonly env: Environment;
  /** The app (one `dist/<env>/k8s/<app>` folder) the Application syncs. */
  readonly app: K8sApp;
  /** The AppProject that bounds what the app may do. */
  readonly project: string;
  /**
   * A team app: JobRuns live here, so the JobRun field the controller writes back is ignored,
   * and the app may not take over an object another app manages.
   * @default false
   */
  readonly team?: boolean;
}

/** The folder an app is rendered into, relative to the repository root. */
export function appSourcePath(env: Environment, app: K8sApp): string {
  return `dist/${env.name}/k8s/${app.name}`;
}

/**
 * Kinds whose objects carry generated payloads that grow with the config (pod templates, queue
 * definitions, job scripts). Client-side apply copies a whole object into the
 * `last-applied-configuration` annotation, which is capped at 256 KiB; server-side apply has no
 * such copy, so apps with these kinds use it.
 */
const LARGE_PAYLOAD_KINDS: ReadonlySet<string> = new Set(['ConfigMap']);

/**
 * The ACK controller writes `spec.configurationOverrides` of a JobRun back (from what EMR
 * returns for the job run), so the live string differs from the rendered one; without this
 * every team app with a job would be OutOfSync for good, and self-heal would fight the
 * controller. The field is immutable anyway: a changed job is a new content-addressed JobRun.
 */
const JOB_RUN_IGNORED_FIELDS: ResourceIgnoreDifferences = {
  group: 'emrcontainers.services.k8s.aws',
  kind: 'JobRun',
  jsonPointers: ['/spec/configurationOverrides'],
};

function syncOptions(app: K8sApp, team: boolean): string[] {
  const options: string[] = [];
  if (team) {
    // Skip the ignored JobRun field when applying, not only when diffing.
    options.push('RespectIgnoreDifferences=true');
    // A team app never adopts an object that another Application already manages.
    options.push('FailOnSharedResource=true');
    // A pruned artifact Job goes with its pods before the sync reports success (Argo CD's
    // default today; stated so a change of default cannot leave uploader pods behind).
    options.push('PrunePropagationPolicy=foreground');
  }
  if (app.objects.some(({ object }) => LARGE_PAYLOAD_KINDS.has(object.kind))) {
    options.push('ServerSideApply=true');
  }
  return options.sort();
}

/**
 * The Application of one `dist/<env>/k8s/<app>` folder: synced from the environment's git
 * repository and revision into this cluster, pruning and self-healing automatically, retried
 * with backoff (10 s, doubling, at most 3 min, 5 times) while the objects of earlier waves or
 * other apps come up. Its own sync wave is the earliest wave of its contents, so the root
 * Application brings the platform apps up (and healthy) before the team apps.
 *
 * Team apps prune too: removing a JobRun from git deletes the Kubernetes object only, because
 * the JobRun carries ACK's deletion policy `retain`, so the EMR job run keeps running.
 */
export function application(props: ApplicationProps): Application {
  const { env, app, project } = props;
  const team = props.team ?? false;
  const namespace = appNamespace(app);
  const destination: ApplicationDestination =
    namespace === undefined ? { server: IN_CLUSTER_SERVER } : { server: IN_CLUSTER_SERVER, namespace };
  const options = syncOptions(app, team);
  return {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'Application',
    metadata: {
      name: app.name,
      namespace: ARGOCD_NAMESPACE,
      annotations: { [SYNC_WAVE_ANNOTATION]: String(applicationWave(app)) },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project,
      source: {
        repoURL: env.gitops.repoUrl,
        targetRevision: env.gitops.revision,
        path: appSourcePath(env, app),
        directory: { recurse: true },
      },
      destination,
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        ...(options.length > 0 ? { syncOptions: options } : {}),
      },
      ...(team ? { ignoreDifferences: [JOB_RUN_IGNORED_FIELDS] } : {}),
    },
  };
}
