import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Terraform's working files in a stack folder (`<out>/<env>/terraform/<stack>/`), which synth
 * never deletes or changes: `.terraform/` (providers and the backend's recorded settings,
 * written by `terraform init`), `.terraform.lock.hcl` (provider checksums, committed) and local
 * state `*.tfstate*` (state, backups, lock info, `*.tfstate.d/` workspaces). This project keeps
 * local state outside the output folder (see cdktf/stacks/platform-stack.ts); renders before
 * that kept it in the stack folder, so such files may still be there.
 */
export function isTerraformWorkingFile(name: string): boolean {
  return name === '.terraform' || name === '.terraform.lock.hcl' || /\.tfstate(\.|$)/.test(name);
}

/** `<env>/terraform/<stack>` for the output-relative path of a rendered `cdk.tf.json`. */
export function stackFolderOf(path: string): string | undefined {
  return /^([^/]+\/terraform\/[^/]+)\/cdk\.tf\.json$/.exec(path)?.[1];
}

/**
 * The lock info file of a Terraform run that holds this stack's local state right now, if any.
 * The local backend writes `.<state file>.lock.info` beside the state file for the whole of a
 * plan or apply and removes it at the end; a run killed with SIGKILL leaves it behind. Looked
 * for where the stack's `cdk.tf.json` puts its local state and in the stack folder itself.
 */
export function heldStateLock(stackDir: string, cdkTfJson: string | undefined): string | undefined {
  const candidates: string[] = [];
  const state = localStatePath(cdkTfJson);
  if (state !== undefined) {
    const file = resolve(stackDir, state);
    candidates.push(join(dirname(file), `.${basename(file).replace(/^\./, '')}.lock.info`));
  }
  if (existsSync(stackDir)) {
    for (const name of readdirSync(stackDir)) {
      if (/^\..+\.lock\.info$/.test(name)) candidates.push(join(stackDir, name));
    }
  }
  return candidates.find((file) => existsSync(file));
}

/** The local backend's state path of a stack (relative to its folder), if it uses one. */
function localStatePath(cdkTfJson: string | undefined): string | undefined {
  if (cdkTfJson === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(cdkTfJson);
  } catch {
    return undefined;
  }
  const backend = (json as { terraform?: { backend?: Record<string, { path?: unknown } | undefined> } })
    .terraform?.backend;
  if (backend === undefined) return 'terraform.tfstate';
  const local = backend.local;
  if (local === undefined) return undefined;
  return typeof local.path === 'string' ? local.path : 'terraform.tfstate';
}
