import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asObject as obj, asString as str } from '../../json';

/** The team namespaces: those a VirtualCluster points EMR at. */
export function teamNamespaces(set: EnvironmentSet): Set<string> {
  return new Set(
    set.objects
      .filter((o) => o.object.kind === 'VirtualCluster')
      .map((o) => str(obj(obj(obj(obj(o.object.spec).containerProvider).info).eksInfo).namespace) ?? ''),
  );
}

/** Each VirtualCluster points EMR at its own namespace. */
export function checkVirtualClusters(sink: FindingSink, set: EnvironmentSet): void {
  for (const { file, object } of set.objects.filter((o) => o.object.kind === 'VirtualCluster')) {
    const target = str(obj(obj(obj(obj(object.spec).containerProvider).info).eksInfo).namespace);
    if (target !== str(obj(object.metadata).namespace)) {
      sink.report(
        file,
        '$.spec.containerProvider.info.eksInfo.namespace',
        'cross.virtual-cluster-namespace',
        `points EMR at namespace ${String(target)}, not at the namespace it lives in`,
      );
    }
  }
}
