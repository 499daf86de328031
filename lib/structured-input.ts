import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/**
 * Bounds for every YAML or JSON file a user hands us (platform config, job files, outputs): a
 * hostile or broken file fails in milliseconds with one sentence, never after gigabytes.
 */
export interface InputLimits {
  /** Largest file read, in bytes. */
  readonly maxBytes: number;
  /** Alias (`*name`) expansions allowed while building the value (yaml's `maxAliasCount`). */
  readonly maxAliases: number;
  /** Deepest nesting of mappings and sequences. */
  readonly maxDepth: number;
}

export const INPUT_LIMITS: InputLimits = { maxBytes: 4 * 1024 * 1024, maxAliases: 100, maxDepth: 64 };

/** A user's input file is unreadable, too large, hostile or of the wrong shape: one sentence. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

/** A parsed YAML file that keeps its source positions, so problems can say `file:line:col`. */
export interface YamlInput {
  readonly file: string;
  readonly value: unknown;
  readonly document: Document;
  readonly lines: LineCounter;
}

/**
 * The offset of the first byte that starts no valid UTF-8 sequence (a stray continuation byte,
 * an overlong form, a surrogate, a code point above U+10FFFF or a cut-off sequence), if any.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte < min || byte > max) return i;
    }
    i += length;
  }
  return undefined;
}

/**
 * Parses one YAML (or JSON) document that must hold a mapping, within `limits`. Every failure
 * names the file, the line and column where known, what is wrong and the fix.
 */
export function parseYamlInput(
  file: string,
  text: string,
  what: string,
  limits: InputLimits = INPUT_LIMITS,
): YamlInput {
  if (text.length > limits.maxBytes) {
    throw new InputFileError(
      `${what} ${file} is ${text.length} characters, over the ${limits.maxBytes}-byte limit for input files: split it or remove what it does not need.`,
    );
  }
  const lines = new LineCounter();
  const flow = flowDepthOffset(text, limits.maxDepth);
  if (flow !== undefined) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < flow; i = text.indexOf('\n', i + 1))
      lines.addNewLine(i + 1);
    throw new InputFileError(
      `${file}:${position(lines, flow)}: ${what} nests deeper than ${limits.maxDepth} levels, the limit for input files: flatten it.`,
    );
  }
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new InputFileError(`${what} ${file} cannot be parsed (${reason(error)}): check its syntax.`);
  }
  const first = document.errors[0];
  if (first !== undefined) {
    const where = position(lines, first.pos[0]);
    const message = /call stack/i.test(first.message)
      ? `nests deeper than the parser can follow (limit ${limits.maxDepth} levels)`
      : first.message.split('\n')[0];
    throw new InputFileError(`${file}:${where}: ${what} is not valid YAML: ${message}.`);
  }
  if (document.contents === null) {
    throw new InputFileError(
      `${what} ${file} is empty: it must hold a YAML mapping of fields; start it with the top-level keys.`,
    );
  }
  const depth = nodeDepth(document.contents, limits.maxDepth);
  if (depth !== undefined) {
    throw new InputFileError(
      `${file}:${position(lines, depth)}: ${what} nests deeper than ${limits.maxDepth} levels, the limit for input files: flatten it.`,
    );
  }
  if (!isMap(document.contents)) {
    const kind = isSeq(document.contents)
      ? 'a list'
      : isScalar(document.contents)
        ? 'a single value'
        : 'no mapping';
    throw new InputFileError(
      `${file}:${position(lines, document.contents.range?.[0] ?? 0)}: ${what} holds ${kind}, not a mapping of fields: start it with the top-level keys.`,
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    const bomb = /alias/i.test(reason(error));
    throw new InputFileError(
      bomb
        ? `${what} ${file} expands aliases more than ${limits.maxAliases} times, the limit for input files: write the values out instead of nesting aliases.`
        : `${what} ${file} cannot be read as data (${reason(error)}): check its syntax.`,
    );
  }
  return { file, value, document, lines };
}

/**
 * Parses a JSON file (an outputs contract, a saved `terraform output -json`) that must hold an
 * object, within `limits`: size and nesting (JSON has no aliases). Every failure names the file,
 * the line and column where known, what is wrong and `fix` (a clause: what to do about it).
 */
export function parseJsonInput(
  file: string,
  text: string,
  what: string,
  fix: string,
  limits: InputLimits = INPUT_LIMITS,
): Record<string, unknown> {
  if (text.length > limits.maxBytes) {
    throw new InputFileError(
      `${what} ${file} is ${text.length} characters, over the ${limits.maxBytes}-byte limit for input files: ${fix}.`,
    );
  }
  if (text.trim() === '') throw new InputFileError(`${what} ${file} is empty: ${fix}.`);
  const deep = flowDepthOffset(text, limits.maxDepth);
  if (deep !== undefined) {
    throw new InputFileError(
      `${file}:${textPosition(text, deep)}: ${what} nests deeper than ${limits.maxDepth} levels, the limit for input files: ${fix}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = reason(error);
    const at = /at position (\d+)/.exec(message)?.[1];
    const offset = at !== undefined ? Number(at) : /end of JSON input/i.test(message) ? text.length : 0;
    // V8 quotes the offending input ("… is not valid JSON"); the position says enough.
    const problem = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/, '');
    throw new InputFileError(
      `${file}:${textPosition(text, offset)}: ${what} is not valid JSON (${problem}): ${fix}.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'a list' : 'a single value';
    throw new InputFileError(`${what} ${file} holds ${kind}, not a JSON object: ${fix}.`);
  }
  return value as Record<string, unknown>;
}

/** `line:col` (1-based) of a field path in a parsed file, or of the nearest parent that exists. */
export function locate(input: YamlInput, path: readonly PropertyKey[]): string {
  for (let length = path.length; length >= 0; length--) {
    const keys = path.slice(0, length).map((part) => (typeof part === 'symbol' ? String(part) : part));
    const node = input.document.getIn(keys, true) as Node | undefined;
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return position(input.lines, offset);
  }
  return '1:1';
}

/** `line:col` (1-based) of a character offset in `text`. */
function textPosition(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `${line}:${Math.max(0, offset - start) + 1}`;
}

function position(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

/** The source offset of the first node deeper than `max`, if any (iterative: no stack to blow). */
function nodeDepth(root: Node, max: number): number | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > max) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isMap(node)) {
        const pair = item as { value: unknown };
        stack.push({ node: pair.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * The offset where `[`/`{` nesting first goes deeper than `max`, skipping quoted strings and
 * comments: checked before parsing, because the parser recurses on flow collections and takes
 * seconds to overflow its stack on a deep one.
 */
function flowDepthOffset(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** The message of a caught error, for a one-sentence report. */
export function reason(error: unknown): string {
  const text =
    error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
  return text.split('\n')[0] ?? text;
}
