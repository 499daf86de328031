import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../lib/wildcard';

describe('wildcardMatch', () => {
  it('reads * and ? as wildcards and every other character literally', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('team-?', 'team-a')).toBe(true);
    expect(wildcardMatch('team-?', 'team-ab')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::b/k.*', 'arn:aws:s3:::b/kX')).toBe(false);
    expect(wildcardMatch('a[b]', 'a[b]')).toBe(true);
    expect(wildcardMatch('a(b)*', 'a(b)c')).toBe(true);
  });

  it('keeps wildcards on their side of a separator when given one', () => {
    expect(wildcardMatch('team-*', 'team-a/b', { separator: '/' })).toBe(false);
    expect(wildcardMatch('team-*', 'team-a/b')).toBe(true);
  });

  it('compares without case when asked, with or without wildcards', () => {
    expect(wildcardMatch('S3:getobject', 's3:GetObject')).toBe(false);
    expect(wildcardMatch('S3:getobject', 's3:GetObject', { caseless: true })).toBe(true);
    expect(wildcardMatch('S3:get*', 's3:GetObject', { caseless: true })).toBe(true);
  });
});
