import { celViolations } from './cel-rules';
import { crossCheck, type Located, type PodTemplate } from './cross-checks';
import { FindingSink, type Finding } from './findings';
import type { JobRun } from './bindings/emrcontainers.services.k8s.aws';
import { checkJobRunObject } from './kinds/jobrun/jobrun';
import { narrowed } from './narrow';
import { checkMetadata, checkPodSpec } from './object-checks';
import { SchemaRegistry } from './schema-registry';
import { checkRuntime } from './runtime';
import { structuralProblems } from './structural';
import { checkLaunchers } from './kinds/cronjob/launcher';
import { checkSystem } from './system';
import { checkPodIdentityTrust } from './kinds/iam-role/terraform-iam';
import { checkTaskGroups } from './kinds/pod/task-groups';
import { embeddedPod, validateEmbeddedPod } from './kinds/pod-template/embedded';
import { checkQueuesYaml, type QueueIndex } from './kinds/yunikorn-queues/queues';
import { asObject as obj, isObject, type Json } from '../lib/json';

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
  // Each team's ConfigMap carries the same pod template texts: each distinct text is parsed once
  // (the pods are only read, never changed, by the checks that follow).
  const parsedPods = new Map<string, Json | undefined>();
  const parsePod = (value: unknown): Json | undefined => {
    if (typeof value !== 'string') return undefined;
    if (!parsedPods.has(value)) parsedPods.set(value, embeddedPod(value));
    return parsedPods.get(value);
  };
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
    // Whether the pinned schema accepts the object: only then do its kind's own rules read it
    // through its generated type (validation/bindings/).
    const located = { file, object, accepted: schema.validate(object) };
    objects.push(located);
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
    const run = narrowed<JobRun>(located, 'JobRun');
    if (run !== undefined) checkJobRunObject(sink, file, run);
    if (object.kind === 'ConfigMap') {
      const data = obj(object.data);
      if (obj(object.metadata).name === 'yunikorn-configs' && typeof data['queues.yaml'] === 'string') {
        queues = { file, ...checkQueuesYaml(sink, file, data['queues.yaml']) };
      }
      for (const [key, value] of Object.entries(data)) {
        const template = parsePod(value);
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
  checkLaunchers(sink, objects, podTemplates, registry);
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
