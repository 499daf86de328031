import type { z } from 'zod';

/** One problem in the platform config: where, what value, which rule. */
export interface ConfigProblem {
  /** Field path such as `environments[0].teams[1].name`. */
  readonly path: string;
  readonly value: unknown;
  /** The rule the value breaks, phrased to follow the value ("must be …", "overlaps …"). */
  readonly rule: string;
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
  return `Invalid config at ${problem.path}: ${value} ${problem.rule}.`;
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

/** Turns zod's issues into config problems with our wording. */
export function problemsFromZod(input: unknown, error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: valueAt(input, [...issue.path, key]),
        rule: 'is not a known field (check the spelling against config/schema.ts)',
      }));
    }
    const value = valueAt(input, issue.path);
    return [{ path: formatPath(issue.path), value, rule: ruleFor(issue, value) }];
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
