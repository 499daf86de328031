import { readFileSync } from 'node:fs';
import { load, YAMLException } from 'js-yaml';
import { defaultPlatform, loadPlatform, type Environment } from '../config';
import { UsageError } from './cli';

/**
 * The platform description to render: the embedded default (config/), or a YAML/JSON file with
 * the same shape (`--config FILE`). The file is validated like the embedded one.
 */
export function readPlatformInput(file: string | undefined): unknown {
  if (file === undefined) return defaultPlatform;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      `Cannot read config file ${file}: check the path (--config FILE takes a YAML or JSON file).`,
    );
  }
  try {
    return load(text, { filename: file });
  } catch (error) {
    const where =
      error instanceof YAMLException ? `line ${error.mark.line + 1}: ${error.reason}` : String(error);
    throw new UsageError(`Config file ${file} is not valid YAML/JSON (${where}).`);
  }
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
