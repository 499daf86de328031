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
  return compiled(pattern, options.separator, caseless).test(value);
}

/**
 * Compiled patterns, by pattern, separator and case: the validator matches every JobRun's S3
 * URIs against its team's policy patterns, so the same few patterns are tried many times. The
 * cache holds compiled expressions only (no answers), so what it returns never depends on it;
 * it is emptied when it reaches {@link MAX_COMPILED} entries.
 */
const compiledPatterns = new Map<string, RegExp>();
const MAX_COMPILED = 10_000;

function compiled(pattern: string, separator: string | undefined, caseless: boolean): RegExp {
  const key = `${caseless ? 'i' : 's'}${separator ?? ''}\0${pattern}`;
  const cached = compiledPatterns.get(key);
  if (cached !== undefined) return cached;
  const any = separator === undefined ? '.' : `[^${separator.replace(/[\]\\^-]/g, '\\$&')}]`;
  const source = [...pattern]
    .map((char) => {
      if (char === '*') return `${any}*`;
      if (char === '?') return any;
      return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  const expression = new RegExp(`^${source}$`, caseless ? 'is' : 's');
  if (compiledPatterns.size >= MAX_COMPILED) compiledPatterns.clear();
  compiledPatterns.set(key, expression);
  return expression;
}
