import type { FindingSink } from '../../findings';
import { INSTANCE_CATALOG } from '../../instance-catalog';
import { instanceTypes, type NodeGroup } from './node-groups';

/** Each pool's instance types: in the catalog, and of the pool's architecture. */
export function checkPools(sink: FindingSink, all: readonly NodeGroup[]): void {
  for (const pool of all) {
    const arch = pool.requirements.find((r) => r.key === 'kubernetes.io/arch' && r.operator === 'In')?.values;
    for (const type of instanceTypes(pool)) {
      const facts = INSTANCE_CATALOG.get(type);
      if (facts === undefined) {
        sink.report(
          pool.file,
          '$.spec.template.spec.requirements',
          'cross.instance-unknown',
          `instance type ${type} is not in validation/instance-catalog.ts; add its facts so jobs can be sized against it`,
        );
      } else if (arch !== undefined && !arch.includes(facts.arch)) {
        sink.report(
          pool.file,
          '$.spec.template.spec.requirements',
          'cross.arch',
          `instance type ${type} is ${facts.arch}, which the pool's kubernetes.io/arch requirement (${arch.join(', ')}) excludes`,
        );
      }
    }
  }
}
