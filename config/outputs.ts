import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, problemsFromZod } from './errors';
import { displayPath } from './display-path';
import { parseJsonInput } from '../lib/structured-input';
import { readInputText } from './input-file';

/**
 * Values only known after `terraform apply` (decision 7, docs/decisions.md), recorded per environment in
 * the committed file `config/outputs/<env>.json`. Every field is optional: a feature that needs a
 * missing one fails synth with a sentence saying how to get it.
 */
export const terraformOutputsSchema = z.strictObject({
  fsxFileSystemId: z
    .string()
    .regex(/^fs-[0-9a-f]{8,17}$/, { message: 'must be an FSx filesystem id (fs-…)' })
    .optional(),
  fsxDnsName: z.string().min(1).optional(),
  fsxMountName: z.string().min(1).optional(),
  fsxSubnetId: z
    .string()
    .regex(/^subnet-[0-9a-f]{8,17}$/, { message: 'must be a subnet id (subnet-…)' })
    .optional(),
  fsxSecurityGroupId: z
    .string()
    .regex(/^sg-[0-9a-f]{8,17}$/, { message: 'must be a security group id (sg-…)' })
    .optional(),
});

export type TerraformOutputs = z.output<typeof terraformOutputsSchema>;

/** `config/outputs/` of the repository at `root` (see `repo-root.ts`). */
export function outputsDir(root: string): string {
  return join(root, 'config', 'outputs');
}

/**
 * Reads `config/outputs/<env>.json` (or returns `{}` when the environment has none yet), with
 * the limits of every input file. A file that is empty, corrupt or not an object fails with one
 * sentence naming it and saying how to write it again.
 */
export function loadOutputs(envName: string, dir: string): TerraformOutputs {
  const file = displayPath(join(dir, `${envName}.json`));
  if (!existsSync(file)) return {};
  const what = 'outputs file';
  const fix = `fix it by hand, or delete it and run \`npm run outputs -- --env ${envName}\` again`;
  const input = parseJsonInput(file, readInputText(file, what), what, fix);
  const parsed = terraformOutputsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      problemsFromZod(input, parsed.error).map((p) => ({ ...p, path: `${file}: ${p.path}` })),
    );
  }
  return parsed.data;
}

/** Returns the named outputs, or throws one sentence saying which are missing and how to get them. */
export function requireOutputs<K extends keyof TerraformOutputs>(
  outputs: TerraformOutputs,
  envName: string,
  feature: string,
  keys: readonly K[],
): Required<Pick<TerraformOutputs, K>> {
  const missing = keys.filter((key) => outputs[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigError([
      {
        path: feature,
        value: true,
        rule: `needs ${missing.join(', ')} from Terraform: apply dist/${envName}/terraform/base, then run \`npm run outputs -- --env ${envName}\` to record them in config/outputs/${envName}.json`,
      },
    ]);
  }
  return outputs as Required<Pick<TerraformOutputs, K>>;
}
