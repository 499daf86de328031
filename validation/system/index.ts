import type { FindingSink } from '../findings';
import { argocdStructure } from './argocd-structure';
import { buckets } from './buckets';
import { SystemContext, type SystemModel, type SystemSet } from './context';
import { emrApi } from './emr-api';
import { helmValues } from './helm-values';
import { iam } from './iam';
import { karpenterTerraform } from './karpenter-terraform';
import { network } from './network';
import { storage } from './storage';

/**
 * The system models (docs/validation.md, "System models"): the platform as one system, each
 * model comparing objects that are valid on their own with the objects, often rendered by
 * another tool, they depend on. One model per class; each has its corpus under
 * test/validation/system/.
 */
export const SYSTEM_MODELS: readonly SystemModel[] = [
  karpenterTerraform,
  argocdStructure,
  network,
  iam,
  helmValues,
  emrApi,
  storage,
  buckets,
];

/** Every system model over one environment. */
export function checkSystem(sink: FindingSink, set: SystemSet): void {
  const context = new SystemContext(set);
  for (const model of SYSTEM_MODELS) model.check(sink, context);
}
