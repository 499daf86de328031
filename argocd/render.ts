import type { Team } from '../config';
import type { K8sApp, K8sObject } from '../manifests/render';
import type { EnvironmentModel } from '../model/platform-model';
import { application } from './applications';
import { isDestinationPermitted, isObjectPermitted, isSourcePermitted } from './permissions';
import { PLATFORM_PROJECT, platformProject, teamProject, teamProjectName } from './projects';
import { IN_CLUSTER_SERVER, type AppProject, type Application } from './types';

/** One rendered Argo CD object and its path relative to `dist/<env>/argocd/`. */
export interface ArgoCdFile {
  /** `<Kind>.<name>.yaml`. */
  readonly path: string;
  readonly object: K8sObject;
}

/** The name `renderManifests` gives a team's app (`team-<name>`). */
function teamAppName(team: Team): string {
  return `team-${team.name}`;
}

/**
 * Checks what Argo CD checks at sync time for every object of an app: its kind (and, for a
 * cluster-scoped object, its name) is allowed by the project, and a namespaced object's
 * namespace is a destination of the project.
 */
function assertObjectsPermitted(app: K8sApp, project: AppProject): void {
  const denied = app.objects
    .map(({ object }) => object)
    .filter((object) => !isObjectPermitted(project.spec, object, IN_CLUSTER_SERVER))
    .map((object) => {
      const where = object.metadata.namespace === undefined ? '' : ` in ${object.metadata.namespace}`;
      return `${object.apiVersion} ${object.kind} ${object.metadata.name}${where}`;
    });
  if (denied.length > 0) {
    throw new Error(
      `AppProject ${project.metadata.name} does not permit app ${app.name}: ${denied.join('; ')}. Allow the kind in argocd/projects.ts or move the object to another app.`,
    );
  }
}

/** Checks what Argo CD checks when an Application is created: its source and destination. */
function assertApplicationPermitted(argoApp: Application, project: AppProject): void {
  const { source, destination } = argoApp.spec;
  if (!isSourcePermitted(project.spec, source.repoURL)) {
    throw new Error(`AppProject ${project.metadata.name} does not allow source ${source.repoURL}.`);
  }
  if (!isDestinationPermitted(project.spec, destination)) {
    throw new Error(
      `AppProject ${project.metadata.name} does not allow Application ${argoApp.metadata.name} to deploy to namespace "${destination.namespace ?? ''}".`,
    );
  }
}

/**
 * The Argo CD objects of an environment (what the root Application syncs from
 * `dist/<env>/argocd/`): AppProject `platform` when there are platform apps, one AppProject per
 * team, and one Application per app folder. Projects come first, then Applications in app order;
 * output depends on the inputs only.
 */
export function renderArgoCd(model: EnvironmentModel, apps: readonly K8sApp[]): ArgoCdFile[] {
  const env = model.cluster;
  const teamsByApp = new Map(env.teams.map((team) => [teamAppName(team), team]));
  const platformApps = apps.filter((app) => !teamsByApp.has(app.name));
  for (const team of env.teams) {
    if (!apps.some((app) => app.name === teamAppName(team))) {
      throw new Error(`Team ${team.name} has no app ${teamAppName(team)} to deploy.`);
    }
  }

  const projects = new Map<string, AppProject>();
  if (platformApps.length > 0) projects.set(PLATFORM_PROJECT, platformProject(env, platformApps));
  for (const team of env.teams) projects.set(teamProjectName(team), teamProject(env, team));

  const applications = apps.map((app) => {
    const team = teamsByApp.get(app.name);
    const projectName = team === undefined ? PLATFORM_PROJECT : teamProjectName(team);
    const project = projects.get(projectName);
    if (project === undefined)
      throw new Error(`App ${app.name} names AppProject ${projectName}, which is not rendered.`);
    assertObjectsPermitted(app, project);
    const argoApp = application({ env, app, project: projectName, team: team !== undefined });
    assertApplicationPermitted(argoApp, project);
    return argoApp;
  });

  return [...projects.values(), ...applications].map((object) => ({
    path: `${object.kind}.${object.metadata.name}.yaml`,
    object: { ...object },
  }));
}
