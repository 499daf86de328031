import {
  celEnv,
  celMethod,
  CelScalar,
  isCelError,
  parse,
  plan,
  type CelInput,
  type CelResult,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { CelRule, JsonSchema } from './json-schema';
import { isObject } from './json';

/** A `x-kubernetes-validations` rule that did not hold. */
export interface CelViolation {
  readonly path: string;
  readonly rule: CelRule;
  /** The rule compares with `oldSelf` (a transition rule). */
  readonly transition: boolean;
  /** Set when evaluation failed rather than returned false (counted as a violation, as the API server does). */
  readonly error?: string;
}

/** The Kubernetes regex library's `find`: the first match, or the empty string. */
const find = celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
  return new RegExp(pattern).exec(this)?.[0] ?? '';
});

const environment = celEnv({ funcs: [...strings, find] });
type Program = (bindings: Record<string, CelInput>) => CelResult;
const programs = new Map<string, Program | Error>();

function program(rule: string): Program | Error {
  let compiled = programs.get(rule);
  if (compiled === undefined) {
    try {
      compiled = plan(environment, parse(rule));
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    programs.set(rule, compiled);
  }
  return compiled;
}

const OLD_SELF = /\boldSelf\b/;

/**
 * A rendered value as CEL sees it: schema integers as `int` (bigint), other numbers as `double`,
 * objects as maps, lists as lists.
 */
function toCel(value: unknown, schema: JsonSchema | undefined): CelInput {
  if (typeof value === 'number') {
    return schema?.type === 'number' || !Number.isInteger(value) ? value : BigInt(value);
  }
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema?.items));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, CelInput> = {};
    for (const [key, child] of Object.entries(value)) {
      const additional =
        typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      result[key] = toCel(child, schema?.properties?.[key] ?? additional);
    }
    return result;
  }
  return value as CelInput;
}

/** For `x-kubernetes-list-type: map`, the old item with the same keys (transition rules compare it). */
function correlatedItem(schema: JsonSchema, item: unknown, oldList: unknown): unknown {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(oldList) || !isObject(item))
    return undefined;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  return oldList.find((old) => isObject(old) && keys.every((key) => old[key] === item[key]));
}

/**
 * Evaluates every CEL rule of `schema` that applies to `value`, the way the API server does:
 * rules run where the value is present; transition rules only when the old object has the value
 * too (so they catch edits, not additions or removals).
 */
export function celViolations(
  schema: JsonSchema,
  value: unknown,
  oldValue: unknown,
  path = '$',
): CelViolation[] {
  if (value === undefined) return [];
  const violations: CelViolation[] = [];
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const transition = OLD_SELF.test(rule.rule);
    if (transition && oldValue === undefined) continue;
    const compiled = program(rule.rule);
    if (compiled instanceof Error) {
      violations.push({ path, rule, transition, error: compiled.message });
      continue;
    }
    const bindings: Record<string, CelInput> = { self: toCel(value, schema) };
    if (transition) bindings.oldSelf = toCel(oldValue, schema);
    const result = compiled(bindings);
    if (isCelError(result)) violations.push({ path, rule, transition, error: result.message });
    else if (result !== true) violations.push({ path, rule, transition });
  }
  if (isObject(value)) {
    const old = isObject(oldValue) ? oldValue : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (childSchema !== undefined)
        violations.push(...celViolations(childSchema, child, old?.[key], `${path}.${key}`));
    }
  } else if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, index) => {
      violations.push(
        ...celViolations(items, item, correlatedItem(schema, item, oldValue), `${path}[${index}]`),
      );
    });
  }
  return violations;
}
