import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, InputFileError, locate, parseYamlInput, readInputText } from '../../config/input-file';

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
    ['', 'config file in.yaml is empty: it must hold a YAML mapping (see the example in the README).'],
    [
      '# only a comment\n',
      'config file in.yaml is empty: it must hold a YAML mapping (see the example in the README).',
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
