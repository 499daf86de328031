import { defaultPlatform, loadPlatform, type Environment } from '../config';
import { parseYamlInput } from '../lib/structured-input';
import { readInputText } from '../config/input-file';
import { UsageError } from './cli';

/**
 * The platform description to render: the embedded default (config/), or a YAML/JSON file with
 * the same shape (`--config FILE`). The file is validated like the embedded one.
 */
export function readPlatformInput(file: string | undefined): unknown {
  if (file === undefined) return defaultPlatform;
  const what = 'config file';
  return parseYamlInput(file, readInputText(file, what), what).value;
}

/** The environment `--env NAME` names in the platform of `--config FILE` (or the embedded one). */
export function selectEnvironment(
  command: string,
  file: string | undefined,
  name: string | undefined,
): Environment {
  const platform = loadPlatform(readPlatformInput(file));
  const env = platform.environments.find((e) => e.name === name);
  if (env === undefined) {
    throw new UsageError(
      `${command}: --env ${name ?? '(missing)'} names no environment (known: ${platform.environments.map((e) => e.name).join(', ')}).`,
    );
  }
  return env;
}
