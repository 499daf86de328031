import { readFileSync, statSync } from 'node:fs';
import {
  INPUT_LIMITS,
  InputFileError,
  invalidUtf8Offset,
  reason,
  type InputLimits,
} from '../lib/structured-input';

/** Reads a regular file of at most `limits.maxBytes` as UTF-8, refusing bytes that are not UTF-8. */
export function readInputText(file: string, what: string, limits: InputLimits = INPUT_LIMITS): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      throw new InputFileError(`${what} ${file} is not a regular file: pass a YAML or JSON file.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`Cannot read ${what} ${file} (${reason(error)}): check the path.`);
  }
  if (size > limits.maxBytes) {
    throw new InputFileError(
      `${what} ${file} is ${size} bytes, over the ${limits.maxBytes}-byte limit for input files: split it or remove what it does not need.`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputFileError(
      `Cannot read ${what} ${file} (${reason(error)}): check the path and its permissions.`,
    );
  }
  const invalid = invalidUtf8Offset(bytes);
  if (invalid !== undefined) {
    const line = bytes.subarray(0, invalid).filter((byte) => byte === 0x0a).length + 1;
    throw new InputFileError(
      `${what} ${file} is not valid UTF-8 at byte ${invalid} (line ${line}): save it as UTF-8.`,
    );
  }
  return bytes.toString('utf8');
}
