import { QUANTITY } from '../../../lib/kubernetes-formats';
import type { FindingSink } from '../../findings';
import type { Json } from '../../../lib/json';

const TASK_GROUP_KEYS = [
  'name',
  'minMember',
  'minResource',
  'labels',
  'annotations',
  'nodeSelector',
  'tolerations',
  'affinity',
  'topologySpreadConstraints',
];

/** A parsed task group (keys normalized to their canonical spelling). */
export interface TaskGroup {
  readonly name: string;
  readonly minMember: number;
  readonly minResource: Record<string, string>;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: Json[];
}

/**
 * The `yunikorn.apache.org/task-groups` annotation: a JSON list of groups with known keys (the
 * shim ignores unknown ones, so `minMembers` silently breaks gang scheduling), a name, a positive
 * minMember and a minResource of quantities; and the pod's own `task-group-name` among them.
 */
export function checkTaskGroups(
  sink: FindingSink,
  file: string,
  path: string,
  annotations: Json,
): TaskGroup[] | undefined {
  const raw = annotations['yunikorn.apache.org/task-groups'];
  if (raw === undefined) return undefined;
  const at = `${path}['yunikorn.apache.org/task-groups']`;
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    sink.report(file, at, 'yunikorn.task-groups-parse', 'not valid JSON');
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    sink.report(file, at, 'yunikorn.task-groups-shape', 'must be a non-empty JSON list of task groups');
    return undefined;
  }
  const canonical = new Map(TASK_GROUP_KEYS.map((k) => [k.toLowerCase(), k]));
  const groups: TaskGroup[] = [];
  parsed.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      sink.report(file, `${at}[${i}]`, 'yunikorn.task-groups-shape', 'each task group must be an object');
      return;
    }
    const group: Json = {};
    for (const [key, value] of Object.entries(item)) {
      const known = canonical.get(key.toLowerCase());
      if (known === undefined)
        sink.report(
          file,
          `${at}[${i}].${key}`,
          'yunikorn.task-groups-unknown-key',
          `unknown key "${key}" (the shim ignores it)`,
        );
      else group[known] = value;
    }
    if (typeof group.name !== 'string' || group.name === '')
      sink.report(file, `${at}[${i}]`, 'yunikorn.task-groups-shape', 'needs a name');
    if (!Number.isInteger(group.minMember) || (group.minMember as number) <= 0) {
      sink.report(file, `${at}[${i}]`, 'yunikorn.task-groups-shape', 'needs minMember, a positive integer');
    }
    const minResource = group.minResource;
    if (minResource === null || typeof minResource !== 'object' || Object.keys(minResource).length === 0) {
      sink.report(file, `${at}[${i}]`, 'yunikorn.task-groups-shape', 'needs minResource');
    } else {
      for (const [resource, value] of Object.entries(minResource)) {
        if (typeof value !== 'string' || !QUANTITY.test(value))
          sink.report(
            file,
            `${at}[${i}].minResource.${resource}`,
            'quantity',
            `${JSON.stringify(value)} is not a quantity`,
          );
      }
    }
    groups.push(group as unknown as TaskGroup);
  });
  const own = annotations['yunikorn.apache.org/task-group-name'];
  if (typeof own === 'string' && !groups.some((g) => g.name === own)) {
    sink.report(
      file,
      `${path}['yunikorn.apache.org/task-group-name']`,
      'yunikorn.task-group-name',
      `"${own}" is not one of the task groups`,
    );
  }
  return groups;
}
