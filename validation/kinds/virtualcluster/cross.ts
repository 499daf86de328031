import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import type { VirtualCluster } from '../../bindings/emrcontainers.services.k8s.aws';
import { asObject as obj, asString as str } from '../../../lib/json';
import { acceptedObjects } from '../../narrow';

/**
 * The team namespaces: those a VirtualCluster points EMR at. Read from every VirtualCluster, the
 * schema's accepted or not, so one with a misspelt field still marks its namespace as a team's.
 */
export function teamNamespaces(set: EnvironmentSet): Set<string> {
  return new Set(
    set.objects
      .filter((o) => o.object.kind === 'VirtualCluster')
      .map((o) => str(obj(obj(obj(obj(o.object.spec).containerProvider).info).eksInfo).namespace) ?? ''),
  );
}

/** Each VirtualCluster its schema accepted points EMR at its own namespace. */
export function checkVirtualClusters(sink: FindingSink, set: EnvironmentSet): void {
  for (const { file, object } of acceptedObjects<VirtualCluster>(set.objects, 'VirtualCluster')) {
    const target = object.spec?.containerProvider?.info?.eksInfo?.namespace;
    if (target !== object.metadata?.namespace) {
      sink.report(
        file,
        '$.spec.containerProvider.info.eksInfo.namespace',
        'cross.virtual-cluster-namespace',
        `points EMR at namespace ${String(target)}, not at the namespace it lives in`,
      );
    }
  }
}
