import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import type { ModelPod } from '../pod/model';
import type { Upload } from '../jobrun/content-address';
import { artifactUris, uploadOf } from '../jobrun/content-address';
import {
  compareStage,
  describe,
  stageLabel,
  type RuntimeObject,
  type RuntimeObjects,
} from '../../runtime/objects';

/**
 * The health model: whether an object Argo CD has applied can ever report Healthy, given what
 * is applied by then (its own wave and earlier ones of its app, and other apps), following Argo
 * CD v3.5's rules:
 *
 * - built-in Go checks (gitops-engine `pkg/health`): a PersistentVolumeClaim is Healthy once
 *   Bound (Pending is Progressing); a Job once Complete (suspended is Suspended, failed is
 *   Degraded; a Job that is a Sync hook must complete for its sync to go on, and the next sync
 *   creates it again); a Pod once Running or Succeeded; Deployments, StatefulSets, DaemonSets once
 *   rolled out. Kinds without a check (Namespace, ConfigMap, ServiceAccount, RBAC, quotas,
 *   StorageClass, PersistentVolume, …) are Healthy as soon as they exist.
 * - the Lua checks: Karpenter's (NodePool and EC2NodeClass Healthy on `Ready`), and the
 *   project's (`argocd/health-checks.ts`): VirtualCluster Healthy once ACK created it, JobRun
 *   once COMPLETED (ACK submits it only once its VirtualCluster reference resolves), Application
 *   when its child application is Healthy.
 *
 * What can become Healthy with no consumer yet: everything above except a claim whose
 * StorageClass binds `WaitForFirstConsumer`, which stays Pending until a pod that mounts it is
 * scheduled. Controllers are assumed to succeed (a Job completes, a JobRun COMPLETES); what the
 * model catches is what can never happen because of the order of the waves.
 */

/** An object's prospects. */
export type Outcome =
  | { readonly state: 'healthy' }
  /** Never Healthy while the later waves wait for it. */
  | { readonly state: 'stuck'; readonly reason: string }
  /** Starts before something it needs is done, and fails (Degraded). */
  | { readonly state: 'late'; readonly reason: string };

/** What the health rules read besides the object itself. */
export interface HealthContext {
  readonly objects: RuntimeObjects;
  readonly pods: readonly ModelPod[];
  readonly uploads: readonly Upload[];
  /** Child applications that can never report Healthy. */
  readonly unhealthyApps: ReadonlySet<string>;
}

const HEALTHY: Outcome = { state: 'healthy' };

function where(o: RuntimeObject): string {
  return `${describe(o)} (${stageLabel(o)})`;
}

/**
 * Whether `dependency` is applied by the time `o` waits for health (and how it is not): objects
 * of other apps are, objects of its own app if they come in an earlier or the same step (phase,
 * then wave: Sync hooks are ordered by wave with the plain resources).
 */
function notApplied(dependency: RuntimeObject, o: RuntimeObject): string | undefined {
  if (dependency.phase === 'none') return `${describe(dependency)} is a hook no sync ever applies`;
  if (dependency.app !== o.app || compareStage(dependency, o) <= 0) return undefined;
  return `${where(dependency)} comes after it`;
}

function requires(
  ctx: HealthContext,
  o: RuntimeObject,
  kind: string,
  name: string,
  namespace: string | undefined,
  why: string,
  absentIsFatal: boolean,
): Outcome | undefined {
  const dependency = ctx.objects.find(kind, name, namespace);
  if (dependency === undefined) {
    return absentIsFatal
      ? { state: 'stuck', reason: `${why} ${kind} ${name}, which is not rendered` }
      : undefined;
  }
  const late = notApplied(dependency, o);
  return late === undefined ? undefined : { state: 'stuck', reason: `${why} ${kind} ${name}, but ${late}` };
}

