import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { eksUpgradeProblem, FORCES_REPLACEMENT, replacementReason } from '../../review/destructive';
import { fixturePlatform } from '../helpers/manifests';
import { ROOT } from '../helpers/run';
import { environment, synthStacks } from '../helpers/terraform';
import { seedEnvironmentInput, seedPlatformInput } from '../fixtures';

/** The default platform, the two-environment fixture, and the default with every optional AWS feature on. */
const environments = [
  ...loadPlatform(seedPlatformInput()).environments,
  ...fixturePlatform(),
  environment({
    environments: [
      {
        ...seedEnvironmentInput(),
        cluster: {
          ...seedEnvironmentInput().cluster,
          vpc: { ...seedEnvironmentInput().cluster.vpc, natGateways: 'per-az', endpoints: { enabled: true } },
        },
        storage: { fsx: { static: { enabled: true }, dynamic: { enabled: true } } },
        addons: { ...seedEnvironmentInput().addons, fsxCsiDriver: true },
      },
    ],
  }),
];

const renderedTypes = new Set(
  environments.flatMap((env) =>
    Object.values(synthStacks(env)).flatMap((stack) => Object.keys(stack.resource ?? {})),
  ),
);

/** Every provider resource binding imported under cdktf/ (data sources and providers aside). */
async function importedTypes(): Promise<Set<string>> {
  const modules = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        for (const [, module] of readFileSync(path, 'utf8').matchAll(
          /from '(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)'/g,
        ))
          if (module !== undefined && !/\/lib\/(data-|provider$)/.test(module)) modules.add(module);
    }
  };
  walk(join(ROOT, 'cdktf'));
  const types = new Set<string>();
  for (const module of modules) {
    const exports = (await import(module)) as Record<string, { tfResourceType?: unknown }>;
    for (const value of Object.values(exports))
      if (typeof value?.tfResourceType === 'string') types.add(value.tfResourceType);
  }
  return types;
}

describe('the forces-replacement table', () => {
  it('renders the optional AWS features too (FSx, endpoints, security groups)', () => {
    expect([...renderedTypes]).toEqual(
      expect.arrayContaining(['aws_fsx_lustre_file_system', 'aws_vpc_endpoint', 'aws_security_group']),
    );
  });

  it('has an entry (possibly "none") for every resource type synth renders', () => {
    const missing = [...renderedTypes].filter((type) => !(type in FORCES_REPLACEMENT)).sort();
    expect(missing, 'add these types to FORCES_REPLACEMENT in review/destructive.ts').toEqual([]);
  });

  it('has an entry for every resource binding the CDKTF code imports, and no stale ones', async () => {
    const imported = await importedTypes();
    expect(imported.size).toBeGreaterThan(40);
    expect([...imported].filter((type) => !(type in FORCES_REPLACEMENT)).sort()).toEqual([]);
    expect(
      Object.keys(FORCES_REPLACEMENT).filter((type) => !imported.has(type) && !renderedTypes.has(type)),
    ).toEqual([]);
  });

  it('lists argument paths, and says "none" explicitly where nothing forces replacement', () => {
    for (const [type, fields] of Object.entries(FORCES_REPLACEMENT))
      for (const field of fields) expect(field, type).toMatch(/^(\.[a-z0-9_]+)+$/);
    expect(FORCES_REPLACEMENT.aws_internet_gateway).toEqual([]);
    expect(
      replacementReason('aws_internet_gateway', [{ path: '.vpc_id', before: 'a', after: 'b' }]),
    ).toBeUndefined();
  });

  it('matches nested arguments through list positions', () => {
    expect(
      replacementReason('aws_eks_node_group', [
        { path: '.launch_template[0].id', before: 'lt-1', after: 'lt-2' },
      ]),
    ).toBe('launch_template.id cannot change in place');
    expect(
      replacementReason('aws_eks_node_group', [
        { path: '.launch_template.version', before: '1', after: '2' },
      ]),
    ).toBeUndefined();
    expect(
      replacementReason('aws_eks_cluster', [
        { path: '.vpc_config.subnet_ids[2]', before: undefined, after: 'subnet-3' },
      ]),
    ).toBeUndefined();
  });

  it('knows that EKS upgrades one minor version at a time, and that one step is fine', () => {
    const change = (before: string, after: string) => [{ path: '.version', before, after }];
    expect(eksUpgradeProblem(change('1.34', '1.36'))).toBe(
      'EKS upgrades one minor version at a time, so 1.34 → 1.36 fails at apply: upgrade to 1.35 first (apply it, check the add-ons and node AMIs), then to the next minor',
    );
    expect(eksUpgradeProblem(change('1.34', '1.35'))).toBeUndefined();
    expect(eksUpgradeProblem(change('1.34', '1.33'))).toBeUndefined();
    expect(replacementReason('aws_eks_cluster', change('1.34', '1.36'))).toBeUndefined();
  });

  it('knows the replacements the table cannot express', () => {
    expect(replacementReason('aws_eks_cluster', [{ path: '.version', before: '1.34', after: '1.33' }])).toBe(
      'EKS cannot downgrade 1.34 → 1.33; only a new cluster can',
    );
    expect(
      replacementReason('aws_eks_cluster', [
        { path: '.encryption_config', before: { resources: ['secrets'] }, after: undefined },
      ]),
    ).toBe('EKS secrets encryption cannot be turned off once enabled; only a new cluster can');
    expect(
      replacementReason('aws_fsx_lustre_file_system', [
        { path: '.storage_capacity', before: 2400, after: 1200 },
      ]),
    ).toBe('storage_capacity cannot shrink (2400 → 1200) in place');
    expect(
      replacementReason('aws_fsx_lustre_file_system', [
        { path: '.storage_capacity', before: 1200, after: 2400 },
      ]),
    ).toBeUndefined();
  });
});
