import type { FindingSink } from '../findings';
import { quantityValue } from '../../lib/kubernetes-formats';
import { INSTANCE_CATALOG } from '../../lib/instance-catalog';
import { asArray as arr, asObject as obj, asString as str, isObject, type Json } from '../../lib/json';
import { stringMap } from '../kinds/pod/model';
import type { RuntimeObject } from '../runtime/objects';
import { address, named, type SystemContext, type SystemModel, type TerraformResource } from './context';

/**
 * Karpenter against the Terraform that creates its AWS side (class 1 of the system models).
 *
 * - Each EC2NodeClass `subnetSelectorTerms` / `securityGroupSelectorTerms` term matches at least
 *   one subnet / security group by the tags Terraform puts on it (`tags` of `aws_subnet` and
 *   `aws_security_group`, plus `aws_ec2_tag` on a security group, e.g. the EKS cluster security
 *   group). A tag value `*` matches any value; `id` and `name` terms are not modelled (the IDs
 *   exist only after apply).
 * - The node role (`spec.role`) is an `aws_iam_role` of the environment and has an
 *   `aws_eks_access_entry` of type `EC2_LINUX` (without one, nodes never join the cluster).
 * - Each `amiSelectorTerms[].alias` is a family EKS publishes for the cluster's Kubernetes minor
 *   (`aws_eks_cluster.version`): AL2 AMIs end with 1.32.
 * - Each zone a NodePool's `topology.kubernetes.io/zone In` requirement allows has a subnet its
 *   EC2NodeClass selects.
 * - NodePool `limits` are not below the smallest instance type the pool allows
 *   (`validation/instance-catalog.ts`): Karpenter never launches a node that would pass them.
 */

/** The last Kubernetes minor EKS publishes Amazon Linux 2 AMIs for. */
export const AL2_LAST_MINOR = 32;

/** AMI alias families Karpenter 1.x accepts, with the last minor EKS publishes each for. */
const ALIAS_FAMILIES: Readonly<Record<string, number>> = {
  al2: AL2_LAST_MINOR,
  al2023: Infinity,
  bottlerocket: Infinity,
  windows2019: Infinity,
  windows2022: Infinity,
  windows2025: Infinity,
};

interface Tagged {
  readonly resource: TerraformResource;
  readonly tags: Record<string, string>;
  readonly zone?: string;
}

function subnets(context: SystemContext): Tagged[] {
  return context.terraform('aws_subnet').map((resource) => ({
    resource,
    tags: { ...stringMap(resource.body.tags_all), ...stringMap(resource.body.tags) },
    zone: str(resource.body.availability_zone),
  }));
}

/** Security groups with their tags: `aws_security_group` tags and `aws_ec2_tag` on a group. */
function securityGroups(context: SystemContext): Tagged[] {
  const groups = context.terraform('aws_security_group').map((resource) => ({
    resource,
    tags: { ...stringMap(resource.body.tags_all), ...stringMap(resource.body.tags) },
  }));
  const extra = new Map<string, Tagged>();
  for (const tag of context.terraform('aws_ec2_tag')) {
    const target = str(tag.body.resource_id) ?? '';
    const key = str(tag.body.key);
    const value = str(tag.body.value);
    if (key === undefined || value === undefined || !/security_group/.test(target)) continue;
    const own = context.referenced(target);
    const group = own !== undefined ? groups.find((g) => g.resource === own) : undefined;
    if (group !== undefined) group.tags[key] = value;
    else {
      const found = extra.get(target) ?? { resource: tag, tags: {} };
      found.tags[key] = value;
      extra.set(target, found);
    }
  }
  return [...groups, ...extra.values()];
}

/** A term this model can evaluate: tags only (`id` and `name` name what exists after apply). */
function byTags(term: Json): boolean {
  return isObject(term.tags) && term.id === undefined && term.name === undefined;
}

function termMatches(term: Json, candidate: Tagged): boolean {
  return Object.entries(obj(term.tags)).every(
    ([key, value]) => key in candidate.tags && (value === '*' || candidate.tags[key] === value),
  );
}

function describeTags(all: readonly Tagged[], key: string): string {
  const values = [...new Set(all.map((t) => t.tags[key]).filter((v) => v !== undefined))];
  return values.length === 0 ? `none carries tag ${key}` : `tag ${key} is ${values.join(' or ')} there`;
}

