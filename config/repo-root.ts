import { resolve } from 'node:path';

/**
 * The repository the tool reads and writes: job definitions and job files (`jobs/<team>/…`),
 * `config/outputs/` and `dist/` are paths relative to it, whatever the working directory.
 * `EMR_EKS_GITOPS_ROOT` points the tool at another checkout of the same layout (the tests point
 * it at their fixture platform). Read when a command starts loading; rendering never reads it:
 * the model carries everything loaded from the repository.
 */
export function repoRoot(): string {
  return resolve(process.env.EMR_EKS_GITOPS_ROOT || resolve(__dirname, '..'));
}
