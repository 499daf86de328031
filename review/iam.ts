import { isObject, type Json } from '../lib/json';
import { wildcardMatch } from '../lib/wildcard';

/**
 * The IAM model of the PR diff: which changes to a policy document grant more than before.
 *
 * Statements are matched by `Sid` (statements without one: equal ones first, then by position).
 * For an `Allow` statement, a widening is: a new statement; `Deny` turned `Allow`; an action,
 * resource or principal not covered by the old ones (patterns with `*`/`?` cover what they
 * match: `s3:*` covers `s3:GetObject`); `NotAction`, `NotResource` or `NotPrincipal` appearing,
 * or losing an entry; a condition removed; a condition accepting more values (`StringEquals`,
 * `ArnLike`, `IpAddress`, …) or excluding fewer (`StringNotEquals`, …); any other condition
 * value changed (`Bool`, `Null`, numeric and date operators: the direction is not judged). For
 * a `Deny` statement the mirror image: removed, turned `Allow`, covering fewer actions,
 * resources or principals, or applying in fewer cases (a condition added or narrowed).
 * Everything else (a permission removed, a condition added to an `Allow`) narrows and is not
 * reported. Wildcards that appear are named as such.
 */

/** One statement, normalised: every list a list, principals and conditions as maps of lists. */
interface Statement {
  readonly label: string;
  readonly sid: string | undefined;
  readonly raw: string;
  readonly effect: string;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: ReadonlyMap<string, readonly string[]>;
  readonly notPrincipal?: ReadonlyMap<string, readonly string[]>;
  /** `operator key` → values. */
  readonly condition: ReadonlyMap<string, readonly string[]>;
}

/** Whether a parsed value is an IAM policy document. */
export function isPolicyDocument(value: unknown): boolean {
  return isObject(value) && (Array.isArray(value.Statement) || isObject(value.Statement));
}

/** Each widening as `Sid <sid>: <what>` (or `statement <n>: …` without a Sid), one per statement. */
export function policyWidenings(before: unknown, after: unknown): string[] {
  const old = statements(before);
  const current = statements(after);
  const counterpart = pairStatements(old, current);
  const findings: string[] = [];
  const report = (statement: Statement, what: readonly string[]) => {
    if (what.length > 0) findings.push(`${statement.label}: ${what.join('; ')}`);
  };
  for (const statement of current) {
    const previous = counterpart.get(statement);
    if (statement.effect === 'Allow') {
      if (previous === undefined) report(statement, [`new Allow statement (${grants(statement)})`]);
      else if (previous.effect !== 'Allow') report(statement, [`Deny → Allow (${grants(statement)})`]);
      else report(statement, widenings(previous, statement));
    } else if (previous !== undefined && previous.effect === 'Deny') {
      report(statement, widenings(previous, statement));
    }
  }
  const matched = new Set(counterpart.values());
  for (const statement of old)
    if (!matched.has(statement) && statement.effect === 'Deny') report(statement, ['Deny statement removed']);
  return findings;
}

/** What a statement grants, for a new one: its actions, resources and principals. */
function grants(statement: Statement): string {
  const parts: string[] = [];
  if (statement.action) parts.push(`actions ${list(statement.action)}`);
  if (statement.notAction) parts.push(`every action except ${list(statement.notAction)}`);
  if (statement.resource) parts.push(`on ${list(statement.resource)}`);
  if (statement.notResource) parts.push(`on everything except ${list(statement.notResource)}`);
  if (statement.principal) parts.push(`to ${principals(statement.principal)}`);
  if (statement.notPrincipal) parts.push(`to everyone except ${principals(statement.notPrincipal)}`);
  const wildcard = [
    ...(statement.action ?? []),
    ...(statement.resource ?? []),
    ...[...(statement.principal?.values() ?? [])].flat(),
  ].some((value) => value.includes('*'));
  return `${parts.join(' ')}${wildcard ? ', with a wildcard' : ''}`;
}

/**
 * How `current` grants more than `old` (both the same effect). For Allow: members the old
 * statement did not cover; for Deny: old members the new statement no longer covers.
 */
