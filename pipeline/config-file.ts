import { readFileSync } from 'node:fs';
import { load, YAMLException } from 'js-yaml';
import { defaultPlatform } from '../config';
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
