import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { asArray as arr, asObject as obj, isObject, type Json } from '../../../lib/json';
import { groupSatisfies, tolerates, type NodeGroup } from '../nodepool/node-groups';

/** The NodePools a pod template's node selector matches (none for an empty selector). */
function matchingPools(all: readonly NodeGroup[], pod: Json): NodeGroup[] {
  const selector = obj(obj(pod.spec).nodeSelector) as Record<string, string>;
  return Object.keys(selector).length === 0 ? [] : all.filter((pool) => groupSatisfies(pool, selector));
}

/**
 * The node-local Spark scratch volume of a pod template, if any: a `spark-local-dir-*` volume
 * (Spark's local directories) that is a disk-backed emptyDir or a hostPath. Both live on the
 * node's kubelet filesystem, which is the NVMe RAID0 array only where the EC2NodeClass sets
 * `instanceStorePolicy: RAID0`.
 */
function localScratch(spec: Json): string | undefined {
  for (const volume of arr(spec.volumes).filter(isObject)) {
    if (!String(volume.name).startsWith('spark-local-dir-')) continue;
    if (isObject(volume.hostPath)) return `hostPath volume ${String(volume.name)}`;
    if (isObject(volume.emptyDir) && volume.emptyDir.medium !== 'Memory')
      return `emptyDir volume ${String(volume.name)}`;
  }
  return undefined;
}

/** Each Spark pod template selects a NodePool, tolerates its taints, and keeps node-local scratch on RAID0 pools. */
export function checkPodTemplates(sink: FindingSink, set: EnvironmentSet, all: readonly NodeGroup[]): void {
  for (const template of set.podTemplates) {
    const spec = obj(template.pod.spec);
    const matched = matchingPools(all, template.pod);
    if (matched.length === 0) {
      sink.report(
        template.file,
        `${template.path}.spec.nodeSelector`,
        'cross.pod-template-pool',
        `selects no NodePool (nodeSelector ${JSON.stringify(spec.nodeSelector ?? {})})`,
      );
      continue;
    }
    const tolerations = arr(spec.tolerations).filter(isObject);
    const scratch = localScratch(spec);
    for (const pool of matched) {
      for (const taint of pool.taints) {
        if (!tolerates(tolerations, taint)) {
          sink.report(
            template.file,
            `${template.path}.spec.tolerations`,
            'cross.toleration',
            `does not tolerate taint ${JSON.stringify(taint.key)}=${JSON.stringify(taint.value ?? '')}:${JSON.stringify(taint.effect)} of NodePool ${pool.name}`,
          );
        }
      }
      if (scratch !== undefined && obj(pool.nodeClass?.spec).instanceStorePolicy !== 'RAID0') {
        sink.report(
          template.file,
          `${template.path}.spec.volumes`,
          'cross.nvme-raid0',
          `puts Spark scratch (${scratch}) on the node's disks of NodePool ${pool.name}, whose EC2NodeClass does not set instanceStorePolicy: RAID0, so it lands on the root EBS volume instead of NVMe; set instanceStorePolicy: RAID0 or use the EBS variant`,
        );
      }
    }
  }
}
