import { load } from 'js-yaml';
import { z } from 'zod';
import { parseQuantity, QUANTITY } from '../../../lib/kubernetes-formats';
import type { FindingSink } from '../../findings';

const QUEUE_NAME = /^[a-zA-Z0-9_:#/@-]{1,64}$/;
const quantity = z.union([z.number(), z.string().regex(QUANTITY, { message: 'must be a quantity' })]);
const resources = z.record(z.string(), quantity);
const limit = z.strictObject({
  limit: z.string().optional(),
  users: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  maxapplications: z.number().int().min(0).optional(),
  maxresources: resources.optional(),
});
const properties = z.record(z.string(), z.string());

interface Queue {
  name: string;
  parent?: boolean;
  maxapplications?: number;
  properties?: Record<string, string>;
  resources?: { guaranteed?: Record<string, string | number>; max?: Record<string, string | number> };
  queues?: Queue[];
  [key: string]: unknown;
}

const queue: z.ZodType<Queue> = z.lazy(() =>
  z.strictObject({
    name: z.string().regex(QUEUE_NAME, { message: 'queue names are 1-64 of [a-zA-Z0-9_:#/@-] (no dots)' }),
    parent: z.boolean().optional(),
    submitacl: z.string().optional(),
    adminacl: z.string().optional(),
    maxapplications: z.number().int().min(1).optional(),
    properties: properties.optional(),
    resources: z.strictObject({ guaranteed: resources.optional(), max: resources.optional() }).optional(),
    childtemplate: z
      .strictObject({
        maxapplications: z.number().int().min(1).optional(),
        properties: properties.optional(),
        resources: z.strictObject({ guaranteed: resources.optional(), max: resources.optional() }).optional(),
      })
      .optional(),
    limits: z.array(limit).optional(),
    queues: z.array(queue).optional(),
  }),
);

interface PlacementRule {
  name: string;
  value?: string;
  create?: boolean;
  parent?: PlacementRule;
  filter?: unknown;
}

const placementRule: z.ZodType<PlacementRule> = z.lazy(() =>
  z.strictObject({
    name: z.enum(['provided', 'user', 'fixed', 'tag'], { message: 'must be provided, user, fixed or tag' }),
    value: z.string().optional(),
    create: z.boolean().optional(),
    parent: placementRule.optional(),
    filter: z
      .strictObject({
        type: z.enum(['', 'allow', 'deny']).optional(),
        users: z.array(z.string()).optional(),
        groups: z.array(z.string()).optional(),
      })
      .optional(),
  }),
);

const queuesConfig = z.strictObject({
  partitions: z.array(
    z.strictObject({
      name: z.literal('default', { message: 'the Kubernetes shim supports only the partition "default"' }),
      placementrules: z.array(placementRule).optional(),
      limits: z.array(limit).optional(),
      preemption: z
        .strictObject({ enabled: z.boolean().optional(), quotapreemptionenabled: z.boolean().optional() })
        .optional(),
      nodesortpolicy: z
        .strictObject({
          type: z.enum(['binpacking', 'fair']).optional(),
          resourceweights: z.record(z.string(), z.number()).optional(),
        })
        .optional(),
      usergroupresolver: z.strictObject({ type: z.string().optional() }).optional(),
      statedumpfilepath: z.string().optional(),
      queues: z.array(queue),
    }),
  ),
  checksum: z.string().optional(),
});

/** A queue's leaf path (`root.team-a`) → its resources, for cross-checks. */
export type QueueIndex = Map<
  string,
  { max: Record<string, number>; guaranteed: Record<string, number>; sortPolicy?: string; leaf: boolean }
>;

function amounts(values: Record<string, string | number> | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(values ?? {})) result[key] = parseQuantity(value);
  return result;
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/**
 * The `yunikorn-configs` ConfigMap's `queues.yaml`: known keys only (YuniKorn parses it with
 * KnownFields, and a broken config is ignored while the old one stays active), queue names,
 * guaranteed ≤ max, children within their parent, placement rules pointing at leaf queues.
 */
export function checkQueuesYaml(
  sink: FindingSink,
  file: string,
  text: string,
): { index: QueueIndex; namespaceTag: boolean } {
  const base = "$.data['queues.yaml']";
  const index: QueueIndex = new Map();
  let namespaceTag = false;
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    sink.report(
      file,
      base,
      'yunikorn.queues-parse',
      `not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
    return { index, namespaceTag };
  }
  const result = queuesConfig.safeParse(parsed);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const rule =
        issue.code === 'unrecognized_keys' ? 'yunikorn.queues-unknown-key' : 'yunikorn.queues-shape';
      const detail =
        issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      sink.report(file, `${base}${zodPath(issue.path)}`, rule, detail);
    }
    return { index, namespaceTag };
  }
  for (const [p, partition] of result.data.partitions.entries()) {
    const walk = (q: Queue, parentPath: string, path: string, parent?: Queue): void => {
      const name = parentPath === '' ? q.name : `${parentPath}.${q.name}`;
      const guaranteed = amounts(q.resources?.guaranteed);
      const max = amounts(q.resources?.max);
      if (parentPath === '' && q.resources !== undefined) {
        sink.report(
          file,
          `${path}.resources`,
          'yunikorn.queues-root-resources',
          'the root queue may not set resources',
        );
      }
      for (const [resource, amount] of Object.entries(guaranteed)) {
        if (max[resource] !== undefined && amount > max[resource]) {
          sink.report(
            file,
            `${path}.resources.guaranteed.${resource}`,
            'yunikorn.queues-guaranteed-over-max',
            `guaranteed ${resource} is above max`,
          );
        }
      }
      if (parent !== undefined) {
        const parentMax = amounts(parent.resources?.max);
        for (const [resource, amount] of Object.entries(max)) {
          if (parentMax[resource] !== undefined && amount > parentMax[resource]) {
            sink.report(
              file,
              `${path}.resources.max.${resource}`,
              'yunikorn.queues-child-over-parent',
              `max ${resource} is above the parent's max`,
            );
          }
        }
        if (
          q.maxapplications !== undefined &&
          parent.maxapplications !== undefined &&
          q.maxapplications > parent.maxapplications
        ) {
          sink.report(
            file,
            `${path}.maxapplications`,
            'yunikorn.queues-child-over-parent',
            "maxapplications is above the parent's",
          );
        }
      }
      const children = q.queues ?? [];
      const names = new Set<string>();
      const sums: Record<string, number> = {};
      children.forEach((child, i) => {
        if (names.has(child.name))
          sink.report(
            file,
            `${path}.queues[${i}].name`,
            'yunikorn.queues-duplicate',
            `queue "${child.name}" is defined twice`,
          );
        names.add(child.name);
        for (const [resource, amount] of Object.entries(amounts(child.resources?.guaranteed)))
          sums[resource] = (sums[resource] ?? 0) + amount;
      });
      const parentLimit = { ...max, ...guaranteed };
      for (const [resource, sum] of Object.entries(sums)) {
        const limitValue = parentLimit[resource];
        if (limitValue !== undefined && sum > limitValue) {
          sink.report(
            file,
            `${path}.queues`,
            'yunikorn.queues-child-over-parent',
            `children's guaranteed ${resource} adds up to more than this queue allows`,
          );
        }
      }
      index.set(name, {
        max,
        guaranteed,
        sortPolicy: q.properties?.['application.sort.policy'],
        leaf: children.length === 0 && q.parent !== true,
      });
      children.forEach((child, i) => walk(child, name, `${path}.queues[${i}]`, q));
    };
    partition.queues.forEach((q, i) => walk(q, '', `${base}.partitions[${p}].queues[${i}]`));
    (partition.placementrules ?? []).forEach((rule, i) => {
      if (rule.name === 'tag' && rule.value === 'namespace') namespaceTag = true;
      if (rule.name === 'fixed' && rule.value !== undefined && rule.create !== true) {
        const target = rule.value.startsWith('root.') ? rule.value : `root.${rule.value}`;
        const found = index.get(target);
        if (found === undefined || !found.leaf) {
          sink.report(
            file,
            `${base}.partitions[${p}].placementrules[${i}]`,
            'yunikorn.placement',
            `fixed rule points at "${target}", which is not a leaf queue`,
          );
        }
      }
    });
  }
  return { index, namespaceTag };
}
