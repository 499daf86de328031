import { inspect } from 'node:util';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { NO_JOB_FILES } from '../../config/job-files';
import { toYaml } from '../../lib/serialize';
import { generatedPlatform } from '../../pipeline/generate';
import { renderPlatform } from '../../pipeline/render';
import { seedEnvironmentInput, seedJobFiles, seedPlatformInput } from '../fixtures';
import { platformModel } from '../helpers/model';

/**
 * `toYaml` writes JSON values itself (lib/yaml-writer.ts); every test here holds it to what
 * `toYaml` was before, js-yaml's dump with the same options, byte for byte.
 */

/** Whether JavaScript enumerates `key` as an array index (`0` … `2**32 - 2`). */
const isIndex = (key: string) => /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) <= 2 ** 32 - 2;

/** Array-index keys first, by number, then the rest by UTF-16 code units. */
function keyOrder(a: string, b: string): number {
  if (isIndex(a) || isIndex(b)) return isIndex(a) ? (isIndex(b) ? Number(a) - Number(b) : -1) : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The oracle: toYaml as it was, js-yaml's dump. */
const jsYaml = (value: unknown) =>
  dump(value, { lineWidth: -1, noRefs: true, quotingType: '"', sortKeys: keyOrder });

/** The values whose text differs, each shown with both texts (at most `limit`). */
function differences(values: Iterable<[string, unknown]>, limit = 3) {
  const found: { what: string; value: string; toYaml: string; jsYaml: string }[] = [];
  let compared = 0;
  for (const [what, value] of values) {
    compared += 1;
    const written = toYaml(value);
    const expected = jsYaml(value);
    if (written !== expected && found.length < limit) {
      found.push({ what, value: inspect(value, { depth: 8 }), toYaml: written, jsYaml: expected });
    }
  }
  return { compared, found };
}

/** A key-value pair as an own data property, `__proto__` included. */
function define(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const withKey = (key: string, value: unknown) => define({}, key, value);

describe('toYaml on rendered platforms', () => {
  it('writes every object of the seed render as js-yaml does', () => {
    const { files, objects } = renderPlatform(
      platformModel(loadPlatform(seedPlatformInput(), seedJobFiles())),
    );
    const { compared, found } = differences(objects);
    expect(found).toEqual([]);
    expect(compared).toBeGreaterThan(50);
    // The files synth writes are these texts; the render holds the literal blocks of JobRuns.
    for (const [path, object] of objects) expect(files.get(path), path).toBe(jsYaml(object));
    const texts = [...files.values()].join('\n');
    expect(texts).toMatch(/configurationOverrides: \|-\n {4}\{\n {6}"/);
    expect(texts).toMatch(/: "[0-9]+"\n/);
  });

  it('writes every object of a generated platform (the seed environment with 20 teams × 5 jobs) as js-yaml does', () => {
    const { objects } = renderPlatform(
      platformModel(loadPlatform(generatedPlatform(20, 5, seedEnvironmentInput()), NO_JOB_FILES)),
    );
    const { compared, found } = differences(objects);
    expect(found).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });
});

/** Strings that stress every style rule js-yaml has. */
const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '  ',
  'a',
  'a ',
  ' a',
  'a b',
  ' a b ',
  'a  b',
  'a:b',
  'a: b',
  'a:',
  ':a',
  ': a',
  ':',
  '::',
  'a::b',
  'a:#',
  'a: #b',
  'a#b',
  'a #b',
  '#a',
  '#',
  'a#',
  'a##',
  '- a',
  '-',
  '-a',
  '--',
  '? a',
  '?',
  '?a',
  'a?',
  '*a',
  '&a',
  '!a',
  '%a',
  '@a',
  '`a',
  '|a',
  '>a',
  '=a',
  ',a',
  '[a',
  ']a',
  '{a',
  '}a',
  '"a"',
  "'a'",
  'a"b',
  "a'b",
  'a\\b',
  '\\',
  '\\n',
  'a"',
  "a'",
  '"a\\b"',
  '- C:\\dir\\',
  'a: \\ "b"',
  'a\tb',
  '\t',
  'a\t',
  'a\rb',
  'a\r\nb',
  '\r',
  'a\u2028b',
  'a\u2029b',
  '\u0085',
  'a\u00a0b',
  '\u00a0',
  'é',
  'naïve',
  'Ünïcödé',
  '日本語',
  '😀',
  'a😀b',
  '\ud83d',
  'a\udc00b',
  '\ufeff',
  'a\ufeff',
  '\u0000',
  'a\u0007',
  '\u001b[0m',
  '\u007f',
  'a\u0080',
  'x'.repeat(5000),
  'word '.repeat(300).trim(),
  `${'a'.repeat(2000)}: b`,
  'a\n',
  'a\n\n',
  'a\n\n\n',
  '\n',
  '\n\n',
  'a\nb',
  'a\nb\n',
  '\na',
  '\n\na',
  ' a\nb',
  '  a\n b\n',
  '\n a',
  '\n\n  a\n',
  'a\n b',
  'a\n\nb',
  'a\n \nb',
  'a \n',
  'a\n ',
  'a\n\t b',
  'é\nx',
  '😀\n😀\n',
  'a\r\n',
  'a\n\u2028',
  '# a\n- b\n',
  JSON.stringify({ a: [1, { b: 'c: d', e: '#f' }], g: '' }, null, 2),
  '#!/bin/sh\nset -eu\necho "hi" # done\n',
  '0x1F',
  '0x',
  '0xg',
  '1e3',
  '1E5',
  '1e',
  '.5',
  '5.',
  '0o7',
  '0o8',
  '0b1',
  '0b2',
  '1_000',
  '+1',
  '-1',
  '+',
  '1.5',
  '-1.5e-3',
  '.inf',
  '-.inf',
  '+.INF',
  '.nan',
  '.NaN',
  'inf',
  'nan',
  'NaN',
  'Infinity',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '2001-12-14T21:59:43Z',
  '2001-1-1',
  '2001-12-14T',
  '12:30:45',
  '1:20',
  '190:20:30.15',
  '-1:30',
  '1:2:3x',
  '~',
  '~a',
  'null',
  'Null',
  'NULL',
  'nULL',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'False',
  'FALSE',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'yEs',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  'oFF',
  'yess',
  'nope',
  '<<',
  '<',
  '=',
  '>',
  '|',
  '[a]',
  '{a}',
  'a,b',
  ',',
  'a[b]',
  'a{b}',
  '[]',
  '{}',
  '0',
  '00',
  '010',
  '10',
  '123456789012345',
  '1234567890123456',
  '9'.repeat(308),
  '9'.repeat(309),
  '9'.repeat(400),
  '10Gi',
  '500m',
  '4g',
  '100Mi',
  '1x',
  '1T',
  '1Z',
  '1z',
  '1d',
  '1n',
  '1i',
  '1o',
  '12ab',
  '9.9.9.9/9',
  '1-2',
  '1 2',
  '1 g',
  '1g ',
  '_a',
  '_',
  '/a/b',
  '/',
  '/a: b',
  '_1',
  '__proto__',
  'a/b:c@d',
  'arn:aws:iam::123456789012:role/x',
  'public.ecr.aws/emr/spark:7.1.0@sha256:0123abcd',
  '${VAR}',
  '$a',
  '(a)',
  'a b c:',
  'a b c: d',
  'key=value',
  'a;b',
  'a|b',
  'a>b',
  'a!b',
  'a&b',
  'a*b',
  'a%b',
  'a@b',
  'a`b',
  'a~',
  'Z',
  'z9',
];

/** Numbers, as js-yaml's int and float representers write them. */
const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  7,
  1.5,
  -1.5,
  0.1 + 0.2,
  1e21,
  -1e21,
  1e100,
  123456789012345680000,
  2 ** 53,
  2 ** 53 + 2,
  1e-7,
  -1e-7,
  1.5e-7,
  5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e20,
  0.000001,
  1 / 3,
];

/** Places for a value: the root, mapping values and sequence items at several depths, with siblings. */
const VALUE_PLACES: readonly ((x: unknown) => unknown)[] = [
  (x) => x,
  (x) => ({ k: x }),
  (x) => ({ k: { k: x } }),
  (x) => ({ a: { b: { c: { d: x } } } }),
  (x) => [x],
  (x) => [[x]],
  (x) => [[[x, x]]],
  (x) => ({ k: [x, x] }),
  (x) => [{ k: x }],
  (x) => ({ k: [{ k: [x] }] }),
  (x) => [[{ k: x }], x],
  (x) => ({ a: x, b: 1, c: [x, { d: x, e: [] }], f: {} }),
  (x) => ({ z: { y: [{ x: [[{ w: x }]] }] } }),
];

/** Places for a key: in mappings at several depths, with block, empty and scalar values. */
const KEY_PLACES: readonly ((key: string) => unknown)[] = [
  (key) => withKey(key, 1),
  (key) => ({ a: withKey(key, 'v') }),
  (key) => [withKey(key, [1, 'two'])],
  (key) => ({ a: [{ b: withKey(key, 'v\nw\n') }] }),
  (key) => withKey(key, { a: 1 }),
  (key) => withKey(key, []),
  (key) => withKey(key, {}),
  (key) => define({ m: 1, A: 2, _: 3, '1': 4 }, key, [{ x: null }]),
];

/** Keys beyond the strings: array indices, which js-yaml orders by number, and over-long keys. */
const HOSTILE_KEYS: readonly string[] = [
  ...HOSTILE_STRINGS,
  '1',
  '10',
  '9',
  '01',
  '-1',
  '4294967294',
  '4294967295',
  '1.0',
  'x'.repeat(1024),
  'x'.repeat(1025),
  '"'.repeat(600),
];

describe('toYaml on hostile scalars', () => {
  it('writes every hostile string at every place as js-yaml does', () => {
    const cases = HOSTILE_STRINGS.flatMap((string, i) =>
      VALUE_PLACES.map((place, p): [string, unknown] => [`string ${i} at place ${p}`, place(string)]),
    );
    const { compared, found } = differences(cases);
    expect(found).toEqual([]);
    expect(compared).toBe(HOSTILE_STRINGS.length * VALUE_PLACES.length);
  });

  it('writes every hostile key at every place as js-yaml does', () => {
    const cases = HOSTILE_KEYS.flatMap((key, i) =>
      KEY_PLACES.map((place, p): [string, unknown] => [`key ${i} at place ${p}`, place(key)]),
    );
    expect(differences(cases).found).toEqual([]);
  });

  it('writes numbers, booleans and null at every place as js-yaml does', () => {
    const scalars: unknown[] = [...HOSTILE_NUMBERS, true, false, null];
    const cases = scalars.flatMap((scalar) =>
      VALUE_PLACES.map((place, p): [string, unknown] => [`${String(scalar)} at place ${p}`, place(scalar)]),
    );
    expect(differences(cases).found).toEqual([]);
    expect(toYaml({ a: -0, b: 1e21, c: 1e-7, d: 5e-324 })).toBe('a: -0.0\nb: 1e+21\nc: 1.e-7\nd: 5.e-324\n');
  });

  it('writes keys in the order a sorted copy enumerates them', () => {
    const object = JSON.parse(
      '{"b":1,"__proto__":2,"10":3,"9":4,"B":5,"01":6,"-1":7,"4294967295":8,"4294967294":9,"_":10,"é":11}',
    ) as unknown;
    expect(toYaml(object)).toBe(jsYaml(object));
    expect(
      toYaml(object)
        .split('\n')
        .map((line) => line.split(':')[0]),
    ).toEqual([
      '"9"',
      '"10"',
      '"4294967294"',
      '"-1"',
      '"01"',
      '"4294967295"',
      'B',
      '_',
      '__proto__',
      'b',
      'é',
      '',
    ]);
  });

  it('writes empty and emptied containers, sparse arrays and undefined members as js-yaml does', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 'x';
    const values: unknown[] = [
      {},
      [],
      [[]],
      [{}],
      [[], {}],
      [[[]]],
      { a: {} },
      { a: [] },
      { a: { b: {} } },
      { a: [[], [[]]] },
      { a: undefined },
      { a: { b: undefined } },
      [{ a: undefined }],
      [undefined],
      [undefined, { a: undefined, b: 1 }],
      { a: undefined, b: { c: undefined, d: [undefined] } },
      sparse,
      { a: sparse },
      Object.create(null) as unknown,
      Object.assign(Object.create(null) as object, { b: 1, a: { c: [] } }),
      [['a', ['b', ['c', []]]], { d: [{ e: [{}] }] }],
    ];
    const { found } = differences(values.map((value, i): [string, unknown] => [`value ${i}`, value]));
    expect(found).toEqual([]);
    expect(toYaml({ a: [[1, 2], [], [{ b: [] }]] })).toBe('a:\n  - - 1\n    - 2\n  - []\n  - - b: []\n');
  });

  it('leaves what is not JSON to js-yaml: the same text, or the same error', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const values: unknown[] = [
      NaN,
      Infinity,
      -Infinity,
      { a: NaN },
      [{ b: -Infinity }],
      { when: new Date(0) },
      new Point(1),
      { p: [new Point(2)] },
      undefined,
      { long: withKey('k'.repeat(1025), 1) },
      withKey('"'.repeat(600), { a: 1 }),
      withKey('x'.repeat(2000), [1]),
    ];
    const { found } = differences(values.map((value, i): [string, unknown] => [`value ${i}`, value]));
    expect(found).toEqual([]);
    expect(toYaml(undefined)).toBe('');
    expect(toYaml({ a: [Infinity] })).toBe('a:\n  - .inf\n');
    for (const value of [{ f: () => 1 }, [Symbol('s')], { n: 1n }, new Map([['a', 1]])]) {
      expect(() => jsYaml(value)).toThrow(/unacceptable kind/);
      expect(() => toYaml(value)).toThrow(/unacceptable kind/);
    }
  });
});

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pieces random strings are made of: every character class js-yaml's rules look at. */
const PIECES = [
  'a',
  'b',
  'Z',
  'k',
  'y',
  'n',
  'e',
  'x',
  'o',
  'T',
  'G',
  'i',
  'm',
  '0',
  '1',
  '9',
  ' ',
  '  ',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '?',
  '\n',
  '\n\n',
  '\t',
  '"',
  "'",
  '\\',
  '.',
  '_',
  '/',
  ',',
  '[',
  ']',
  '{',
  '}',
  '*',
  '&',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '=',
  '<',
  '~',
  '+',
  'é',
  '😀',
  '\u2028',
  '\r',
  '\u0085',
  '\u00a0',
  'true',
  'null',
  'yes',
  'Off',
  '0x',
  '1e',
  '2001-12-14',
];

