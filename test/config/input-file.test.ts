import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INPUT_LIMITS,
  InputFileError,
  invalidUtf8Offset,
  locate,
  parseJsonInput,
  parseYamlInput,
} from '../../lib/structured-input';
import { readInputText } from '../../config/input-file';
import { readPlatformInput } from '../../pipeline/config-file';
import { ROOT } from '../helpers/run';

const parse = (text: string) => parseYamlInput('in.yaml', text, 'config file');
const failure = (text: string): string => {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

/** A billion-laughs document: each level refers to the previous one nine times. */
function aliasBomb(levels: number): string {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i <= levels; i++)
    text += `a${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

describe('bounded YAML input', () => {
  it('parses a mapping and locates fields by path', () => {
    const input = parse('environments:\n  - name: dev\n    teams: [a, b]\n');
    expect(input.value).toEqual({ environments: [{ name: 'dev', teams: ['a', 'b'] }] });
    expect(locate(input, ['environments', 0, 'teams', 1])).toBe('3:16');
    expect(locate(input, ['environments', 0, 'missing', 'deeper'])).toBe('2:5');
  });

  it('stops an alias bomb at once, naming the file and the limit', () => {
    for (const levels of [9, 10]) {
      const started = performance.now();
      expect(failure(aliasBomb(levels))).toBe(
        'config file in.yaml expands aliases more than 100 times, the limit for input files: write the values out instead of nesting aliases.',
      );
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('refuses nesting deeper than the limit, with the position', () => {
    const deep = `${'['.repeat(INPUT_LIMITS.maxDepth + 1)}${']'.repeat(INPUT_LIMITS.maxDepth + 1)}`;
    const message = 'config file nests deeper than 64 levels, the limit for input files: flatten it.';
    expect(failure(`a: ${deep}\n`)).toBe(`in.yaml:1:68: ${message}`);
    const started = performance.now();
    expect(failure(`b: 1\na: ${'['.repeat(200_000)}\n`)).toBe(`in.yaml:2:68: ${message}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(failure(`a:\n  ${'- '.repeat(70)}x\n`)).toBe(`in.yaml:2:129: ${message}`);
  });

  it.each([
    [
      '',
      'config file in.yaml is empty: it must hold a YAML mapping of fields; start it with the top-level keys.',
    ],
    [
      '# only a comment\n',
      'config file in.yaml is empty: it must hold a YAML mapping of fields; start it with the top-level keys.',
    ],
    [
      '- a\n- b\n',
      'in.yaml:1:1: config file holds a list, not a mapping of fields: start it with the top-level keys.',
    ],
    [
      '42\n',
      'in.yaml:1:1: config file holds a single value, not a mapping of fields: start it with the top-level keys.',
    ],
    ['a: 1\na: 2\n', 'in.yaml:2:1: config file is not valid YAML: Map keys must be unique.'],
  ])('explains %j in one sentence', (text, message) => {
    expect(failure(text)).toBe(message);
  });

  it('refuses files over the size limit and anything that is not a regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'input-'));
    const big = join(dir, 'big.yaml');
    writeFileSync(big, 'a: 1\n'.padEnd(64, ' '));
    expect(() => readInputText(big, 'config file', { ...INPUT_LIMITS, maxBytes: 32 })).toThrow(
      `config file ${big} is 64 bytes, over the 32-byte limit for input files: split it or remove what it does not need.`,
    );
    expect(() => readInputText(dir, 'config file')).toThrow(
      `config file ${dir} is not a regular file: pass a YAML or JSON file.`,
    );
    expect(() => readInputText(join(dir, 'none.yaml'), 'config file')).toThrow(
      `Cannot read config file ${join(dir, 'none.yaml')} (ENOENT): check the path.`,
    );
  });
});

