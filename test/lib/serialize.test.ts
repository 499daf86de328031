import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { sortKeys, toJson, toYaml } from '../../lib/serialize';

/** What every rendered YAML file is: the sorted deep copy, dumped. */
const dumpedCopy = (value: unknown) =>
  dump(sortKeys(value), { lineWidth: -1, noRefs: true, quotingType: '"' });

describe('toYaml', () => {
  it('writes keys in code-unit order, nested and in lists', () => {
    expect(toYaml({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' }, B: true })).toBe(
      'B: true\na:\n  c: x\n  d:\n    - "y": 2\n      z: 1\nb: 1\n',
    );
  });

  it('is the sorted copy dumped, to the byte, where keys are numbers or values undefined', () => {
    const odd = {
      b: 1,
      a: { '10': 1, '9': 2, z: 3, '01': 4, '-1': 5, '4294967294': 6, '4294967295': 7, u: undefined },
      list: [undefined, { x: undefined }, []],
      empty: {},
      emptied: { gone: undefined },
      text: 'line one\nline two\n',
    };
    expect(toYaml(odd)).toBe(dumpedCopy(odd));
    // Array-index keys come first, by number, as in any JavaScript object.
    expect(toYaml({ b: 1, '10': 1, '9': 2, a: 3 })).toBe('"9": 2\n"10": 1\na: 3\nb: 1\n');
  });
});

describe('toJson', () => {
  it('sorts keys and drops undefined members', () => {
    expect(toJson({ b: 1, a: { y: undefined, x: [2, 1] } })).toBe(
      '{\n  "a": {\n    "x": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
