import type { Located, PodTemplate } from '../cross-checks';
import { jobRunGang } from '../kinds/jobrun/cross';
import { FindingSink } from '../findings';
import { asObject as obj } from '../../lib/json';
import { jobRunConf } from '../kinds/jobrun/spark-conf';
import { admitPods, checkLimitRanges } from '../kinds/pod/admission';
import { checkContentAddresses, uploads } from '../kinds/jobrun/content-address';
import { checkSparkContainerNames, jobRunPods, jobRunTemplate } from '../kinds/jobrun/pods';
import { workloadPod, type ModelPod } from '../kinds/pod/model';
import { managedNodeGroups, nodePools } from '../kinds/nodepool/node-groups';
import { RuntimeObjects, type RuntimeObject } from './objects';
import { checkPlacement, type RuntimeGang } from '../kinds/pod/placement';
import { checkPodSecurity } from '../kinds/pod/pod-security';
import { checkSync } from '../kinds/application/sync';

/**
 * The runtime models (decision 12, docs/decisions.md): beyond "each object is well-formed", whether the
 * platform as a whole can start and run. Each model lives with the kind it judges; this runs them
 * in order: the Spark container names of the pod templates, the pods EMR creates for each JobRun
 * (`kinds/jobrun/pods.ts`) and the workloads' pods (`kinds/pod/model.ts`), their admission
 * (`kinds/pod/admission.ts`) and Pod Security (`kinds/pod/pod-security.ts`), their placement
 * (`kinds/pod/placement.ts`), the content addresses of the job artifacts
 * (`kinds/jobrun/content-address.ts`), and Argo CD's first sync (`kinds/application/sync.ts`,
 * `health.ts`).
 */

/** What one environment rendered, as the runtime models read it. */
export interface RuntimeSet {
  readonly objects: readonly Located[];
  readonly podTemplates: readonly PodTemplate[];
  /** Parsed `cdk.tf.json` stacks of the environment (node groups, Cluster Autoscaler). */
  readonly terraform: readonly unknown[];
}

function gangs(
  runs: readonly RuntimeObject[],
  templates: readonly PodTemplate[],
): Map<RuntimeObject, RuntimeGang> {
  const found = new Map<RuntimeObject, RuntimeGang>();
  for (const run of runs) {
    const { conf } = jobRunConf(obj(run.object.spec));
    const byRole = new Map(
      (['driver', 'executor'] as const).map((role) => [
        role,
        jobRunTemplate(conf, role, run.namespace, templates),
      ]),
    );
    // Malformed annotations are reported by the cross-object checks; parse quietly here.
    const gang = jobRunGang(new FindingSink(), run.file, conf, byRole);
    if (gang !== undefined) found.set(run, gang);
  }
  return found;
}

/** Every runtime model over one environment's set. */
export function checkRuntime(sink: FindingSink, set: RuntimeSet): void {
  const objects = new RuntimeObjects(set.objects);
  const runs = objects.ofKind('JobRun');
  checkSparkContainerNames(sink, set.podTemplates, runs);
  const pods = environmentPods(objects, set.podTemplates);
  checkLimitRanges(sink, objects);
  const admitted = admitPods(sink, pods, objects);
  checkPodSecurity(sink, objects, set.podTemplates);
  const managed = managedNodeGroups(set.terraform);
  checkPlacement(
    sink,
    admitted,
    [...nodePools(set.objects), ...managed],
    objects,
    gangs(runs, set.podTemplates),
    managed.length > 0,
  );
  const shipped = uploads(objects);
  checkContentAddresses(sink, objects, shipped);
  checkSync(sink, { objects, pods, uploads: shipped });
}

/** Every pod of the environment: EMR's pods of each JobRun, and each workload's pods. */
export function environmentPods(objects: RuntimeObjects, templates: readonly PodTemplate[]): ModelPod[] {
  const pods: ModelPod[] = [];
  for (const o of objects.all) {
    if (o.kind === 'JobRun') pods.push(...jobRunPods(o, templates));
    else {
      const pod = workloadPod(o);
      if (pod !== undefined) pods.push(pod);
    }
  }
  return pods;
}
