import { dump, type DumpOptions } from 'js-yaml';

/**
 * The YAML of every rendered file: js-yaml's `dump` with these options, byte for byte. Block
 * style throughout, no line folding (`lineWidth: -1`), no anchors (`noRefs`), double quotes
 * where a scalar needs quoting, keys in the order a copy made by `sortKeys` (serialize.ts)
 * enumerates them.
 */
const DUMP_OPTIONS: DumpOptions = {
  lineWidth: -1,
  noRefs: true,
  quotingType: '"',
  sortKeys: enumerationOrder,
};

/**
 * `dump(value, DUMP_OPTIONS)`, to the byte, written directly for JSON values. js-yaml's dumper
 * runs every node through its generic type detection, sorts keys through a comparator and scans
 * every string against every YAML type; here the mappings, sequences, numbers, booleans and null
 * are written straight, and so are the strings of printable ASCII whose style js-yaml's rules fix
 * without its type resolvers (plain, double-quoted, literal block: {@link styleOf}). Every other
 * string (unicode, control characters, tabs, and the one-line strings a YAML type might read,
 * such as `1.5` or `2001-12-14`) is still written by js-yaml, alone.
 *
 * Written directly: arrays, objects whose prototype is `Object.prototype` or `null`, strings,
 * finite numbers, booleans and null. As in js-yaml, an `undefined` member of an object is left
 * out (an object left without members is `{}`) and an `undefined` or missing array item is
 * `null`. Anything else anywhere in the value (`undefined` at the top, NaN or ±Infinity, class
 * instances, dates, typed arrays, maps, functions, symbols, bigints, boxed primitives), and any
 * key longer than js-yaml writes inline (1024 characters, as written), sends the whole value to
 * `dump` itself, so the text, or the error, is always js-yaml's. A value that contains itself
 * overflows the stack, as in js-yaml (`noRefs`).
 */
export function yamlDocument(value: unknown): string {
  if (value !== undefined) {
    // The text is collected in pieces and joined once: one flat string, where appending to a
    // string would leave a rope of thousands of pieces several times the text's size in memory.
    const out: string[] = [];
    try {
      sequenceItem(value, 0, out);
      out.push('\n');
      return out.join('');
    } catch (error) {
      if (!(error instanceof NotWrittenHere)) throw error;
    }
  }
  return dump(value, DUMP_OPTIONS);
}

/** Thrown where a value needs js-yaml's own dumper: the whole document goes to `dump`. */
class NotWrittenHere extends Error {}

/**
 * A node that starts on the current line (a sequence item after `- `, or the root), at `level`:
 * a non-empty mapping or sequence starts with its first entry, without a line break.
 */