describe('an empty or hostile --config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-file-'));

  it('empty: one sentence naming the file and the fix (it was "Invalid config at : missing is required")', () => {
    const file = join(dir, 'empty.yaml');
    writeFileSync(file, '\n');
    expect(() => readPlatformInput(file)).toThrow(
      `config file ${file} is empty: it must hold a YAML mapping of fields; start it with the top-level keys.`,
    );
  });

  it('invalid UTF-8: refused with the byte offset and line, not silently replaced', () => {
    const file = join(dir, 'latin1.yaml');
    // "environments:\n  - name: caf\xe9" saved as Latin-1: 0xE9 starts no valid UTF-8 sequence here.
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('environments:\n  - name: caf'), Buffer.from([0xe9, 0x0a])]),
    );
    expect(() => readPlatformInput(file)).toThrow(
      new InputFileError(`config file ${file} is not valid UTF-8 at byte 27 (line 2): save it as UTF-8.`),
    );
  });

  it('an alias bomb fails in under 1 s and 200 MB of memory, naming the file and the limit', () => {
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, aliasBomb(10));
    expect(Buffer.byteLength(aliasBomb(9))).toBeLessThan(1000);
    // A fresh process, so its peak memory is the parse's own (plus Node and the loader).
    const script = `
      const { readPlatformInput } = require(${JSON.stringify(join(ROOT, 'pipeline', 'config-file.ts'))});
      const started = performance.now();
      let message = '';
      try { readPlatformInput(${JSON.stringify(file)}); } catch (error) { message = error.message; }
      process.stdout.write(JSON.stringify({ message, ms: performance.now() - started, rssMiB: process.resourceUsage().maxRSS / 1024 }));`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { message: string; ms: number; rssMiB: number };
    expect(result.message).toBe(
      `config file ${file} expands aliases more than 100 times, the limit for input files: write the values out instead of nesting aliases.`,
    );
    expect(result.ms).toBeLessThan(1000);
    expect(result.rssMiB).toBeLessThan(200);
  });
});

describe('UTF-8 of input files', () => {
  it.each([
    ['a stray continuation byte', [0x61, 0x80], 1],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut off at the end', [0x61, 0xe2, 0x82], 1],
  ])('finds %s', (_name, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('accepts UTF-8, a byte-order mark included, and keeps the text as it was', () => {
    const text = '\ufeffname: caf\u00e9 \u20ac \u{1f680}\n';
    expect(invalidUtf8Offset(Buffer.from(text, 'utf8'))).toBeUndefined();
    const file = join(mkdtempSync(join(tmpdir(), 'utf8-')), 'ok.yaml');
    writeFileSync(file, text);
    expect(readInputText(file, 'config file')).toBe(text);
  });
});

describe('bounded JSON input', () => {
  const fix = 'run the command again';
  const failure = (text: string): string => {
    try {
      parseJsonInput('out.json', text, 'outputs file', fix);
    } catch (error) {
      expect(error).toBeInstanceOf(InputFileError);
      return (error as Error).message;
    }
    throw new Error('expected a failure');
  };

  it('parses an object', () => {
    expect(parseJsonInput('out.json', '{"a": [1, {"b": 2}]}', 'outputs file', fix)).toEqual({
      a: [1, { b: 2 }],
    });
  });

  it.each([
    ['', 'outputs file out.json is empty: run the command again.'],
    [' \n', 'outputs file out.json is empty: run the command again.'],
    [
      '{"fsxDnsName": "fs-1.fsx',
      'out.json:1:25: outputs file is not valid JSON (Unterminated string): run the command again.',
    ],
    [
      '{\n  "a": 1,\n}',
      'out.json:3:1: outputs file is not valid JSON (Expected double-quoted property name): run the command again.',
    ],
    [
      '{"a": 1',
      "out.json:1:8: outputs file is not valid JSON (Expected ',' or '}' after property value): run the command again.",
    ],
    ['[1, 2]', 'outputs file out.json holds a list, not a JSON object: run the command again.'],
    ['"text"', 'outputs file out.json holds a single value, not a JSON object: run the command again.'],
    [
      `{"a": ${'['.repeat(65)}${']'.repeat(65)}}`,
      'out.json:1:70: outputs file nests deeper than 64 levels, the limit for input files: run the command again.',
    ],
  ])('explains %j in one sentence', (text, message) => {
    expect(failure(text)).toBe(message);
  });
});
