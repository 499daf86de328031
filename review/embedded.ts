import { InputFileError, parseYamlInput } from '../lib/structured-input';

/** How a string field holds a document. */
export type DocumentFormat = 'json' | 'yaml';

/**
 * Where a string field holds a YAML document, by kind and field path. JSON needs no list: any
 * string that starts with `{` or `[` and parses to a mapping or list is read as data (IAM
 * policies, JobRun `configurationOverrides`, EventBridge patterns, add-on configuration).
 */
const YAML_FIELDS: readonly { readonly kind: RegExp; readonly path: RegExp }[] = [
  /** Helm release values (`values = [yamlencode(...)]`). */
  { kind: /^helm_release$/, path: /^\.values\[\d+\]$/ },
  /** ConfigMap entries named like YAML files: YuniKorn's `queues.yaml`, Spark pod templates. */
  { kind: /^ConfigMap$/, path: /^\.data\['[^']+\.ya?ml'\]$/ },
  /** Argo CD Helm sources with inline values. */
  { kind: /^Application(Set)?$/, path: /\.helm\.values$/ },
];

/** The format of the document a string field holds, or undefined for plain text. */
export function documentFormat(kind: string, path: string, text: string): DocumentFormat | undefined {
  if (YAML_FIELDS.some((field) => field.kind.test(kind) && field.path.test(path))) return 'yaml';
  return /^\s*[[{]/.test(text) ? 'json' : undefined;
}

/**
 * The mapping or list a document string holds, or undefined when it does not parse to one (the
 * caller then compares it as text). YAML goes through the bounded parser used for user input,
 * so a hostile file in a reviewed commit cannot stall the review.
 */
export function parseDocument(text: string, format: DocumentFormat): unknown {
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  } else {
    try {
      value = parseYamlInput('(embedded document)', text, 'embedded document').value;
    } catch (error) {
      if (error instanceof InputFileError) return undefined;
      throw error;
    }
  }
  return value !== null && typeof value === 'object' ? value : undefined;
}