function sequenceItem(value: unknown, level: number, out: string[]): void {
  switch (typeof value) {
    case 'string':
      stringScalar(value, level, out);
      return;
    case 'number':
      out.push(numberScalar(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      // js-yaml writes a missing or undefined array item as null.
      out.push('null');
      return;
    case 'object': {
      if (value === null) out.push('null');
      else if (Array.isArray(value)) {
        if (value.length === 0) out.push('[]');
        else sequenceBody(value, level, true, out);
      } else if (!mappingBody(plainObject(value), level, true, out)) out.push('{}');
      return;
    }
    default:
      throw new NotWrittenHere();
  }
}

/** What follows a key: `: scalar`, `: {}`/`: []`, or `:` and the nested block on the next lines. */
function mappingValue(value: unknown, level: number, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(': ');
      stringScalar(value, level, out);
      return;
    case 'number':
      out.push(': ', numberScalar(value));
      return;
    case 'boolean':
      out.push(value ? ': true' : ': false');
      return;
    case 'object': {
      if (value === null) out.push(': null');
      else if (Array.isArray(value)) {
        if (value.length === 0) out.push(': []');
        else {
          out.push(':');
          sequenceBody(value, level, false, out);
        }
      } else {
        const mark = out.length;
        out.push(':');
        if (!mappingBody(plainObject(value), level, false, out)) {
          out.length = mark;
          out.push(': {}');
        }
      }
      return;
    }
    default:
      throw new NotWrittenHere();
  }
}

/**
 * A block mapping's pairs at `level` (keys indented by 2 × level), each on its own line; when
 * `compact`, the first pair stays on the current line. False, and nothing written, when no
 * member is defined.
 */
function mappingBody(
  object: Readonly<Record<string, unknown>>,
  level: number,
  compact: boolean,
  out: string[],
): boolean {
  let written = false;
  for (const key of orderedKeys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    if (!compact || written) out.push(lineBreak(level));
    out.push(keyScalar(key));
    mappingValue(value, level + 1, out);
    written = true;
  }
  return written;
}

/** A non-empty block sequence's items at `level` (`- ` indented by 2 × level), as for mappings. */
function sequenceBody(items: readonly unknown[], level: number, compact: boolean, out: string[]): void {
  for (let index = 0; index < items.length; index += 1) {
    if (!compact || index !== 0) out.push(lineBreak(level));
    out.push('- ');
    sequenceItem(items[index], level + 1, out);
  }
}

/** The object itself when js-yaml would write it as a plain mapping of its own keys. */
function plainObject(value: object): Readonly<Record<string, unknown>> {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw new NotWrittenHere();
  return value as Readonly<Record<string, unknown>>;
}

/**
 * The keys in `enumerationOrder`. Object.keys lists array-index keys first, by number, and the
 * others after them (ECMAScript's OrdinaryOwnPropertyKeys), so when the first key is not an
 * array index none is, and the default sort (UTF-16 code units) is the order.
 */
function orderedKeys(object: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(object);
  const count = keys.length;
  if (count < 2) return keys;
  if (arrayIndex(keys[0] as string) !== undefined) return keys.sort(enumerationOrder);
  // Objects are often built in order already: check before sorting.
  for (let index = 1; index < count; index += 1) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return keys.sort();
  }
  return keys;
}

/** A line break and the indentation of `level` (2 spaces a level), for levels up to 15 prebuilt. */
function lineBreak(level: number): string {
  return LINE_BREAKS[level] ?? `\n${' '.repeat(2 * level)}`;
}

const LINE_BREAKS: readonly string[] = Array.from({ length: 16 }, (_, level) => `\n${' '.repeat(2 * level)}`);

/**
 * A string as js-yaml writes it at `level`, in the style {@link styleOf} finds; a string whose
 * style it leaves open is dumped alone by js-yaml, which writes a document's root as it writes a
 * node at level 1 (a block scalar's lines indented by 2 × max(1, level)), so a block's non-empty
 * lines get 2 × (level − 1) more spaces here (js-yaml leaves empty lines unindented).
 */
function stringScalar(value: string, level: number, out: string[]): void {
  switch (styleOf(value)) {
    case PLAIN:
      out.push(value);
      return;
    case QUOTED:
      out.push(doubleQuoted(value));
      return;
    case LITERAL:
      literalBlock(value, level, out);
      return;
    default: {
      const dumped = dump(value, DUMP_OPTIONS);
      // The dump ends with the document's line break; a block scalar ends where its last line does.
      const text = dumped.slice(0, -1);
      if (level <= 1 || !text.includes('\n')) out.push(text);
      else out.push(text.replace(NON_EMPTY_LINE, `\n${' '.repeat(2 * (level - 1))}`));
    }
  }
}

/** A line break followed by a non-empty line. */
const NON_EMPTY_LINE = /\n(?=[^\n])/g;

/**
 * A one-line string of printable ASCII in double quotes, as js-yaml's `escapeString` writes it:
 * of those characters it escapes only `"` and `\\`.
 */
