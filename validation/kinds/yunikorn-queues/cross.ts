import type { EnvironmentSet } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { quantityValue as quantity } from '../../../lib/kubernetes-formats';
import { asObject as obj, asString as str } from '../../../lib/json';
import { teamNamespaces } from '../virtualcluster/cross';

/** Each team namespace has its queue, whose maxima equal the namespace's ResourceQuota. */
export function checkQueueBudgets(sink: FindingSink, set: EnvironmentSet): void {
  if (set.queues === undefined || !set.queues.namespaceTag) return;
  const { file, index } = set.queues;
  // The first ResourceQuota of each namespace.
  const quotas = new Map<string | undefined, EnvironmentSet['objects'][number]>();
  for (const o of set.objects) {
    const namespace = str(obj(o.object.metadata).namespace);
    if (o.object.kind === 'ResourceQuota' && !quotas.has(namespace)) quotas.set(namespace, o);
  }
  for (const namespace of teamNamespaces(set)) {
    const queue = index.get(`root.${namespace}`);
    if (queue === undefined) {
      sink.report(
        file,
        "$.data['queues.yaml']",
        'cross.queue-missing',
        `team namespace ${namespace} has no queue root.${namespace} for the namespace placement rule`,
      );
      continue;
    }
    const quota = quotas.get(namespace);
    const hard = obj(obj(quota?.object.spec).hard);
    for (const [resource, quotaKey] of [
      ['vcore', 'requests.cpu'],
      ['memory', 'requests.memory'],
    ] as const) {
      const budget = hard[quotaKey];
      const max = queue.max[resource];
      if (budget === undefined || max === undefined) continue;
      const amount = quantity(budget);
      if (amount !== undefined && Math.abs(amount - max) > 1e-6 * max) {
        sink.report(
          file,
          "$.data['queues.yaml']",
          'cross.queue-budget',
          `queue root.${namespace} max ${resource} differs from the namespace's ResourceQuota ${quotaKey} (${JSON.stringify(budget)})`,
        );
      }
    }
  }
}
