import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { describe, expect, it } from 'vitest';
import { App, TerraformStack } from '../../cdktf/framework';
import { providerSource } from '../../cdktf/stacks/platform-stack';
import { loadPlatform } from '../../config/load';
import { versions } from '../../config/versions';
import { fixturePlatform } from '../helpers/manifests';
import { synthStacks, type TerraformJson } from '../helpers/terraform';
import { seedPlatformInput } from '../fixtures';

/** Every stack of the default platform and of the two-environment test fixture. */
const rendered: [string, TerraformJson][] = [
  ...loadPlatform(seedPlatformInput()).environments,
  ...fixturePlatform(),
].flatMap((env) =>
  Object.entries(synthStacks(env)).map(([stack, json]): [string, TerraformJson] => [
    `${env.name}/${stack}`,
    json,
  ]),
);

/** The exact provider version each CDKTF binding was generated from (its schema is what we render against). */
function bindingVersions(): Record<string, string | undefined> {
  const stack = new TerraformStack(new App(), 'bindings');
  return {
    aws: new AwsProvider(stack, 'aws', { region: 'us-east-1' }).terraformGeneratorMetadata?.providerVersion,
    helm: new HelmProvider(stack, 'helm', {}).terraformGeneratorMetadata?.providerVersion,
  };
}

/** Terraform features a stack's JSON can use, with the first release that understands each. */
const FEATURES: readonly { name: string; since: string; uses: (json: TerraformJson) => boolean }[] = [
  {
    name: 'S3 backend use_lockfile',
    since: '1.10.0',
    uses: (json) =>
      (json.terraform?.backend as { s3?: { use_lockfile?: boolean } } | undefined)?.s3?.use_lockfile === true,
  },
  { name: 'moved blocks', since: '1.1.0', uses: (json) => 'moved' in json },
  { name: 'import blocks', since: '1.5.0', uses: (json) => 'import' in json },
  { name: 'check blocks', since: '1.5.0', uses: (json) => 'check' in json },
  { name: 'removed blocks', since: '1.7.0', uses: (json) => 'removed' in json },
  { name: 'ephemeral resources', since: '1.10.0', uses: (json) => 'ephemeral' in json },
];

const version = (text: string): number[] => (/(\d+)\.(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number);
const atLeast = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

describe('the terraform {} block follows Terraform conventions', () => {
  it('renders a prod stack with the S3 backend and use_lockfile (the feature the version floor is for)', () => {
    const prod = rendered.find(([name]) => name === 'prod/base')?.[1];
    expect(prod?.terraform?.backend).toEqual({
      s3: expect.objectContaining({ use_lockfile: true, encrypt: true }) as unknown,
    });
  });

  it.each(rendered)(
    '%s: required_providers name full source addresses pinned to the binding versions',
    (_, json) => {
      const pins = bindingVersions();
      const required = json.terraform?.required_providers as Record<
        string,
        { source: string; version: string }
      >;
      expect(Object.keys(required).length).toBeGreaterThan(0);
      for (const [name, requirement] of Object.entries(required)) {
        expect(requirement.source, name).toBe(`hashicorp/${name}`);
        expect(requirement.version, name).toMatch(/^\d+\.\d+\.\d+$/);
        expect(requirement.version, name).toBe(pins[name]);
      }
      // Every configured provider is required (and the other way round).
      expect(Object.keys(json.provider ?? {}).sort()).toEqual(Object.keys(required).sort());
    },
  );

  it.each(rendered)('%s: required_version admits no release older than the features used', (_, json) => {
    const required = String(json.terraform?.required_version);
    expect(required).toBe(versions.terraform);
    expect(required).toMatch(/^>= \d+\.\d+\.\d+$/);
    for (const feature of FEATURES.filter((f) => f.uses(json)))
      expect(atLeast(version(required), version(feature.since)), feature.name).toBe(true);
  });

  it('requires at least the version S3-native locking needs, whatever the backend', () => {
    expect(atLeast(version(versions.terraform), version('1.10.0'))).toBe(true);
  });

  it('spells legacy provider names out in the default namespace and keeps full addresses', () => {
    expect(providerSource('aws')).toBe('hashicorp/aws');
    expect(providerSource('hashicorp/helm')).toBe('hashicorp/helm');
    expect(providerSource('registry.terraform.io/cloudflare/cloudflare')).toBe(
      'registry.terraform.io/cloudflare/cloudflare',
    );
  });

  it('no longer carries provider pins in config/versions.ts (the bindings are the one source)', () => {
    expect(Object.keys(versions)).not.toContain('terraformProviders');
  });
});
