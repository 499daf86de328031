import type { FindingSink } from './findings';
import { checkAppProjects } from './kinds/application/appproject';
import { iamRoles } from './kinds/iam-role/terraform-iam';
import { checkJobRuns } from './kinds/jobrun/cross';
import { checkPools } from './kinds/nodepool/cross';
import { nodePools } from './kinds/nodepool/node-groups';
import { checkPodTemplates } from './kinds/pod-template/cross';
import { checkServiceAccounts } from './kinds/serviceaccount/cross';
import { checkVirtualClusters } from './kinds/virtualcluster/cross';
import { checkQueueBudgets } from './kinds/yunikorn-queues/cross';
import type { QueueIndex } from './kinds/yunikorn-queues/queues';
import type { Json } from '../lib/json';

/** A rendered object with the file it came from. */
export interface Located {
  readonly file: string;
  readonly object: Json;
  /** Whether its pinned schema accepted it: only then is it read through its kind's type (`narrow.ts`). */
  readonly accepted: boolean;
}

/** A Spark pod template found in a ConfigMap. */
export interface PodTemplate {
  readonly file: string;
  /** `$.data['<key>']`. */
  readonly path: string;
  readonly key: string;
  readonly namespace: string | undefined;
  readonly pod: Json;
}

/** What one environment rendered, gathered for the cross-object checks. */
export interface EnvironmentSet {
  readonly objects: readonly Located[];
  readonly podTemplates: readonly PodTemplate[];
  readonly queues?: { readonly file: string; readonly index: QueueIndex; readonly namespaceTag: boolean };
  /** Parsed `cdk.tf.json` documents of the same environment, when available. */
  readonly terraform: readonly unknown[];
}

/** Every cross-object rule over one environment's set. */
export function crossCheck(sink: FindingSink, set: EnvironmentSet): void {
  const all = nodePools(set.objects);
  const roles = set.terraform.length > 0 ? iamRoles(set.terraform) : undefined;
  checkPools(sink, set.objects);
  checkPodTemplates(sink, set, all);
  checkJobRuns(sink, set, roles);
  if (roles !== undefined) checkServiceAccounts(sink, set, roles);
  checkVirtualClusters(sink, set);
  checkAppProjects(sink, set);
  checkQueueBudgets(sink, set);
}
