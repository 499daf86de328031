import type { JobRun } from '../../bindings/emrcontainers.services.k8s.aws';
import type { FindingSink } from '../../findings';
import { checkJobRun, parseOverrides } from './checks';
import { checkPlatformProperties } from './platform-properties';

/**
 * The rules of one JobRun on its own, once its pinned schema accepted it: it is read through its
 * generated type (`validation/bindings/`), not as untyped JSON. A JobRun the schema refuses gets
 * the schema's findings only; its payload is judged once its fields have their types.
 */
export function checkJobRunObject(sink: FindingSink, file: string, run: JobRun): void {
  checkJobRun(sink, file, run);
  const spec = run.spec ?? {};
  checkPlatformProperties(sink, file, spec, run.metadata?.namespace ?? '', parseOverrides(spec));
}
