import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/errors';
import { InputFileError } from '../lib/structured-input';
import { SchemaFilesError } from '../validation/schema-files';
import { OutputError } from './safe-output';

/** Bad command-line input: printed as one line, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Marks the errors that are the user's to fix. A brand rather than `instanceof`: each verb is
 * its own precompiled bundle with its own copy of these classes, and the dispatcher that catches
 * an error has another.
 */
const KNOWN_ERROR = Symbol.for('emr-eks-gitops.known-error');
for (const known of [ConfigError, UsageError, SchemaFilesError, InputFileError, OutputError]) {
  Object.defineProperty(known.prototype, KNOWN_ERROR, { value: true });
}

/** A bad-input error (config, usage, input file, schema files, output target): one sentence, exit 1. */
export function isKnownError(error: unknown): error is Error {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[KNOWN_ERROR] === true;
}

/**
 * Runs a command's main function: known errors print their one-sentence message (exit 1),
 * anything else prints one line too (exit 2); a stack trace only with `DEBUG=1`.
 */
export function runCli(name: string, main: () => Promise<number> | number): void {
  const fail = (error: unknown): void => {
    if (isKnownError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${name}: ${message.split('\n')[0] ?? ''}\n`);
    if (process.env.DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 2;
  };
  try {
    Promise.resolve(main()).then((code) => {
      process.exitCode = code;
    }, fail);
  } catch (error) {
    fail(error);
  }
}

/** `util.parseArgs` with our error wording (`--help` for usage). */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    // Node's parser explains positional arguments at length; the first clause is the point.
    const reason = (error instanceof Error ? error.message : String(error)).split(/\.\s/)[0];
    throw new UsageError(`${command}: ${reason} (run with --help for usage)`);
  }
}