function checkSelectors(
  sink: FindingSink,
  nodeClass: RuntimeObject,
  field: 'subnetSelectorTerms' | 'securityGroupSelectorTerms',
  candidates: readonly Tagged[],
  what: string,
  resourceType: string,
): Tagged[] {
  const selected: Tagged[] = [];
  arr(obj(nodeClass.object.spec)[field])
    .filter(isObject)
    .forEach((term, i) => {
      if (!byTags(term)) {
        selected.push(...candidates);
        return;
      }
      const matched = candidates.filter((c) => termMatches(term, c));
      selected.push(...matched);
      if (matched.length > 0) return;
      const wanted = Object.entries(obj(term.tags))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
      const firstKey = Object.keys(obj(term.tags))[0] ?? '';
      sink.report(
        nodeClass.file,
        `$.spec.${field}[${i}]`,
        'system.karpenter-selector-unmatched',
        `${named(nodeClass)} selects ${what} tagged ${wanted}, but no ${resourceType} of the environment's Terraform carries those tags (${describeTags(candidates, firstKey)}); set the term to the tags Terraform puts on the ${what}, or tag them in Terraform`,
      );
    });
  return selected;
}

function checkNodeRole(sink: FindingSink, context: SystemContext, nodeClass: RuntimeObject): void {
  const roleName = str(obj(nodeClass.object.spec).role);
  if (roleName === undefined) return;
  const role = context.role(roleName);
  const roles = context
    .terraform('aws_iam_role')
    .map((r) => str(r.body.name))
    .filter((n) => n !== undefined && /node|karpenter/i.test(n));
  if (role === undefined) {
    sink.report(
      nodeClass.file,
      '$.spec.role',
      'system.karpenter-node-role',
      `${named(nodeClass)} launches nodes with role ${roleName}, which the environment's Terraform (aws_iam_role) does not create${roles.length > 0 ? ` (it creates ${roles.join(', ')})` : ''}; name the node role Terraform creates`,
    );
    return;
  }
  const entries = context.terraform('aws_eks_access_entry').filter((entry) => {
    const principal = entry.body.principal_arn;
    return context.referenced(principal) === role || String(principal).endsWith(`:role/${roleName}`);
  });
  if (entries.some((e) => e.body.type === 'EC2_LINUX')) return;
  sink.report(
    nodeClass.file,
    '$.spec.role',
    'system.karpenter-node-access',
    `${named(nodeClass)} launches nodes with role ${roleName} (${address(role)}), which has no aws_eks_access_entry of type EC2_LINUX${entries.length > 0 ? ` (its entry is ${entries.map((e) => str(e.body.type) ?? 'STANDARD').join(', ')})` : ''}, so its nodes never join the cluster; add an EC2_LINUX access entry for the role in Terraform`,
  );
}

function clusterMinor(context: SystemContext): { minor: number; version: string; where: string } | undefined {
  for (const cluster of context.terraform('aws_eks_cluster')) {
    const version = str(cluster.body.version);
    const minor = /^1\.(\d+)$/.exec(version ?? '')?.[1];
    if (version !== undefined && minor !== undefined)
      return { minor: Number(minor), version, where: address(cluster) };
  }
  return undefined;
}

function checkAmi(sink: FindingSink, context: SystemContext, nodeClass: RuntimeObject): void {
  const cluster = clusterMinor(context);
  arr(obj(nodeClass.object.spec).amiSelectorTerms)
    .filter(isObject)
    .forEach((term, i) => {
      const alias = str(term.alias);
      if (alias === undefined) return;
      const family = alias.split('@')[0] ?? '';
      const last = ALIAS_FAMILIES[family];
      if (last === undefined) {
        sink.report(
          nodeClass.file,
          `$.spec.amiSelectorTerms[${i}].alias`,
          'system.karpenter-ami-alias',
          `${named(nodeClass)} selects AMI alias ${alias}: ${family} is not an AMI family Karpenter knows (${Object.keys(ALIAS_FAMILIES).join(', ')}); use one of them`,
        );
      } else if (cluster !== undefined && cluster.minor > last) {
        sink.report(
          nodeClass.file,
          `$.spec.amiSelectorTerms[${i}].alias`,
          'system.karpenter-ami-alias',
          `${named(nodeClass)} selects AMI alias ${alias}, but EKS publishes no ${family} AMI for Kubernetes ${cluster.version} (${cluster.where}; ${family} ends at 1.${last}); use al2023@<version> or bottlerocket@<version>`,
        );
      }
    });
}