function widenings(old: Statement, current: Statement): string[] {
  const allow = current.effect === 'Allow';
  const what: string[] = [];
  const members = (
    name: string,
    before: readonly string[] | undefined,
    after: readonly string[] | undefined,
    caseless: boolean,
  ) => {
    // A switch between Action and NotAction (or Resource/NotResource) is judged by the Not* rules.
    if (before === undefined || after === undefined) return;
    const [wide, narrow] = allow ? [after, before] : [before, after];
    const extra = wide.filter((value) => !narrow.some((pattern) => covers(pattern, value, caseless)));
    if (extra.length > 0)
      what.push(`${allow ? 'new' : 'no longer denied:'} ${name} ${list(extra)}${wildcards(extra)}`);
  };
  members('action', old.action, current.action, true);
  members('resource', old.resource, current.resource, false);
  if (old.principal !== undefined && current.principal !== undefined) {
    const types = new Set([...old.principal.keys(), ...current.principal.keys()]);
    for (const type of [...types].sort())
      members(
        type === '*' ? 'principal' : `principal ${type}`,
        old.principal.get(type) ?? [],
        current.principal.get(type) ?? [],
        false,
      );
  }
  const exclusions = (
    name: string,
    before: readonly string[] | undefined,
    after: readonly string[] | undefined,
  ) => {
    if (after === undefined) return;
    if (allow && before === undefined)
      what.push(`${name} appears: applies to everything except ${list(after)}`);
    if (before === undefined) return;
    // Allow: an entry leaving the exclusions widens it; Deny: an entry joining them does.
    const changed = allow
      ? before.filter((value) => !after.includes(value))
      : after.filter((value) => !before.includes(value));
    if (changed.length > 0)
      what.push(`${name} ${allow ? 'no longer excludes' : 'now also excludes'} ${list(changed)}`);
  };
  exclusions('NotAction', old.notAction, current.notAction);
  exclusions('NotResource', old.notResource, current.notResource);
  exclusions('NotPrincipal', flat(old.notPrincipal), flat(current.notPrincipal));
  what.push(...(allow ? conditionsLoosened(old, current) : conditionsTightened(old, current)));
  return what;
}

/** Allow: conditions that let the new statement match more requests. */
function conditionsLoosened(old: Statement, current: Statement): string[] {
  const what: string[] = [];
  for (const [key, values] of old.condition) {
    const next = current.condition.get(key);
    const change = next === undefined ? undefined : widerValues(key, values, next);
    if (next === undefined) what.push(`condition ${key} removed`);
    else if (change?.kind === 'changed')
      what.push(`condition ${key} changed ${list(values)} → ${list(next)}`);
    else if (change?.kind === 'more')
      what.push(`condition ${key} accepts more values: ${list(change.values)}`);
    else if (change?.kind === 'fewer-excluded')
      what.push(`condition ${key} excludes fewer values: ${list(change.values)}`);
  }
  return what;
}

/** Deny: conditions that let the new statement match fewer requests (so it denies less). */
function conditionsTightened(old: Statement, current: Statement): string[] {
  const what: string[] = [];
  for (const [key, values] of current.condition) {
    const previous = old.condition.get(key);
    // The old condition matching more than the new one is the new Deny matching less.
    const change = previous === undefined ? undefined : widerValues(key, values, previous);
    if (previous === undefined) what.push(`condition ${key} added: the Deny applies in fewer cases`);
    else if (change?.kind === 'changed')
      what.push(`condition ${key} changed ${list(previous)} → ${list(values)}`);
    else if (change?.kind === 'more')
      what.push(`condition ${key} accepts fewer values: ${list(change.values)} no longer denied`);
    else if (change?.kind === 'fewer-excluded')
      what.push(`condition ${key} excludes more values: ${list(change.values)}`);
  }
  return what;
}

/** How a condition's `after` values match more requests than its `before` values, if they do. */
function widerValues(
  key: string,
  before: readonly string[],
  after: readonly string[],
): { readonly kind: 'more' | 'fewer-excluded' | 'changed'; readonly values: readonly string[] } | undefined {
  const operator = (key.split(' ')[0] ?? '').replace(/^ForAnyValue:|^ForAllValues:/, '');
  if (!SET_OPERATORS.test(operator))
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : { kind: 'changed', values: after };
  if (/Not/.test(operator)) {
    const values = before.filter((value) => !after.includes(value));
    return values.length > 0 ? { kind: 'fewer-excluded', values } : undefined;
  }
  const values = after.filter((value) => !before.includes(value));
  return values.length > 0 ? { kind: 'more', values } : undefined;
}

