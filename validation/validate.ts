import { load } from 'js-yaml';
import { celViolations } from './cel-rules';
import { crossCheck, type Located, type PodTemplate } from './cross-checks';
import { FindingSink, type Finding } from './findings';
import { checkJobRun, parseOverrides } from './jobrun-checks';
import { checkMetadata, checkPodSpec } from './object-checks';
import { checkPlatformProperties } from './platform-properties';
import { SchemaRegistry } from './schema-registry';
import { checkRuntime } from './runtime';
import { structuralProblems } from './structural';
import { checkSystem } from './system';
import { checkPodIdentityTrust } from './terraform-iam';
import { checkQueuesYaml, checkTaskGroups, type QueueIndex } from './yunikorn-checks';
import { asObject as obj, isObject, type Json } from './json';

/** One parsed YAML document and where it came from. */
export interface SourceDocument {
  readonly file: string;
  readonly object: unknown;
}

/** One environment's rendered set: the objects to check, and what to compare them with. */
export interface ValidationSet {
  readonly documents: readonly SourceDocument[];
  /** The same environment as committed at git HEAD, for transition (`oldSelf`) rules. */
  readonly previous?: readonly SourceDocument[];
  /** Parsed `cdk.tf.json` stacks of the same environment, for IAM cross-checks. */
  readonly terraform?: readonly unknown[];
  /** The file of each `terraform` stack, in the same order, for findings about Terraform. */
  readonly terraformFiles?: readonly string[];
}

/** `apiVersion/kind/namespace/name`: how the API server identifies an object across renders. */
export function identity(object: unknown): string | undefined {
  if (!isObject(object)) return undefined;
  const metadata = obj(object.metadata);
  return JSON.stringify([object.apiVersion, object.kind, metadata.namespace ?? '', metadata.name]);
}

let sharedRegistry: SchemaRegistry | undefined;

/** The process-wide registry (schemas are loaded and compiled once per kind). */
export function defaultRegistry(): SchemaRegistry {
  sharedRegistry ??= new SchemaRegistry();
  return sharedRegistry;
}

/**
 * Validates one environment's objects: the pinned schemas (strict), their CEL rules (transition
 * rules against `previous`), the API server's Go-only checks, the JobRun and YuniKorn string
 * payloads, the cross-object rules, then the runtime models (pods, admission, placement, content
 * addresses, Argo CD's sync). Returns every finding, in file order.
 */
export function validateSet(set: ValidationSet, registry: SchemaRegistry = defaultRegistry()): Finding[] {
  const sink = new FindingSink();
  const previous = new Map<string, unknown>();
  for (const document of set.previous ?? []) {
    const id = identity(document.object);
    if (id !== undefined) previous.set(id, document.object);
  }
  const objects: Located[] = [];
  const podTemplates: PodTemplate[] = [];
  let queues: { file: string; index: QueueIndex; namespaceTag: boolean } | undefined;

  for (const { file, object } of set.documents) {
    if (!isObject(object)) {
      sink.report(file, '$', 'document.shape', 'a Kubernetes object must be a YAML mapping');
      continue;
    }
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      sink.report(file, '$', 'gvk.missing', 'apiVersion and kind are required');
      continue;
    }
    const schema = registry.lookup(object.apiVersion, object.kind);
    if (schema === undefined) {
      sink.report(
        file,
        '$.apiVersion',
        'gvk.unknown',
        `${object.apiVersion} ${object.kind} is not defined by any pinned schema (schemas.lock.json); a typo or a removed API version?`,
      );
      continue;
    }
    objects.push({ file, object });
    const namespace = obj(object.metadata).namespace;
    if (schema.namespaced && (typeof namespace !== 'string' || namespace === '')) {
      sink.report(
        file,
        '$.metadata.namespace',
        'scope.namespace-missing',
        `${object.kind} is namespaced: set metadata.namespace`,
      );
    } else if (!schema.namespaced && namespace !== undefined) {
      sink.report(
        file,
        '$.metadata.namespace',
        'scope.namespace-forbidden',
        `${object.kind} is cluster-scoped: remove metadata.namespace`,
      );
    }
    schema.validate(object);
    for (const problem of structuralProblems(schema.validate.errors))
      sink.report(file, problem.path, problem.rule, problem.message);
    for (const violation of celViolations(schema.schema, object, previous.get(identity(object) ?? ''))) {
      const message = violation.rule.message ?? `rule ${violation.rule.rule} does not hold`;
      sink.report(
        file,
        violation.path,
        violation.transition ? 'cel.transition' : 'cel',
        violation.error !== undefined ? `${message} (evaluation failed: ${violation.error})` : message,
      );
    }
    checkMetadata(sink, file, object.kind, object.metadata);
    checkPodSpec(sink, file, object.kind, object);
    if (object.kind === 'Pod')
      checkTaskGroups(sink, file, '$.metadata.annotations', obj(obj(object.metadata).annotations));
    if (object.kind === 'JobRun') {
      checkJobRun(sink, file, object);
      const spec = obj(object.spec);
      checkPlatformProperties(
        sink,
        file,
        spec,
        typeof namespace === 'string' ? namespace : '',
        parseOverrides(spec),
      );
    }
    if (object.kind === 'ConfigMap') {
      const data = obj(object.data);
      if (obj(object.metadata).name === 'yunikorn-configs' && typeof data['queues.yaml'] === 'string') {
        queues = { file, ...checkQueuesYaml(sink, file, data['queues.yaml']) };
      }
      for (const [key, value] of Object.entries(data)) {
        const template = embeddedPod(value);
        if (template === undefined) continue;
        const path = `$.data['${key}']`;
        podTemplates.push({
          file,
          path,
          key,
          namespace: typeof namespace === 'string' ? namespace : undefined,
          pod: template,
        });
        validateEmbeddedPod(sink, registry, file, path, template);
      }
    }
  }
  crossCheck(sink, { objects, podTemplates, queues, terraform: set.terraform ?? [] });
  checkRuntime(sink, { objects, podTemplates, terraform: set.terraform ?? [] });
  checkPodIdentityTrust(sink, set.terraform ?? [], set.terraformFiles ?? []);
  checkSystem(sink, {
    objects,
    podTemplates,
    terraform: set.terraform ?? [],
    terraformFiles: set.terraformFiles ?? [],
  });
  return sink.findings;
}

/** A ConfigMap value that is a Pod manifest (a Spark pod template), parsed. */
function embeddedPod(value: unknown): Json | undefined {
  if (typeof value !== 'string' || !/^kind:\s*Pod\s*$/m.test(value)) return undefined;
  try {
    const parsed = load(value);
    return isObject(parsed) && parsed.kind === 'Pod' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Spark pod templates are checked as core/v1 Pods (Spark merges them into real pods). */
function validateEmbeddedPod(
  sink: FindingSink,
  registry: SchemaRegistry,
  file: string,
  base: string,
  pod: Json,
): void {
  const schema = registry.lookup('v1', 'Pod');
  if (schema === undefined) return;
  const rebase = (path: string): string => `${base}${path.slice(1)}`;
  schema.validate(pod);
  for (const problem of structuralProblems(schema.validate.errors))
    sink.report(file, rebase(problem.path), problem.rule, problem.message);
  const inner = new FindingSink();
  checkMetadata(inner, file, 'Pod', { name: 'template', ...obj(pod.metadata) });
  checkPodSpec(inner, file, 'Pod', pod);
  checkTaskGroups(inner, file, '$.metadata.annotations', obj(obj(pod.metadata).annotations));
  for (const finding of inner.findings)
    sink.report(finding.file, rebase(finding.path), finding.rule, finding.message);
}
