import { load } from 'js-yaml';
import { FindingSink } from '../../findings';
import { asObject as obj, isObject, type Json } from '../../../lib/json';
import { checkMetadata, checkPodSpec } from '../../object-checks';
import type { SchemaRegistry } from '../../schema-registry';
import { structuralProblems } from '../../structural';
import { checkTaskGroups } from '../pod/task-groups';

/** A ConfigMap value that is a Pod manifest (a Spark pod template), parsed. */
export function embeddedPod(value: unknown): Json | undefined {
  if (typeof value !== 'string' || !/^kind:\s*Pod\s*$/m.test(value)) return undefined;
  try {
    const parsed = load(value);
    return isObject(parsed) && parsed.kind === 'Pod' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Spark pod templates are checked as core/v1 Pods (Spark merges them into real pods). */
export function validateEmbeddedPod(
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
