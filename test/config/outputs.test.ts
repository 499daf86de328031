import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { InputFileError } from '../../lib/structured-input';
import { loadOutputs } from '../../config/outputs';

const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
const file = join(dir, 'default.json');
const fix = 'fix it by hand, or delete it and run `npm run outputs -- --env default` again.';

function failure(content: string): Error {
  writeFileSync(file, content);
  try {
    loadOutputs('default', dir);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('config/outputs/<env>.json', () => {
  it('is optional, and read when present', () => {
    expect(loadOutputs('none', dir)).toEqual({});
    writeFileSync(file, '{"fsxMountName": "abcdef"}\n');
    expect(loadOutputs('default', dir)).toEqual({ fsxMountName: 'abcdef' });
  });

  it.each([
    // What a killed `npm run outputs` of old left: it was "synth: Unexpected end of JSON input".
    [
      '{"fsxFileSystemId": "fs-0123',
      `${file}:1:29: outputs file is not valid JSON (Unterminated string): ${fix}`,
    ],
    [
      '{"fsxFileSystemId": ',
      `${file}:1:21: outputs file is not valid JSON (Unexpected end of JSON input): ${fix}`,
    ],
    ['', `outputs file ${file} is empty: ${fix}`],
    ['[]', `outputs file ${file} holds a list, not a JSON object: ${fix}`],
  ])('names the file, the problem and the fix for %j', (content, message) => {
    const error = failure(content);
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(message);
  });

  it('checks the values against the contract, naming the file', () => {
    const error = failure('{"fsxFileSystemId": "nope"}');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `Invalid config at ${file}: fsxFileSystemId: "nope" must be an FSx filesystem id (fs-…).`,
    );
  });
});