function defaultStorageClass(ctx: HealthContext): RuntimeObject | undefined {
  return ctx.objects
    .ofKind('StorageClass')
    .find(
      (c) =>
        obj(obj(c.object.metadata).annotations)['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
}

function claimHealth(ctx: HealthContext, claim: RuntimeObject): Outcome {
  const spec = obj(claim.object.spec);
  const volumeName = str(spec.volumeName);
  if (volumeName !== undefined) {
    return requires(ctx, claim, 'PersistentVolume', volumeName, undefined, 'binds', true) ?? HEALTHY;
  }
  const className = str(spec.storageClassName) ?? defaultStorageClass(ctx)?.name;
  if (className === '') {
    const claimed = ctx.objects.ofKind('PersistentVolume').some((pv) => {
      const ref = obj(obj(pv.object.spec).claimRef);
      return ref.name === claim.name && ref.namespace === claim.namespace;
    });
    return claimed
      ? HEALTHY
      : {
          state: 'stuck',
          reason:
            'stays Pending: with storageClassName "" it binds only a pre-created PersistentVolume, and none claims it',
        };
  }
  if (className === undefined) {
    return { state: 'stuck', reason: 'stays Pending: it names no StorageClass and none is the default' };
  }
  const storageClass = ctx.objects.find('StorageClass', className, undefined);
  if (storageClass === undefined) {
    return {
      state: 'stuck',
      reason: `stays Pending: StorageClass ${className} is not defined in this environment, so nothing provisions it`,
    };
  }
  const late = notApplied(storageClass, claim);
  if (late !== undefined) return { state: 'stuck', reason: `stays Pending: its StorageClass ${late}` };
  if (storageClass.object.volumeBindingMode !== 'WaitForFirstConsumer') return HEALTHY;
  const consumers = [
    ...new Set(
      ctx.pods
        .filter((p) => p.namespace === claim.namespace && p.claims.includes(claim.name))
        .map((p) => p.owner),
    ),
  ];
  if (consumers.some((c) => notApplied(c, claim) === undefined)) return HEALTHY;
  return {
    state: 'stuck',
    reason:
      consumers.length === 0
        ? `stays Pending: StorageClass ${className} binds WaitForFirstConsumer and nothing mounts the claim`
        : `stays Pending: StorageClass ${className} binds WaitForFirstConsumer and its first consumer, ${consumers.map(where).join(', ')}, comes later`,
  };
}

/** The pod spec of a workload kind. */
function podSpec(o: RuntimeObject): Json | undefined {
  const spec = obj(o.object.spec);
  switch (o.kind) {
    case 'Pod':
      return spec;
    case 'Job':
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return obj(obj(spec.template).spec);
    default:
      return undefined;
  }
}

function workloadHealth(ctx: HealthContext, o: RuntimeObject, spec: Json): Outcome {
  if (o.kind === 'Job' && obj(o.object.spec).suspend === true) {
    return {
      state: 'stuck',
      reason: 'is suspended: Argo CD reports a suspended Job as Suspended, never Healthy',
    };
  }
  const account = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
  const checks: (Outcome | undefined)[] = [
    account === 'default'
      ? undefined
      : requires(ctx, o, 'ServiceAccount', account, o.namespace, 'never creates its pods: it runs as', true),
  ];
  for (const volume of arr(spec.volumes).filter(isObject)) {
    const configMap = obj(volume.configMap);
    const secret = obj(volume.secret);
    const claim = str(obj(volume.persistentVolumeClaim).claimName);
    if (typeof configMap.name === 'string' && configMap.optional !== true)
      checks.push(
        requires(ctx, o, 'ConfigMap', configMap.name, o.namespace, 'never starts its pods: they mount', true),
      );
    if (typeof secret.secretName === 'string' && secret.optional !== true)
      checks.push(
        requires(
          ctx,
          o,
          'Secret',
          secret.secretName,
          o.namespace,
          'never starts its pods: they mount',
          false,
        ),
      );
    if (claim !== undefined)
      checks.push(
        requires(
          ctx,
          o,
          'PersistentVolumeClaim',
          claim,
          o.namespace,
          'never starts its pods: they mount',
          true,
        ),
      );
  }
  return checks.find((c) => c !== undefined) ?? HEALTHY;
}

function jobRunHealth(ctx: HealthContext, run: RuntimeObject): Outcome {
  const from = obj(obj(obj(run.object.spec).virtualClusterRef).from);
  const name = str(from.name);
  if (name !== undefined) {
    const stuck = requires(
      ctx,
      run,
      'VirtualCluster',
      name,
      str(from.namespace) ?? run.namespace,
      'is never submitted: ACK waits for its reference to',
      true,
    );
    if (stuck !== undefined) return stuck;
  }
  for (const uri of artifactUris(run)) {
    const upload = uploadOf(ctx.uploads, uri, run.namespace);
    if (upload?.job.phase === 'none') {
      return {
        state: 'stuck',
        reason: `reads ${uri}, which only ${describe(upload.job)} uploads, a hook no sync ever applies: the job fails without its file`,
      };
    }
    if (upload === undefined || upload.job.app !== run.app || compareStage(upload.job, run) < 0) continue;
    return {
      state: 'late',
      reason: `reads ${uri}, which ${where(upload.job)} uploads no earlier than the JobRun is submitted: the job can start before its file exists, and fails`,
    };
  }
  return HEALTHY;
}

function virtualClusterHealth(ctx: HealthContext, vc: RuntimeObject): Outcome {
  const bindings = ctx.objects
    .ofKind('RoleBinding', vc.namespace)
    .filter((b) =>
      arr(b.object.subjects).some((s) => isObject(s) && s.kind === 'User' && s.name === 'emr-containers'),
    );
  if (bindings.length === 0) {
    return {
      state: 'stuck',
      reason:
        'is never created: EMR needs the emr-containers RoleBinding in its namespace, which is not rendered',
    };
  }
  if (bindings.some((b) => b.app !== vc.app || compareStage(b, vc) < 0)) return HEALTHY;
  const binding = bindings[0] as RuntimeObject;
  return compareStage(binding, vc) === 0
    ? {
        state: 'late',
        reason: `is created in the same wave as ${describe(binding)}: EMR checks the emr-containers RBAC when it registers the virtual cluster, and may find none`,
      }
    : {
        state: 'stuck',
        reason: `is never created: EMR needs the emr-containers RoleBinding, but ${where(binding)} comes after it`,
      };
}

function nodePoolHealth(ctx: HealthContext, pool: RuntimeObject): Outcome {
  const name = str(obj(obj(obj(obj(pool.object.spec).template).spec).nodeClassRef).name);
  if (name === undefined) return HEALTHY;
  return (
    requires(ctx, pool, 'EC2NodeClass', name, undefined, 'is never Ready: its nodeClassRef names', true) ??
    HEALTHY
  );
}

function applicationHealth(ctx: HealthContext, app: RuntimeObject): Outcome {
  const path = str(obj(obj(app.object.spec).source).path) ?? '';
  const child = path.split('/').filter(Boolean).at(-1) ?? '';
  return ctx.unhealthyApps.has(child)
    ? {
        state: 'stuck',
        reason: `stays Progressing: its application ${child} never becomes Healthy (see its findings)`,
      }
    : HEALTHY;
}

/** The prospects of one applied object. */
export function health(ctx: HealthContext, o: RuntimeObject): Outcome {
  if (o.kind === 'PersistentVolumeClaim') return claimHealth(ctx, o);
  if (o.kind === 'JobRun') return jobRunHealth(ctx, o);
  if (o.kind === 'VirtualCluster') return virtualClusterHealth(ctx, o);
  if (o.kind === 'NodePool') return nodePoolHealth(ctx, o);
  if (o.kind === 'Application' && o.group === 'argoproj.io') return applicationHealth(ctx, o);
  const spec = podSpec(o);
  return spec === undefined ? HEALTHY : workloadHealth(ctx, o, spec);
}
