import { parseYamlInput, type InputLimits } from '../lib/structured-input';
import { readInputText } from '../config/input-file';
import { sharedPath } from './shared';

/** Reference files are larger than user input; the limits still bound a broken copy. */
const REFERENCE_LIMITS: InputLimits = { maxBytes: 8 * 1024 * 1024, maxAliases: 1000, maxDepth: 64 };

/** A YAML file under the shared reference folder, parsed (CloudFormation tags such as `!Sub` are kept as their plain values). */
export function referenceYaml(...parts: string[]): Record<string, unknown> {
  const file = sharedPath(...parts);
  return parseYamlInput(
    file,
    readInputText(file, 'reference file', REFERENCE_LIMITS),
    'reference file',
    REFERENCE_LIMITS,
  ).value as Record<string, unknown>;
}

/** A text file under the shared reference folder. */
export function referenceText(...parts: string[]): string {
  return readInputText(sharedPath(...parts), 'reference file', REFERENCE_LIMITS);
}
