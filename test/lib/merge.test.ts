import { describe, expect, it } from 'vitest';
import { mergeRecords, putMember } from '../../lib/merge';

describe('mergeRecords', () => {
  it('makes what an object spread of the parts makes: later parts win, first positions kept', () => {
    const a = { 'spark.driver.cores': '1', 'spark.executor.cores': '2', shared: 'a' };
    const b = { shared: 'b', 'spark.local.dir': '/data' };
    const c = { 'spark.driver.cores': '4' };
    const merged = mergeRecords(a, b, c);
    expect(merged).toEqual({ ...a, ...b, ...c });
    expect(Object.keys(merged)).toEqual(Object.keys({ ...a, ...b, ...c }));
  });

  it('keeps a __proto__ key as an ordinary member, as a spread does', () => {
    const hostile = JSON.parse('{"__proto__": "x", "polluted": "no"}') as Record<string, string>;
    const merged = mergeRecords({ a: '1' }, hostile);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['a', '__proto__', 'polluted']);
    expect(merged).toEqual({ a: '1', ...hostile });
  });

  it('leaves the parts as they were and copies nothing inherited', () => {
    const base = Object.create({ inherited: 'no' }) as Record<string, string>;
    base.own = 'yes';
    const part = { more: '1' };
    const merged = mergeRecords(base, part);
    expect(merged).toEqual({ own: 'yes', more: '1' });
    expect(part).toEqual({ more: '1' });
    expect(mergeRecords()).toEqual({});
  });
});

describe('putMember', () => {
  it('sets an own member, a __proto__ key as an ordinary one', () => {
    const record: Record<string, string> = {};
    putMember(record, 'a', '1');
    putMember(record, '__proto__', 'x');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(['a', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')).toEqual({
      value: 'x',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
});
