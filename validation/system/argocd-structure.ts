import type { FindingSink } from '../findings';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../lib/json';
import { groupSatisfies, nodePools } from '../kinds/nodepool/node-groups';
import { compareStage, ROOT_APP, stageLabel, type RuntimeObject } from '../runtime/objects';
import { jobRunConf } from '../kinds/jobrun/spark-conf';
import { named, type SystemContext, type SystemModel } from './context';
import { wildcardMatch } from '../../lib/wildcard';

/**
 * Argo CD's structure (class 2 of the system models): the Applications the root app syncs,
 * their AppProjects, and the folders they point at.
 *
 * - An Application's `source.path` is a folder of the render (`dist/<env>/k8s/<app>`).
 * - Its `spec.project` is a rendered AppProject, and that project permits its destination
 *   (server and namespace, Argo CD's glob match with `!` negation) and the namespace of every
 *   namespaced object in its folder.
 * - The project's whitelists admit every kind the folder holds: cluster-scoped kinds must be in
 *   `clusterResourceWhitelist` (by group, kind and, when set, name) and not in the blacklist;
 *   namespaced kinds in `namespaceResourceWhitelist` when the project has one.
 * - A namespaced object is not applied before its Namespace in the same application.
 * - The root app's waves follow the dependencies between applications: an application whose
 *   pods need a NodePool, a StorageClass, the YuniKorn queues or a Namespace of another
 *   application syncs in a later wave than it, and after its AppProject.
 */

interface Destination {
  readonly server: string;
  readonly namespace: string;
}

/** Whether a project's destinations admit (server, namespace): an allow matches and no deny does. */
function permitted(project: Json, target: Destination): boolean {
  const destinations = arr(obj(project.spec).destinations).filter(isObject);
  let allowed = false;
  for (const d of destinations) {
    const server = str(d.server) ?? str(d.name) ?? '';
    const namespace = str(d.namespace) ?? '';
    const deny = namespace.startsWith('!') || server.startsWith('!');
    const serverMatch = wildcardMatch(server.replace(/^!/, ''), target.server);
    const namespaceMatch = wildcardMatch(namespace.replace(/^!/, ''), target.namespace);
    if (deny) {
      if (serverMatch && (namespace.startsWith('!') ? namespaceMatch : true)) return false;
    } else if (serverMatch && namespaceMatch) allowed = true;
  }
  return allowed;
}

function listed(entries: unknown, o: RuntimeObject): boolean {
  return arr(entries)
    .filter(isObject)
    .some(
      (e) =>
        wildcardMatch(str(e.group) ?? '', o.group) &&
        wildcardMatch(str(e.kind) ?? '', o.kind) &&
        (e.name === undefined || wildcardMatch(str(e.name) ?? '', o.name)),
    );
}

/** `<env>/k8s/<app>` of a rendered file, the folder an Application points at. */
function folderOf(file: string): string | undefined {
  return /(?:^|\/)([^/]+\/k8s\/[^/]+)\//.exec(file)?.[1];
}

/** The rendered objects by application folder (`<env>/k8s/<app>`). */
function byFolder(context: SystemContext): Map<string, RuntimeObject[]> {
  const found = new Map<string, RuntimeObject[]>();
  for (const o of context.objects.all) {
    const folder = folderOf(o.file);
    if (folder === undefined) continue;
    const list = found.get(folder) ?? [];
    list.push(o);
    found.set(folder, list);
  }
  return found;
}

