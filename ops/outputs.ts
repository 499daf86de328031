import { ConfigError, problemsFromZod } from '../config/errors';
import { terraformOutputsSchema, type TerraformOutputs } from '../config/outputs';
import type { Environment } from '../config/schema';
import { inClusterView, OUTPUT_FEATURES } from '../config/two-phase';

/** `terraform output` name in the `base` stack → field of the committed contract. */
export const OUTPUT_FIELDS: Readonly<Record<string, keyof TerraformOutputs>> = {
  fsx_file_system_id: 'fsxFileSystemId',
  fsx_dns_name: 'fsxDnsName',
  fsx_mount_name: 'fsxMountName',
  fsx_subnet_id: 'fsxSubnetId',
  fsx_security_group_id: 'fsxSecurityGroupId',
};

/** Which feature needs each contract field (from the one table of features, config/two-phase.ts). */
export const FEATURES: Readonly<Partial<Record<keyof TerraformOutputs, string>>> = Object.fromEntries(
  OUTPUT_FEATURES.flatMap((feature) => feature.needs.map((field) => [field, feature.feature])),
);

/**
 * The contract file's content from `terraform output -json` of the `base` stack: the known
 * outputs, validated against the typed contract; refuses outputs of another cluster.
 */
export function contractFromTerraform(env: Environment, json: unknown, source: string): TerraformOutputs {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError([
      { path: source, value: json, rule: 'is not the JSON object `terraform output -json` prints' },
    ]);
  }
  const outputs = json as Record<string, { value?: unknown } | undefined>;
  const cluster = outputs.cluster_name?.value;
  if (cluster !== undefined && cluster !== env.cluster.name) {
    throw new ConfigError([
      {
        path: `${source}: cluster_name`,
        value: cluster,
        rule: `is not environment ${env.name}'s cluster ${env.cluster.name} (wrong stack or workspace?)`,
      },
    ]);
  }
  const input: Record<string, unknown> = {};
  for (const [output, field] of Object.entries(OUTPUT_FIELDS)) {
    const entry = outputs[output];
    if (entry !== undefined) input[field] = entry.value;
  }
  const parsed = terraformOutputsSchema.safeParse(input);
  if (!parsed.success) {
    const byField = Object.fromEntries(
      Object.entries(OUTPUT_FIELDS).map(([output, field]) => [field, output]),
    );
    throw new ConfigError(
      problemsFromZod(input, parsed.error).map((p) => ({
        ...p,
        path: `${source}: ${byField[p.path] ?? p.path}`,
      })),
    );
  }
  return parsed.data;
}

/** Features the config enables whose in-cluster side still waits for outputs the contract lacks. */
export function waitingFeatures(env: Environment, outputs: TerraformOutputs): string[] {
  return inClusterView(env, outputs).waiting.map((waiting) => waiting.feature);
}
