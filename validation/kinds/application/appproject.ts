import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj, asString as str, isObject } from '../../../lib/json';
import { teamNamespaces } from '../virtualcluster/cross';

/** Team AppProjects: no wildcard destinations, no team namespace shared, no cluster-scoped kinds but Namespace. */
export function checkAppProjects(sink: FindingSink, set: EnvironmentSet): void {
  const teams = teamNamespaces(set);
  const owners = new Map<string, string[]>();
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'AppProject')) {
    const spec = obj(object.spec);
    const name = str(obj(object.metadata).name) ?? '';
    const destinations = arr(spec.destinations).filter(isObject);
    destinations.forEach((d, i) => {
      const namespace = str(d.namespace) ?? '';
      if (
        namespace.includes('*') ||
        str(d.server)?.includes('*') === true ||
        str(d.name)?.includes('*') === true
      ) {
        sink.report(
          file,
          `$.spec.destinations[${i}]`,
          'cross.appproject-wildcard',
          'destinations must name servers and namespaces, not patterns',
        );
      }
      if (teams.has(namespace)) owners.set(namespace, [...(owners.get(namespace) ?? []), name]);
    });
    const teamProject = destinations.some((d) => teams.has(str(d.namespace) ?? ''));
    if (teamProject) {
      arr(spec.clusterResourceWhitelist)
        .filter(isObject)
        .forEach((entry, i) => {
          if (!(entry.group === '' && entry.kind === 'Namespace')) {
            sink.report(
              file,
              `$.spec.clusterResourceWhitelist[${i}]`,
              'cross.appproject-cluster-kinds',
              `a team project may not create cluster-scoped ${String(entry.group) || 'core'}/${String(entry.kind)}`,
            );
          }
        });
    }
  }
  for (const [namespace, projects] of owners) {
    if (projects.length > 1) {
      const file =
        set.objects.find(
          (o) => o.object.kind === 'AppProject' && str(obj(o.object.metadata).name) === projects[1],
        )?.file ?? '';
      sink.report(
        file,
        '$.spec.destinations',
        'cross.appproject-shared-namespace',
        `team namespace ${namespace} is a destination of several projects (${projects.join(', ')})`,
      );
    }
  }
}