/** The rendered objects an Application's `source.path` holds. */
function folderObjects(
  folders: ReadonlyMap<string, readonly RuntimeObject[]>,
  path: string,
): RuntimeObject[] {
  const relative = path
    .replace(/^\.?\/?/, '')
    .replace(/^dist\//, '')
    .replace(/\/+$/, '');
  const top = relative.split('/').slice(0, 3).join('/');
  const held = folders.get(top) ?? [];
  return top === relative ? [...held] : held.filter((o) => o.file.includes(`${relative}/`));
}

function checkApplication(
  sink: FindingSink,
  app: RuntimeObject,
  held: readonly RuntimeObject[],
  projects: ReadonlyMap<string, RuntimeObject>,
  folders: readonly string[],
): void {
  const spec = obj(app.object.spec);
  const path = str(obj(spec.source).path);
  // A set with no application folder at all (the Argo CD files alone) says nothing about paths.
  if (path !== undefined && held.length === 0 && folders.length > 0) {
    sink.report(
      app.file,
      '$.spec.source.path',
      'system.argocd-source-path',
      `${named(app)} syncs ${path}, which holds no rendered object (the render's application folders are ${folders.join(', ')}); point source.path at one of them`,
    );
  }
  const projectName = str(spec.project) ?? 'default';
  const project = projects.get(projectName);
  if (project === undefined) {
    sink.report(
      app.file,
      '$.spec.project',
      'system.argocd-project-missing',
      `${named(app)} belongs to project ${projectName}, which the render does not define (projects: ${[...projects.keys()].join(', ')}); name one of them or render the AppProject`,
    );
    return;
  }
  const destination = obj(spec.destination);
  const server = str(destination.server) ?? str(destination.name) ?? '';
  const target = { server, namespace: str(destination.namespace) ?? '' };
  if (!permitted(project.object, target)) {
    sink.report(
      app.file,
      '$.spec.destination',
      'system.argocd-destination',
      `${named(app)} deploys to server ${server} namespace ${target.namespace || '(none)'}, which ${named(project)} does not permit; add the destination to the project or change the Application's destination`,
    );
  }
  // Each namespace and each kind is judged once per application.
  const checked = new Set<string>();
  const projectSpec = obj(project.object.spec);
  for (const o of held) {
    if (o.namespace !== undefined) {
      const key = `ns\0${o.namespace}`;
      const fresh = !checked.has(key);
      checked.add(key);
      if (fresh && !permitted(project.object, { server, namespace: o.namespace })) {
        sink.report(
          o.file,
          '$.metadata.namespace',
          'system.argocd-destination',
          `${named(o)} is synced by ${named(app)} into namespace ${o.namespace}, which ${named(project)} does not permit; add the namespace to the project's destinations or move the object`,
        );
      }
    }
    const clusterScoped = o.namespace === undefined;
    const kindKey = `${o.group}/${o.kind}/${clusterScoped ? o.name : ''}`;
    if (checked.has(kindKey)) continue;
    checked.add(kindKey);
    const white = clusterScoped
      ? projectSpec.clusterResourceWhitelist
      : projectSpec.namespaceResourceWhitelist;
    const black = clusterScoped
      ? projectSpec.clusterResourceBlacklist
      : projectSpec.namespaceResourceBlacklist;
    const whitelisted = clusterScoped || arr(white).length > 0 ? listed(white, o) : true;
    if (whitelisted && !listed(black, o)) continue;
    const field = clusterScoped ? 'clusterResourceWhitelist' : 'namespaceResourceWhitelist';
    sink.report(
      o.file,
      '$.kind',
      'system.argocd-whitelist',
      `${named(o)} is in ${named(app)}'s folder, but ${named(project)} ${whitelisted ? `blacklists ${o.group || 'core'}/${o.kind}` : `has no ${field} entry for group "${o.group}" kind ${o.kind}${clusterScoped ? ` (name ${o.name})` : ''}`}, so Argo CD refuses to sync it; add it to the project's ${field}`,
    );
  }
}

function checkNamespaceWaves(sink: FindingSink, context: SystemContext): void {
  for (const o of context.objects.all) {
    if (o.namespace === undefined) continue;
    const namespace = context.namespace(o.namespace);
    if (namespace === undefined || namespace.app !== o.app || compareStage(o, namespace) >= 0) continue;
    sink.report(
      o.file,
      "$.metadata.annotations['argocd.argoproj.io/sync-wave']",
      'system.argocd-namespace-wave',
      `${named(o)} is applied in ${stageLabel(o)}, before its ${named(namespace)} (${stageLabel(namespace)}), so the API server refuses it (namespace not found); move it to wave ${namespace.wave} or later`,
    );
  }
}

/** What objects of one app folder need from other app folders: app → [needed app, why]. */
function dependencies(context: SystemContext): Map<string, Map<string, string>> {
  const needs = new Map<string, Map<string, string>>();
  const need = (from: string, to: string | undefined, why: string): void => {
    if (to === undefined || to === from || from === '' || to === '') return;
    const found = needs.get(from) ?? new Map<string, string>();
    if (!found.has(to)) found.set(to, why);
    needs.set(from, found);
  };
  const byFile = new Map(context.objects.all.map((o) => [o.file, o]));
  const pools = nodePools(context.objects.all);
  for (const template of context.podTemplates) {
    const owner = byFile.get(template.file);
    if (owner === undefined) continue;
    const selector = obj(obj(template.pod.spec).nodeSelector) as Record<string, string>;
    if (Object.keys(selector).length === 0) continue;
    for (const pool of pools.filter((p) => groupSatisfies(p, selector))) {
      const poolObject = byFile.get(pool.file);
      need(owner.app, poolObject?.app, `pod template ${template.key} runs on NodePool ${pool.name}`);
    }
  }
  const storageClasses = new Map(context.objects.ofKind('StorageClass').map((s) => [s.name, s]));
  const queues = context.objects.ofKind('ConfigMap').find((c) => c.name === 'yunikorn-configs');
  for (const o of context.objects.all) {
    if (o.namespace !== undefined) {
      const namespace = context.namespace(o.namespace);
      need(o.app, namespace?.app, `${o.kind} ${o.name} lives in Namespace ${o.namespace}`);
    }
    if (o.kind === 'PersistentVolumeClaim') {
      const sc = storageClasses.get(str(obj(o.object.spec).storageClassName) ?? '');
      need(o.app, sc?.app, `PersistentVolumeClaim ${o.name} uses StorageClass ${sc?.name ?? ''}`);
    }
    if (o.kind !== 'JobRun') continue;
    const { conf } = jobRunConf(obj(o.object.spec));
    for (const [key, value] of conf) {
      if (key.endsWith('.options.storageClass')) {
        const sc = storageClasses.get(value);
        need(o.app, sc?.app, `JobRun ${o.name} claims volumes of StorageClass ${value}`);
      }
      if (
        queues !== undefined &&
        (key.includes('yunikorn.apache.org/') || (key.endsWith('scheduler.name') && value === 'yunikorn'))
      )
        need(
          o.app,
          queues.app,
          `JobRun ${o.name} is scheduled by YuniKorn, whose queues ConfigMap ${queues.name} that app syncs`,
        );
    }
  }
  return needs;
}

function checkAppWaves(
  sink: FindingSink,
  context: SystemContext,
  apps: readonly { app: RuntimeObject; folder: string }[],
): void {
  const byFolder = new Map(apps.map((a) => [a.folder, a.app]));
  for (const [from, needed] of dependencies(context)) {
    const app = byFolder.get(from);
    if (app === undefined) continue;
    for (const [to, why] of needed) {
      const other = byFolder.get(to);
      if (other === undefined || compareStage(app, other) > 0) continue;
      sink.report(
        app.file,
        "$.metadata.annotations['argocd.argoproj.io/sync-wave']",
        'system.argocd-app-wave',
        `${named(app)} (${stageLabel(app)}) needs ${named(other)} (${stageLabel(other)}): ${why}; the root app must sync it in a wave after ${other.wave} (set this Application's sync-wave to ${other.wave + 1} or later)`,
      );
    }
  }
  const projects = new Map(context.objects.ofKind('AppProject').map((p) => [p.name, p]));
  for (const { app } of apps) {
    const project = projects.get(str(obj(app.object.spec).project) ?? '');
    if (project === undefined || project.app !== app.app || compareStage(project, app) <= 0) continue;
    sink.report(
      app.file,
      "$.metadata.annotations['argocd.argoproj.io/sync-wave']",
      'system.argocd-app-wave',
      `${named(app)} (${stageLabel(app)}) is created before its ${named(project)} (${stageLabel(project)}), so Argo CD refuses it until the project exists; put the project in an earlier wave`,
    );
  }
}

export const argocdStructure: SystemModel = {
  name: 'argocd-structure',
  check(sink, context) {
    const projects = new Map(context.objects.ofKind('AppProject').map((p) => [p.name, p]));
    const apps: { app: RuntimeObject; folder: string }[] = [];
    const held = byFolder(context);
    const folders = [...held.keys()].map((f) => `dist/${f}`).sort();
    for (const app of context.objects.ofKind('Application')) {
      if (app.app !== ROOT_APP) continue;
      const path = str(obj(obj(app.object.spec).source).path);
      if (path === undefined) continue;
      const objects = folderObjects(held, path);
      apps.push({ app, folder: objects[0]?.app ?? '' });
      checkApplication(sink, app, objects, projects, folders);
    }
    checkNamespaceWaves(sink, context);
    checkAppWaves(sink, context, apps);
  },
};
