import { asArray, asObject, isObject } from '../lib/json';

/** One comparable unit of a Terraform JSON file: a block, keyed by its Terraform address. */
export interface TerraformEntry {
  /** `resource`, `data`, `provider`, `terraform`, `output`, `locals`, `moved`, `import`, … */
  readonly block: string;
  /** Resource or data source type, else the block name (`provider`, `output`, …). */
  readonly kind: string;
  /** `aws_vpc.network_vpc`, `data.aws_eks_cluster.cluster`, `provider.aws`, `local.x`, … */
  readonly name: string;
  readonly value: unknown;
}

/** Blocks keyed by type and name (`resource "type" "name"`). */
const TYPED = new Set(['resource', 'data', 'ephemeral']);
/** Blocks keyed by name (`output "name"`, `variable "name"`, `module "name"`, `check "name"`). */
const NAMED = new Set(['output', 'variable', 'module', 'check']);
/** Unnamed blocks that are lists, keyed by the address they act on. */
const ADDRESSED: Readonly<Record<string, 'from' | 'to'>> = { moved: 'from', import: 'to', removed: 'from' };

/**
 * Every block of a Terraform JSON file as an entry, so nothing is left out of a review:
 * `terraform` (required_version, required_providers, backend) as one entry, each provider
 * configuration (`provider.aws`, `provider.aws.<alias>`), resources, data sources, outputs,
 * each local, and `moved`/`import`/`removed` blocks by the address they name. A block type this
 * list does not know is compared whole under its own name.
 */
export function terraformEntries(json: unknown): TerraformEntry[] {
  const entries: TerraformEntry[] = [];
  for (const [block, content] of Object.entries(asObject(json))) {
    if (block === '//') continue;
    if (TYPED.has(block)) {
      for (const [type, byName] of Object.entries(asObject(content)))
        for (const [name, value] of Object.entries(asObject(byName)))
          entries.push({
            block,
            kind: block === 'resource' ? type : `${block}.${type}`,
            name: block === 'resource' ? `${type}.${name}` : `${block}.${type}.${name}`,
            value,
          });
    } else if (NAMED.has(block)) {
      for (const [name, value] of Object.entries(asObject(content)))
        entries.push({ block, kind: block, name: `${block}.${name}`, value });
    } else if (block === 'locals') {
      // `locals` may be one mapping or a list of them (several `locals {}` blocks).
      for (const locals of Array.isArray(content) ? content : [content])
        for (const [name, value] of Object.entries(asObject(locals)))
          entries.push({ block, kind: 'locals', name: `local.${name}`, value });
    } else if (block === 'provider') {
      for (const [provider, configs] of Object.entries(asObject(content)))
        for (const config of Array.isArray(configs) ? configs : [configs]) {
          const alias = asObject(config).alias;
          const name = typeof alias === 'string' ? `provider.${provider}.${alias}` : `provider.${provider}`;
          entries.push({ block, kind: 'provider', name, value: config });
        }
    } else if (block in ADDRESSED) {
      const field = ADDRESSED[block] ?? 'from';
      asArray(content).forEach((item, index) => {
        const address = isObject(item) && typeof item[field] === 'string' ? item[field] : `#${index + 1}`;
        entries.push({ block, kind: block, name: `${block} ${field} ${address}`, value: item });
      });
    } else {
      entries.push({ block, kind: block, name: block, value: content });
    }
  }
  return entries;
}

/**
 * Whether a resource that left a stack stays in the world: a `moved` block names its new
 * address, or a `removed` block tells Terraform to forget it (`destroy = false`). `stackBlocks`
 * are the entries of the stack after the change.
 */
export function isKeptAfterRemoval(
  address: string,
  stackBlocks: readonly { readonly block?: string; readonly value: unknown }[],
): boolean {
  const naming = (block: string) =>
    stackBlocks.find((entry) => entry.block === block && asObject(entry.value).from === address);
  if (naming('moved') !== undefined) return true;
  const forgotten = naming('removed');
  return forgotten !== undefined && asObject(asObject(forgotten.value).lifecycle).destroy === false;
}

/** The address a `moved` block gives a resource, for each resource moved in these blocks. */
export function movedTargets(
  stackBlocks: readonly { readonly block?: string; readonly value: unknown }[],
): Set<string> {
  const targets = new Set<string>();
  for (const entry of stackBlocks) {
    const to = asObject(entry.value).to;
    if (entry.block === 'moved' && typeof to === 'string') targets.add(to);
  }
  return targets;
}
