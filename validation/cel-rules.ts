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
import { isObject } from '../lib/json';

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

/** A parsed expression tree, as `plan` takes it. */
type Expr = ReturnType<typeof parse>['expr'];

const environment = celEnv({ funcs: [...strings, find] });
type Program = (bindings: Record<string, CelInput>) => CelResult;
const programs = new Map<string, Program | Error>();
/** Rules parsed in an earlier run (see {@link savedRules}), revived when first evaluated. */
const saved = new Map<string, string>();

function program(rule: string): Program | Error {
  let compiled = programs.get(rule);
  if (compiled === undefined) {
    try {
      const text = saved.get(rule);
      // `plan` reads only the expression tree of a ParsedExpr, so that is all that is saved.
      compiled = plan(environment, text !== undefined ? reviveExpr(text) : parse(rule).expr);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    programs.set(rule, compiled);
  }
  return compiled;
}

/**
 * The rules of a schema tree parsed and saved as JSON (rule → expression tree), for the validator
 * cache: parsing is most of the cost of the first evaluation of a rule, and a cached kind's rules
 * are then {@link useSavedRules revived} instead. Rules that do not parse are left out (they fail
 * again, with their message, when evaluated).
 */
export function savedRules(schema: JsonSchema): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (node: JsonSchema): void => {
    for (const { rule } of node['x-kubernetes-validations'] ?? []) {
      if (Object.hasOwn(result, rule)) continue;
      try {
        result[rule] = serializeExpr(parse(rule).expr);
      } catch {
        // evaluated (and reported) from source
      }
    }
    for (const child of childSchemas(node)) walk(child);
  };
  walk(schema);
  return result;
}

/** Makes rules saved by {@link savedRules} available to this process without parsing them. */
export function useSavedRules(rules: Readonly<Record<string, string>>): void {
  for (const [rule, text] of Object.entries(rules)) if (!programs.has(rule)) saved.set(rule, text);
}

/** JSON of a parsed expression: its 64-bit ids as `{"$int": "…"}`, byte literals as `{"$bytes": base64}`. */
export function serializeExpr(expr: object): string {
  return JSON.stringify(expr, (_key, value: unknown) => {
    if (typeof value === 'bigint') return { $int: value.toString() };
    if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
    return value;
  });
}

/** The expression {@link serializeExpr} wrote, with its bigints and byte arrays restored. */
export function reviveExpr(text: string): Expr {
  return JSON.parse(text, (_key, value: unknown) => {
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && typeof value.$int === 'string') return BigInt(value.$int);
      if (keys.length === 1 && typeof value.$bytes === 'string')
        return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
    }
    return value;
  }) as Expr;
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

/** The schemas right below `schema` that the CEL walk can reach: properties, additional properties, items. */
function childSchemas(schema: JsonSchema): JsonSchema[] {
  const children = Object.values(schema.properties ?? {});
  if (typeof schema.additionalProperties === 'object') children.push(schema.additionalProperties);
  if (schema.items !== undefined) children.push(schema.items);
  return children;
}

const ruled = new WeakMap<JsonSchema, boolean>();

/**
 * Whether `schema` or a schema below it (the members the walk in {@link celViolations} follows)
 * carries a CEL rule: the walk skips subtrees without one, which are most of an object.
 */
function hasRules(schema: JsonSchema): boolean {
  const known = ruled.get(schema);
  if (known !== undefined) return known;
  ruled.set(schema, false); // a schema graph with a cycle ends here
  let found = (schema['x-kubernetes-validations']?.length ?? 0) > 0;
  for (const child of childSchemas(schema)) found = hasRules(child) || found;
  ruled.set(schema, found);
  return found;
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
  if (value === undefined || !hasRules(schema)) return [];
  const violations: CelViolation[] = [];
  // Converted once per node for all its rules (evaluation does not change its input).
  let self: CelInput | undefined;
  let oldSelf: CelInput | undefined;
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const transition = OLD_SELF.test(rule.rule);
    if (transition && oldValue === undefined) continue;
    const compiled = program(rule.rule);
    if (compiled instanceof Error) {
      violations.push({ path, rule, transition, error: compiled.message });
      continue;
    }
    self ??= toCel(value, schema);
    const bindings: Record<string, CelInput> = { self };
    if (transition) bindings.oldSelf = oldSelf ??= toCel(oldValue, schema);
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
