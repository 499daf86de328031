import type { NodePool } from '../../bindings/karpenter.sh';
import type { Located } from '../../cross-checks';
import type { FindingSink } from '../../findings';
import { INSTANCE_CATALOG } from '../../instance-catalog';
import { acceptedObjects } from '../../narrow';

/** Each NodePool its schema accepted: its instance types in the catalog, and of the pool's architecture. */
export function checkPools(sink: FindingSink, objects: readonly Located[]): void {
  for (const { file, object } of acceptedObjects<NodePool>(objects, 'NodePool')) {
    const allowed = (key: string) =>
      object.spec.template.spec.requirements.find((r) => r.key === key && r.operator === 'In')?.values;
    const arch = allowed('kubernetes.io/arch');
    for (const type of allowed('node.kubernetes.io/instance-type') ?? []) {
      const facts = INSTANCE_CATALOG.get(type);
      if (facts === undefined) {
        sink.report(
          file,
          '$.spec.template.spec.requirements',
          'cross.instance-unknown',
          `instance type ${type} is not in validation/instance-catalog.ts; add its facts so jobs can be sized against it`,
        );
      } else if (arch !== undefined && !arch.includes(facts.arch)) {
        sink.report(
          file,
          '$.spec.template.spec.requirements',
          'cross.arch',
          `instance type ${type} is ${facts.arch}, which the pool's kubernetes.io/arch requirement (${arch.join(', ')}) excludes`,
        );
      }
    }
  }
}