function randomValue(next: () => number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const string = (): string => {
    if (next() < 0.15) return pick(HOSTILE_STRINGS.filter((s) => s.length < 100));
    let text = '';
    const length = Math.floor(next() * 9);
    for (let i = 0; i < length; i += 1)
      text += next() < 0.5 ? pick(PIECES) : String.fromCharCode(97 + Math.floor(next() * 26));
    return text;
  };
  const number = (): number => {
    const roll = next();
    if (roll < 0.3) return pick(HOSTILE_NUMBERS);
    if (roll < 0.6) return Math.floor((next() - 0.5) * 10 ** Math.floor(next() * 12));
    return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
  };
  const node = (depth: number): unknown => {
    const roll = next();
    if (depth < 5 && roll < 0.3) {
      const object: Record<string, unknown> = {};
      const size = Math.floor(next() * 6);
      for (let i = 0; i < size; i += 1) {
        const key = next() < 0.2 ? pick(HOSTILE_KEYS.filter((k) => k.length < 100)) : string();
        define(object, key, next() < 0.08 ? undefined : node(depth + 1));
      }
      return object;
    }
    if (depth < 5 && roll < 0.5) {
      return Array.from({ length: Math.floor(next() * 5) }, () =>
        next() < 0.03 ? undefined : node(depth + 1),
      );
    }
    if (roll < 0.8) return string();
    if (roll < 0.92) return number();
    return pick([true, false, null]);
  };
  return node(0);
}

describe('toYaml on random JSON values', () => {
  it('writes 4000 seeded random nested values as js-yaml does', () => {
    const next = random(20_260_923);
    const cases = Array.from({ length: 4000 }, (_, i): [string, unknown] => [`case ${i}`, randomValue(next)]);
    const { compared, found } = differences(cases);
    expect(found).toEqual([]);
    expect(compared).toBe(4000);
    // The generator reaches the deep and the odd: nested blocks, literal blocks, quoted keys.
    const texts = cases.map(([, value]) => toYaml(value)).join('');
    expect(texts).toMatch(/\n {8}- /);
    expect(texts).toMatch(/: \|[-+2]*\n {4,}\S/);
    expect(texts).toMatch(/\n *"[^"\n]*\\[nt][^"\n]*": /);
  });
});
