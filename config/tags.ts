import type { ConfigProblem } from './errors';

/** What AWS accepts in a tag key or value (letters, separators, digits and `_ . : / = + - @`). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/**
 * Refuses tags AWS would reject at apply time (every resource carries them as default tags):
 * an empty key, the reserved `aws:` prefix, a key over 128 or a value over 256 characters,
 * control characters and anything outside AWS's character set. `at` is the tags' field path.
 */
export function checkTags(tags: Readonly<Record<string, string>>, at: string): ConfigProblem[] {
  return Object.entries(tags).flatMap(([key, value]): ConfigProblem[] => {
    const keyRule = keyProblem(key);
    if (keyRule !== undefined) return [{ path: at, value: key, rule: `is not a valid tag key: ${keyRule}` }];
    const valueRule = textProblem(value, MAX_VALUE);
    return valueRule === undefined
      ? []
      : [{ path: tagPath(at, key), value, rule: `is not a valid tag value: ${valueRule}` }];
  });
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'give the tag a name';
  if (key.toLowerCase().startsWith('aws:')) return 'AWS reserves the aws: prefix; rename the key';
  return textProblem(key, MAX_KEY);
}

function textProblem(text: string, max: number): string | undefined {
  const length = [...text].length;
  if (length > max) return `it has ${length} characters, AWS allows ${max}; shorten it`;
  const control = /\p{Cc}/u.exec(text);
  if (control !== null) {
    return `it holds the control character U+${hex(control[0])}; remove it`;
  }
  if (!TAG_CHARACTERS.test(text)) {
    const bad = [...text].find((char) => !TAG_CHARACTERS.test(char)) ?? '';
    return `AWS allows letters, digits, spaces and _ . : / = + - @ only, not ${JSON.stringify(bad)}; remove or replace it`;
  }
  return undefined;
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/** `tags.team` for plain keys, `tags["cost center"]` for others. */
function tagPath(at: string, key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}