function requirementValues(pool: RuntimeObject, key: string): string[] | undefined {
  const found = arr(obj(obj(obj(pool.object.spec).template).spec).requirements)
    .filter(isObject)
    .find((r) => r.key === key && r.operator === 'In');
  return found === undefined ? undefined : arr(found.values).map(String);
}

function checkPoolZones(
  sink: FindingSink,
  pool: RuntimeObject,
  nodeClass: RuntimeObject,
  selected: readonly Tagged[],
): void {
  const zones = requirementValues(pool, 'topology.kubernetes.io/zone');
  if (zones === undefined) return;
  const covered = new Set(selected.map((s) => s.zone).filter((z) => z !== undefined));
  for (const zone of zones) {
    if (covered.has(zone)) continue;
    sink.report(
      pool.file,
      '$.spec.template.spec.requirements',
      'system.karpenter-zone-subnet',
      `${named(pool)} allows zone ${zone}, but ${named(nodeClass)} selects no subnet there (its subnets are in ${[...covered].sort().join(', ') || 'no zone'}); drop the zone from the requirement or add a node subnet in ${zone} to Terraform`,
    );
  }
}

function checkPoolLimits(sink: FindingSink, pool: RuntimeObject): void {
  const limits = obj(obj(pool.object.spec).limits);
  const types = (requirementValues(pool, 'node.kubernetes.io/instance-type') ?? [])
    .map((t) => [t, INSTANCE_CATALOG.get(t)] as const)
    .filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  if (types.length === 0) return;
  const checks = [
    { key: 'cpu', size: (t: (typeof types)[number][1]) => t.vcpu, unit: (v: number) => `${v} vCPU` },
    {
      key: 'memory',
      size: (t: (typeof types)[number][1]) => t.memoryGiB * 2 ** 30,
      unit: (v: number) => `${v / 2 ** 30}Gi`,
    },
  ];
  for (const { key, size, unit } of checks) {
    const limit = quantityValue(limits[key]);
    if (limit === undefined) continue;
    const [smallestType, smallest] = types.reduce((a, b) => (size(b[1]) < size(a[1]) ? b : a));
    if (limit >= size(smallest)) continue;
    sink.report(
      pool.file,
      `$.spec.limits.${key}`,
      'system.karpenter-limit-below-instance',
      `${named(pool)} limits ${key} to ${String(limits[key])}, below its smallest instance type ${smallestType} (${unit(size(smallest))}, validation/instance-catalog.ts), so Karpenter never launches a node; raise the limit to at least ${unit(size(smallest))}`,
    );
  }
}

export const karpenterTerraform: SystemModel = {
  name: 'karpenter-terraform',
  check(sink, context) {
    const nodeClasses = context.objects.ofKind('EC2NodeClass');
    const haveNetwork = context.terraform('aws_subnet').length > 0;
    const selectedSubnets = new Map<string, Tagged[]>();
    for (const nodeClass of nodeClasses) {
      if (context.hasTerraform) {
        checkNodeRole(sink, context, nodeClass);
        checkAmi(sink, context, nodeClass);
      }
      if (!haveNetwork) continue;
      selectedSubnets.set(
        nodeClass.name,
        checkSelectors(sink, nodeClass, 'subnetSelectorTerms', subnets(context), 'subnets', 'aws_subnet'),
      );
      checkSelectors(
        sink,
        nodeClass,
        'securityGroupSelectorTerms',
        securityGroups(context),
        'security groups',
        'aws_security_group or aws_ec2_tag',
      );
    }
    for (const pool of context.objects.ofKind('NodePool')) {
      checkPoolLimits(sink, pool);
      const className = str(obj(obj(obj(obj(pool.object.spec).template).spec).nodeClassRef).name);
      const nodeClass = nodeClasses.find((c) => c.name === className);
      const selected = selectedSubnets.get(className ?? '');
      if (nodeClass !== undefined && selected !== undefined) checkPoolZones(sink, pool, nodeClass, selected);
    }
  },
};
