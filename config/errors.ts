import type { z } from 'zod';

/** One problem in the platform config: where, what value, which rule. */
export interface ConfigProblem {
  /** Field path such as `environments[0].teams[1].name`. */
  readonly path: string;
  readonly value: unknown;
  /** The rule the value breaks, phrased to follow the value ("must be …", "overlaps …"). */
  readonly rule: string;
  /**
   * `file:line:col` when the problem is in a file a person edits (a job file): the message then
   * starts there, editors and terminals link it, and `path` is the field path inside that file
   * (empty for the file as a whole).
   */
  readonly location?: string;
  /**
   * What `path` is about, by name (`team emr-data-team-c`, `node pool spark-x`): printed after
   * the path unless the sentence names it already.
   */
  readonly subject?: { readonly kind: string; readonly name: string };
}

/** Raised for invalid config; each problem renders as one sentence. Never shows a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const value = problem.value === undefined ? 'missing' : shorten(JSON.stringify(problem.value));
  // A rule may end in a question ("did you mean …?"); every other sentence ends with a period.
  const rule = /[.?]$/.test(problem.rule) ? problem.rule : `${problem.rule}.`;
  if (problem.location !== undefined) {
    // A problem with the file as a whole (no field, no value) is one sentence after the location.
    if (problem.path === '' && problem.value === undefined) return `${problem.location}: ${rule}`;
    return `${problem.location}: ${problem.path === '' ? '' : `${problem.path}: `}${value} ${rule}`;
  }
  const named =
    problem.subject !== undefined && !`${value} ${rule}`.includes(problem.subject.name)
      ? ` (${problem.subject.kind} ${problem.subject.name})`
      : '';
  return `Invalid config at ${problem.path}${named}: ${value} ${rule}`;
}

/** The kinds of named list entries a config path can point into, by list name. */
const NAMED_LISTS: Readonly<Record<string, string>> = {
  teams: 'team',
  nodePools: 'node pool',
  jobs: 'job',
  inputData: 'input data',
};

/**
 * The problems with a `subject`: the deepest team or node pool their path points into, named as
 * the input names it (`teams[2]` → `team emr-data-team-c`), so a message says whose field it is.
 */
export function withSubjects(problems: readonly ConfigProblem[], input: unknown): ConfigProblem[] {
  return problems.map((problem) => {
    if (problem.location !== undefined || problem.subject !== undefined) return problem;
    let node: unknown = input;
    let subject: ConfigProblem['subject'];
    for (const [, key, index] of problem.path.matchAll(/(\w+)(?:\[(\d+)\])?/g)) {
      node = (node as Record<string, unknown> | undefined)?.[key ?? ''];
      if (index === undefined) continue;
      node = (node as unknown[] | undefined)?.[Number(index)];
      const name = (node as { name?: unknown } | undefined)?.name;
      const kind = NAMED_LISTS[key ?? ''];
      if (kind !== undefined && typeof name === 'string' && name !== '') subject = { kind, name };
    }
    return subject === undefined ? problem : { ...problem, subject };
  });
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** How a file other than the platform config words and places its zod problems. */
export interface ZodProblemOptions {
  /** `file:line:col` of a field path: of its key for an unknown key, else of its value. */
  readonly location: (path: readonly PropertyKey[], at: 'key' | 'value') => string;
  /** The rule for an unknown key under `parent` ("is not a job field; did you mean …"). */
  readonly unknownKey: (parent: readonly PropertyKey[], key: string) => string;
}

/** Turns zod's issues into config problems with our wording. */
export function problemsFromZod(
  input: unknown,
  error: z.ZodError,
  options?: ZodProblemOptions,
): ConfigProblem[] {
  const place = (path: readonly PropertyKey[], at: 'key' | 'value') =>
    options === undefined ? {} : { location: options.location(path, at) };
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: valueAt(input, [...issue.path, key]),
        rule:
          options?.unknownKey(issue.path, key) ??
          'is not a known field (check the spelling against config/schema.ts)',
        ...place([...issue.path, key], 'key'),
      }));
    }
    const value = valueAt(input, issue.path);
    return [
      { path: formatPath(issue.path), value, rule: ruleFor(issue, value), ...place(issue.path, 'value') },
    ];
  });
}

function ruleFor(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `is required (a ${issue.expected})` : `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `must have at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? `must be at least ${String(issue.minimum)} characters`
          : `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${String(issue.maximum)} item(s)`
        : issue.origin === 'string'
          ? `must be at most ${String(issue.maximum)} characters`
          : `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form (for a backend: type "local" or "s3")';
    default:
      return issue.message;
  }
}
