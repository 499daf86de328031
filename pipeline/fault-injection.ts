import { sleep } from './safe-output';

/**
 * The one test seam of the write path (docs/safety.md, "Testing it"). `replaceDirectory`
 * (pipeline/write.ts) reports each of these moments to its `onStep` option and knows nothing of
 * tests; the crash, lock, mount and signal tests stop or pause a real writer there by running
 * it with `EMR_EKS_GITOPS_FAULT` set, which only {@link faultInjection} reads.
 */

/** The moments of a write a test can stop or pause it at. */
export const FAULT_POINTS = ['locked', 'staged', 'between-renames', 'swapped'] as const;
/**
 * `locked`: lock held, recovery done; `staged`: the new tree written beside the output;
 * `between-renames`: the output moved aside, the new tree not yet in; `swapped`: the new tree
 * in, the old one not yet removed.
 */
export type FaultPoint = (typeof FAULT_POINTS)[number];

/**
 * The `onStep` hook that `EMR_EKS_GITOPS_FAULT=<point>` asks for: SIGKILL at that point, or with
 * `<point>:<ms>` a pause there. Undefined when the variable is unset or empty (always, outside
 * tests). A value that names no point is refused, so a typo in a test cannot pass unnoticed.
 */
export function faultInjection(
  env: NodeJS.ProcessEnv = process.env,
): ((point: FaultPoint) => void) | undefined {
  const spec = env.EMR_EKS_GITOPS_FAULT;
  if (spec === undefined || spec === '') return undefined;
  const [name, ms] = spec.split(':');
  const wanted = FAULT_POINTS.find((point) => point === name);
  const pause = ms === undefined ? undefined : Number(ms);
  if (wanted === undefined || (pause !== undefined && !(pause >= 0))) {
    throw new Error(
      `EMR_EKS_GITOPS_FAULT=${spec} names no fault point: use one of ${FAULT_POINTS.join(', ')}, optionally with :<ms> to pause there.`,
    );
  }
  return (point) => {
    if (point !== wanted) return;
    if (pause === undefined) process.kill(process.pid, 'SIGKILL');
    else sleep(pause);
  };
}
