/** The parts of an OpenAPI v3 / structural schema the validator reads. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [keyword: string]: unknown;
}

/** One `x-kubernetes-validations` entry. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/**
 * A copy of `schema` in which every object schema that lists `properties` and says nothing about
 * other keys refuses them (`additionalProperties: false`), as kubectl's strict field validation
 * does. Nodes with `x-kubernetes-preserve-unknown-fields` or an explicit `additionalProperties`
 * keep their meaning.
 */
export function strictSchema(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (
    schema.properties !== undefined &&
    schema.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    copy.additionalProperties = false;
  }
  if (schema.properties !== undefined) {
    copy.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, child]) => [key, strictSchema(child)]),
    );
  }
  if (schema.items !== undefined) copy.items = strictSchema(schema.items);
  if (typeof schema.additionalProperties === 'object') {
    copy.additionalProperties = strictSchema(schema.additionalProperties);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (list !== undefined) copy[key] = list.map(strictSchema);
  }
  return copy;
}

/** `.spec.template.requirements[0].key` from a JSON pointer `/spec/template/requirements/0/key`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) =>
        /^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_][\w-]*$/.test(part) ? `.${part}` : `['${part}']`,
      )
      .join('')
  );
}
