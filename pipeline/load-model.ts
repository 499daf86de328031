import type { Platform } from '../config';
import { repoRoot } from '../config/repo-root';
import { loadSources } from '../config/sources';
import { buildPlatformModel, type PlatformModel } from '../model/platform-model';

/**
 * The model of a loaded platform, with its sources (job files, Terraform outputs) read from the
 * repository at `root`: the one step between loading and rendering that touches the disk.
 */
export function loadModel(
  platform: Pick<Platform, 'environments'>,
  root: string = repoRoot(),
): PlatformModel {
  return buildPlatformModel(platform, loadSources(platform, root));
}