const flat = (map: ReadonlyMap<string, readonly string[]> | undefined): string[] | undefined =>
  map === undefined
    ? undefined
    : [...map].flatMap(([type, values]) => values.map((value) => `${type} ${value}`));

/** Operators whose values are alternatives: more values match more requests (or fewer, for Not). */
const SET_OPERATORS =
  /^(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Arn(Not)?(Equals|Like)|(Not)?IpAddress)(IfExists)?$/;

function covers(pattern: string, value: string, caseless: boolean): boolean {
  return wildcardMatch(pattern, value, { caseless });
}

const wildcards = (values: readonly string[]): string =>
  values.some((value) => value.includes('*')) ? ' (wildcard)' : '';
const list = (values: readonly string[]): string => values.join(', ');
const principals = (map: ReadonlyMap<string, readonly string[]>): string =>
  [...map].map(([type, values]) => (type === '*' ? '*' : `${type} ${list(values)}`)).join(', ');

function statements(document: unknown): Statement[] {
  const raw = isObject(document) ? document.Statement : undefined;
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return items.filter(isObject).map((item, index) => normalise(item, index));
}

function normalise(item: Json, index: number): Statement {
  const strings = (value: unknown): string[] | undefined =>
    value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String);
  const principalMap = (value: unknown): Map<string, string[]> | undefined => {
    if (value === undefined) return undefined;
    if (!isObject(value)) return new Map([['*', strings(value) ?? []]]);
    return new Map(Object.entries(value).map(([type, values]) => [type, strings(values) ?? []]));
  };
  const condition = new Map<string, string[]>();
  if (isObject(item.Condition))
    for (const [operator, keys] of Object.entries(item.Condition))
      if (isObject(keys))
        for (const [key, values] of Object.entries(keys))
          condition.set(`${operator} ${key}`, strings(values) ?? []);
  const sid = typeof item.Sid === 'string' && item.Sid !== '' ? item.Sid : undefined;
  const fields = {
    action: strings(item.Action),
    notAction: strings(item.NotAction),
    resource: strings(item.Resource),
    notResource: strings(item.NotResource),
    principal: principalMap(item.Principal),
    notPrincipal: principalMap(item.NotPrincipal),
  };
  return {
    label: sid === undefined ? `statement ${index + 1}` : `Sid ${sid}`,
    sid,
    raw: JSON.stringify(item),
    effect: item.Effect === 'Deny' ? 'Deny' : 'Allow',
    condition,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

/** New statement → its old counterpart: by Sid; without Sids, equal ones, then by position. */
function pairStatements(old: readonly Statement[], current: readonly Statement[]): Map<Statement, Statement> {
  const pairs = new Map<Statement, Statement>();
  const bySid = new Map(old.filter((s) => s.sid !== undefined).map((s) => [s.sid, s]));
  for (const statement of current) {
    const previous = statement.sid === undefined ? undefined : bySid.get(statement.sid);
    if (previous) pairs.set(statement, previous);
  }
  const unnamedOld = old.filter((s) => s.sid === undefined);
  const unnamedNew = current.filter((s) => s.sid === undefined);
  const taken = new Set<Statement>();
  for (const statement of unnamedNew) {
    const equal = unnamedOld.find((s) => !taken.has(s) && s.raw === statement.raw);
    if (equal) {
      pairs.set(statement, equal);
      taken.add(equal);
    }
  }
  const leftOld = unnamedOld.filter((s) => !taken.has(s));
  unnamedNew
    .filter((s) => !pairs.has(s))
    .forEach((statement, index) => {
      const previous = leftOld[index];
      if (previous) pairs.set(statement, previous);
    });
  return pairs;
}

/** Allow statements that grant to anyone (`Principal: "*"` or `{"AWS": "*"}`) without a condition. */
export function publicGrants(document: unknown): string[] {
  return statements(document)
    .filter(
      (s) =>
        s.effect === 'Allow' &&
        s.condition.size === 0 &&
        [...(s.principal?.values() ?? [])].some((values) => values.includes('*')),
    )
    .map((s) => `${s.label}: allows anyone (wildcard principal) ${grants(s)}`);
}
