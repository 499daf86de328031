import { asObject as obj, asString as str } from '../../lib/json';
import { address, named, type SystemModel } from './context';

/**
 * EMR on EKS API values (class 6 of the system models).
 *
 * - A JobRun's `releaseLabel` has the form `emr-x.y.z-latest` or `emr-x.y.z-YYYYMMDD` and `x.y.z`
 *   is a release EMR on EKS publishes ({@link EMR_ON_EKS_RELEASES}). StartJobRun refuses any
 *   other label, after Argo CD has reported the JobRun synced.
 * - A VirtualCluster's `containerProvider.id` is the EKS cluster the environment's Terraform
 *   creates (`aws_eks_cluster.name`, or the `aws_eks_cluster` data source a stack reads).
 */

/**
 * The EMR releases EMR on EKS runs, from the EMR on EKS Development Guide ("Amazon EMR on EKS
 * releases": 5.32.0 and 6.2.0 onwards, up to 7.13.0). Add a version here when EMR publishes it.
 */
export const EMR_ON_EKS_RELEASES: ReadonlySet<string> = new Set([
  ...[32, 33, 34, 35, 36].map((minor) => `5.${minor}.0`),
  ...Array.from({ length: 14 }, (_, i) => `6.${i + 2}.0`),
  ...Array.from({ length: 14 }, (_, i) => `7.${i}.0`),
]);

const LABEL = /^emr-(\d+\.\d+\.\d+)-(latest|(\d{4})(\d{2})(\d{2}))$/;

/** Why a release label is not one EMR on EKS accepts, or undefined when it is. */
export function releaseLabelProblem(label: string): string | undefined {
  const match = LABEL.exec(label);
  if (match === null) return 'it is not of the form emr-x.y.z-latest or emr-x.y.z-YYYYMMDD';
  const [, version = '', , year, month, day] = match;
  if (year !== undefined) {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day))
      return `${year}${month}${day} is not a date`;
  }
  if (!EMR_ON_EKS_RELEASES.has(version))
    return `EMR on EKS publishes no release ${version} (validation/system/emr-api.ts lists them)`;
  return undefined;
}

export const emrApi: SystemModel = {
  name: 'emr-api',
  check(sink, context) {
    for (const run of context.objects.ofKind('JobRun')) {
      const label = str(obj(run.object.spec).releaseLabel);
      if (label === undefined) continue;
      const problem = releaseLabelProblem(label);
      if (problem === undefined) continue;
      sink.report(
        run.file,
        '$.spec.releaseLabel',
        'system.emr-release-label',
        `${named(run)} asks for release ${label}, which StartJobRun refuses: ${problem}; use a published release such as emr-7.12.0-latest`,
      );
    }
    const literal = (c: { body: { name?: unknown } }): boolean =>
      typeof c.body.name === 'string' && !c.body.name.includes('${');
    // The cluster Terraform creates; a stack that only reads it (a data source) when none does.
    const created = context.terraform('aws_eks_cluster').filter(literal);
    const clusters = created.length > 0 ? created : context.terraform('data.aws_eks_cluster').filter(literal);
    if (clusters.length === 0) return;
    const names = new Set(clusters.map((c) => String(c.body.name)));
    for (const vc of context.objects.ofKind('VirtualCluster')) {
      const id = str(obj(obj(vc.object.spec).containerProvider).id);
      if (id === undefined || names.has(id)) continue;
      const cluster = clusters[0]!;
      sink.report(
        vc.file,
        '$.spec.containerProvider.id',
        'system.emr-virtual-cluster-eks',
        `${named(vc)} registers EKS cluster ${id}, but the environment's Terraform creates cluster ${String(cluster.body.name)} (${address(cluster)}); set containerProvider.id to ${String(cluster.body.name)}`,
      );
    }
  },
};
