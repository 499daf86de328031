import { describe, expect, it } from 'vitest';
import { withoutTokenStackTraces } from '../../pipeline/render';

describe('render without token stack traces', () => {
  it('gives plain objects (what CDKTF records per token) no stack, and real errors their frames', () => {
    const inside = withoutTokenStackTraces(() => {
      const token = { stack: '' };
      Error.captureStackTrace(token);
      return { token: token.stack, error: new Error('broken').stack ?? '' };
    });
    expect(inside.token).toBe('');
    expect(inside.error.split('\n')[0]).toBe('Error: broken');
    expect(inside.error).toMatch(/\n {4}at .*token-stacks\.test\.ts:\d+:\d+/);
  });

  it('restores the hook it found, also when the render throws', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    expect(() =>
      withoutTokenStackTraces(() => {
        throw new Error('render failed');
      }),
    ).toThrow('render failed');
    expect(Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')).toEqual(before);
    const token = { stack: '' };
    Error.captureStackTrace(token);
    expect(token.stack).not.toBe('');
  });
});
