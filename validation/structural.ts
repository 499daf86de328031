import type { ErrorObject } from 'ajv';
import { pointerToPath } from './json-schema';

/** A finding from the structural schema, before the file name is attached. */
export interface StructuralProblem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * Turns ajv's errors into one problem per real mistake: `oneOf`/`anyOf` branches that failed
 * are folded into the alternative itself, unknown fields name the field.
 */
export function structuralProblems(errors: readonly ErrorObject[] | null | undefined): StructuralProblem[] {
  if (!errors) return [];
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const underAlternative = (error: ErrorObject): boolean =>
    alternatives.some(
      (alt) =>
        alt !== error &&
        error.instancePath.startsWith(alt.instancePath) &&
        error.schemaPath.startsWith(alt.schemaPath.replace(/\/(oneOf|anyOf)$/, '/')),
    );
  const seen = new Set<string>();
  const problems: StructuralProblem[] = [];
  for (const error of errors) {
    if (underAlternative(error)) continue;
    const problem = toProblem(error);
    const key = `${problem.path} ${problem.rule} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toProblem(error: ErrorObject): StructuralProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return {
        path: path === '$' ? `$.${field}` : `${path}.${field}`,
        rule: 'schema.unknown-field',
        message: `unknown field "${field}" (strict field validation rejects it; check the spelling against the schema)`,
      };
    }
    case 'required':
      return {
        path,
        rule: 'schema.required',
        message: `missing required field "${String(params.missingProperty)}"`,
      };
    case 'enum':
      return {
        path,
        rule: 'schema.enum',
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'x-go-rule':
      return {
        path,
        rule: String(params.rule),
        message: `${JSON.stringify(params.value)} ${error.message ?? 'is invalid'}`,
      };
    case 'type':
      return { path, rule: 'schema.type', message: `must be ${String(params.type)}` };
    case 'pattern':
      return { path, rule: 'schema.pattern', message: `must match ${String(params.pattern)}` };
    default:
      return { path, rule: `schema.${error.keyword}`, message: error.message ?? 'invalid' };
  }
}
