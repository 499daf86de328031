/**
 * Wildcard patterns as IAM's `StringLike`, Argo CD's globs and Go's `filepath.Match` read them:
 * `*` is any run of characters and `?` one character, neither crossing `separator` when one is
 * given; every other character stands for itself. A pattern without wildcards is compared, not
 * turned into an expression.
 */
export function wildcardMatch(
  pattern: string,
  value: string,
  options: { readonly separator?: string; readonly caseless?: boolean } = {},
): boolean {
  if (pattern === value) return true;
  const caseless = options.caseless === true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return caseless && pattern.toLowerCase() === value.toLowerCase();
  }
  const { separator } = options;
  const any = separator === undefined ? '.' : `[^${separator.replace(/[\]\\^-]/g, '\\$&')}]`;
  const source = [...pattern]
    .map((char) => {
      if (char === '*') return `${any}*`;
      if (char === '?') return any;
      return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, caseless ? 'is' : 's').test(value);
}
