import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobFile } from './jobs';
import { loadOutputs, outputsDir, type TerraformOutputs } from './outputs';
import type { Platform } from './schema';

/**
 * Everything rendering needs from the repository besides the platform description, read once:
 * the text of every file a job ships (`jobs/<team>/<file>`) and each environment's Terraform
 * outputs (`config/outputs/<env>.json`). The model is built from the config and these; after
 * this, nothing reads the disk until the output is written.
 */
export interface PlatformSources {
  /** Repository-relative path → UTF-8 text, for every script and file a job names. */
  readonly jobFiles: ReadonlyMap<string, string>;
  /** Environment name → its recorded Terraform outputs (`{}` before the first apply). */
  readonly outputs: ReadonlyMap<string, TerraformOutputs>;
}

/**
 * Reads the sources of a loaded platform from the repository at `root`. Call it on a platform
 * `loadPlatform` accepted: that checked that each job file exists and is UTF-8 text.
 */
export function loadSources(platform: Pick<Platform, 'environments'>, root: string): PlatformSources {
  const jobFiles = new Map<string, string>();
  const outputs = new Map<string, TerraformOutputs>();
  for (const env of platform.environments) {
    outputs.set(env.name, loadOutputs(env.name, outputsDir(root)));
    for (const team of env.teams) {
      for (const job of team.jobs) {
        for (const path of [job.script, ...job.files]) {
          if (jobFiles.has(path) || jobFile(team, path) === undefined) continue;
          jobFiles.set(path, readFileSync(join(root, path), 'utf8'));
        }
      }
    }
  }
  return { jobFiles, outputs };
}