function doubleQuoted(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A multi-line string of printable ASCII as js-yaml writes it at `level`: with a line break and
 * every other character printable, and no line width, its scalar style is always literal. The
 * header is `|`, the indentation indicator `2` when the first non-empty line starts with a space,
 * and the chomping indicator: `-` without a final line break, none with one, `+` with more (or
 * for the string `\n` alone); then the lines, each non-empty one indented by 2 × max(1, level),
 * without the final line break (the next line break is the following node's).
 */
function literalBlock(value: string, level: number, out: string[]): void {
  const last = value.charCodeAt(value.length - 1);
  const clip = last === 0x0a;
  const keep = clip && (value.length === 1 || value.charCodeAt(value.length - 2) === 0x0a);
  out.push(`|${LEADING_SPACE.test(value) ? '2' : ''}${keep ? '+' : clip ? '' : '-'}\n`);
  const indent = ' '.repeat(2 * Math.max(1, level));
  let start = 0;
  const end = clip ? value.length - 1 : value.length;
  for (;;) {
    let lineEnd = value.indexOf('\n', start);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    if (lineEnd > start) out.push(indent, value.slice(start, lineEnd));
    if (lineEnd >= end) return;
    out.push('\n');
    start = lineEnd + 1;
  }
}

/** A first non-empty line that starts with a space (js-yaml then writes an indentation indicator). */
const LEADING_SPACE = /^\n* /;

/**
 * A key as js-yaml writes it: always on one line (a key with a line break is double-quoted), so
 * its text does not depend on the level. A key whose style {@link styleOf} leaves open, or that
 * has a line break, is written by js-yaml as the one key of a mapping (`key: null`). A key longer
 * than 1024 characters as written makes js-yaml write an explicit `? key` pair: left to js-yaml.
 */
function keyScalar(key: string): string {
  const style = styleOf(key);
  let text: string;
  if (style === PLAIN) text = key;
  else if (style === QUOTED) text = doubleQuoted(key);
  else {
    const dumped = dump({ [key]: null }, DUMP_OPTIONS);
    if (!dumped.endsWith(NULL_VALUE) || dumped.indexOf('\n') !== dumped.length - 1)
      throw new NotWrittenHere();
    text = dumped.slice(0, -NULL_VALUE.length);
  }
  if (text.length > MAX_IMPLICIT_KEY) throw new NotWrittenHere();
  return text;
}

const MAX_IMPLICIT_KEY = 1024;
const NULL_VALUE = ': null\n';

/**
 * A number as js-yaml's representers write it: an integer (not -0) in decimal, as `String` does
 * (`1e+21` included); -0 as `-0.0`; other finite numbers as `String` does, with `.` inserted
 * before an exponent that follows the digits directly (`1e-7` → `1.e-7`). NaN and ±Infinity are
 * not JSON and go to js-yaml.
 */
function numberScalar(value: number): string {
  if (Number.isInteger(value)) return value === 0 && 1 / value < 0 ? '-0.0' : String(value);
  if (!Number.isFinite(value)) throw new NotWrittenHere();
  const text = String(value);
  return SCIENTIFIC_WITHOUT_DOT.test(text) ? text.replace('e', '.e') : text;
}

const SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;

/** Written as it is. */
const PLAIN = 0;
/** In double quotes ({@link doubleQuoted}). */
const QUOTED = 1;
/** As a literal block ({@link literalBlock}). */
const LITERAL = 2;
/** As js-yaml writes it, asked each time. */
const ASK_JS_YAML = 3;

/**
 * The style js-yaml chooses for a string of printable ASCII (space to `~`) and line breaks, with
 * no line width and double quotes; any other character, and any one-line string that js-yaml
 * would write plain unless one of its YAML types reads it, is {@link ASK_JS_YAML}. The rules
 * (js-yaml's `writeScalar` and `chooseScalarStyle`):
 * - empty: `""`;
 * - more than one line: literal (every character is printable, no line is folded);
 * - one line that plain style cannot hold: double-quoted. Plain style needs a first character
 *   that is neither a space nor one of `- ? : , [ ] { } # & * ! | = > ' " % @` and the backquote,
 *   a last one that is neither a space nor `:`, and no `: ` or ` #` within;
 * - one line that plain style can hold: plain, unless a YAML type reads it (then double-quoted,
 *   as are the YAML 1.1 booleans and base-60 numbers js-yaml quotes for compatibility). Known
 *   here without js-yaml's resolvers: a string starting with a letter, `_` or `/` is read by no
 *   type except the words in {@link READ_AS_OTHER_TYPES} (no int, float, timestamp, merge key or
 *   base-60 number starts so); one starting with a digit and holding a letter that none of those
 *   forms contains ({@link DISAMBIGUATING_LETTER}: `10Gi`, `500m`, `4g`) is read by none; 1 to 15
 *   digits are an int. Every other one-line string is asked of js-yaml.
 */
function styleOf(value: string): number {
  const length = value.length;
  if (length === 0) return QUOTED;
  const first = value.charCodeAt(0);
  let plain = first < 0x80 && PLAIN_FIRST[first] === 1;
  let digitsOnly = true;
  let letter = false;
  let previous = -1;
  for (let index = 0; index < length; index += 1) {
    const code = value.charCodeAt(index);
    // More than one line: literal if every character is printable ASCII or a line break.
    if (code === 0x0a) return PRINTABLE_LINES.test(value) ? LITERAL : ASK_JS_YAML;
    if (code < 0x20 || code > 0x7e) return ASK_JS_YAML;
    if (code === 0x20) {
      if (previous === 0x3a) plain = false;
    } else if (code === 0x23) {
      if (previous === 0x20) plain = false;
    } else if (DISAMBIGUATING_LETTER[code] === 1) letter = true;
    if (code < 0x30 || code > 0x39) digitsOnly = false;
    previous = code;
  }
  if (!plain || previous === 0x20 || previous === 0x3a) return QUOTED;
  if ((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a)) {
    return length <= 5 && READ_AS_OTHER_TYPES.has(value) ? QUOTED : PLAIN;
  }
  if (first === 0x5f || first === 0x2f) return PLAIN;
  if (first >= 0x30 && first <= 0x39) {
    if (letter) return PLAIN;
    if (digitsOnly && length <= 15) return QUOTED;
  }
  return ASK_JS_YAML;
}

/** Printable ASCII (space to `~`) and line breaks only. */
const PRINTABLE_LINES = /^[\n\x20-\x7e]*$/;

/** 1 for the printable ASCII characters a plain scalar may start with (js-yaml's `isPlainSafeFirst`). */
const PLAIN_FIRST: readonly number[] = Array.from({ length: 128 }, (_, code) =>
  code > 0x20 && code < 0x7f && !'-?:,[]{}#&*!|=>\'"%@`'.includes(String.fromCharCode(code)) ? 1 : 0,
);

/**
 * Letter-first words js-yaml quotes: those its null and bool types read (YAML 1.2 core schema)
 * and the YAML 1.1 booleans it quotes for compatibility (`DEPRECATED_BOOLEANS_SYNTAX`).
 */
const READ_AS_OTHER_TYPES: ReadonlySet<string> = new Set([
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
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
]);

/**
 * 1 for the ASCII letters that no int, float, timestamp or base-60 form contains: every letter
 * but a–f and A–F (hexadecimal digits, exponents), o and x (octal, hexadecimal), t, T and Z
 * (timestamps), and, to be safe, O, X, z and the letters of `.inf` and `.nan` (i, I, n, N).
 */
const DISAMBIGUATING_LETTER: readonly number[] = Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  return /[A-Za-z]/.test(char) && !/[a-fA-FoOxXtTzZiInN]/.test(char) ? 1 : 0;
});

/**
 * The order in which an object built by inserting keys in sorted order enumerates them: array
 * index keys (`"0"`, `"7"`, `"10"`) first, by number, then the rest in code-unit order.
 */
function enumerationOrder(a: string, b: string): number {
  const ai = arrayIndex(a);
  const bi = arrayIndex(b);
  if (ai !== undefined || bi !== undefined) {
    if (ai === undefined) return 1;
    if (bi === undefined) return -1;
    return ai - bi;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The number of a key that JavaScript treats as an array index (`0` … `2**32 - 2`). */
function arrayIndex(key: string): number | undefined {
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || !/^(?:0|[1-9][0-9]*)$/.test(key)) return undefined;
  const index = Number(key);
  return index <= 2 ** 32 - 2 ? index : undefined;
}
