import type { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from '../framework';
import type { ChartPin } from '../../config/versions';
import { sortKeys } from '../../lib/serialize';

/** A Helm values document: plain JSON data, built as a typed object (never dot-path strings). */
export type HelmValues = { readonly [key: string]: HelmValue };
export type HelmValue = string | number | boolean | null | readonly HelmValue[] | HelmValues;

/**
 * The label the core managed node group puts on its nodes (`CoreNodeGroup`): every controller
 * Deployment selects it, so controllers never land on (or keep alive) Karpenter's Spark nodes.
 */
export { CORE_NODE_SELECTOR } from '../../config/core-node-group';

/** Tolerate every taint: node agents (log shippers, CSI node plugins) must run on tainted Spark nodes. */
export const TOLERATE_ALL_TAINTS = [{ operator: 'Exists' }] as const;

/**
 * Plain data as a Helm value, for objects another module types with interfaces (Argo CD's
 * `AppProjectSpec`, say), which TypeScript does not treat as index-signature types.
 */
export function jsonValue(value: object): HelmValue {
  return JSON.parse(JSON.stringify(value)) as HelmValue;
}

/** Props for {@link pinnedRelease}. */
export interface PinnedReleaseProps {
  /** The chart, from `charts` in `config/versions.ts`. */
  readonly chart: ChartPin;
  /** Helm release name (at most 53 characters). */
  readonly name: string;
  readonly namespace: string;
  /** Values; omitted when the chart's defaults are enough. */
  readonly values?: HelmValues;
  /** What must exist before the release is installed (CRDs, Pod Identity associations, …). */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Wait until the release's workloads are ready. Off only where readiness depends on objects
   * Argo CD creates later (a PVC on the `gp3` StorageClass), which would deadlock the bootstrap.
   * @default true
   */
  readonly wait?: boolean;
  /** Skip the chart's `crds/` folder (another release owns the CRDs). @default false */
  readonly skipCrds?: boolean;
}

/**
 * Serializes values as JSON (a YAML subset Helm reads) with sorted keys. CDKTF tokens inside
 * strings become Terraform references; any other `${`/`%{` would be read as a Terraform template,
 * so it is rejected here rather than rendered into a broken plan.
 */
export function helmValuesJson(values: HelmValues): string {
  const json = JSON.stringify(sortKeys(values));
  const template = /\$\{(?!TfToken\[)|%\{/.exec(json);
  if (template) {
    throw new Error(
      `Helm values contain "${template[0]}", which Terraform would read as a template: ${json.slice(Math.max(0, template.index - 40), template.index + 40)}`,
    );
  }
  return json;
}

/**
 * A `helm_release` pinned to an exact chart version, with its values as one JSON document.
 * Installs are atomic-ish: a failed install or upgrade cleans up what it created, and Helm keeps
 * ten revisions for `helm rollback`.
 */
export function pinnedRelease(scope: Construct, id: string, props: PinnedReleaseProps): Release {
  if (props.name.length > 53) {
    throw new Error(`Helm release name ${props.name} is longer than 53 characters.`);
  }
  return new Release(scope, id, {
    name: props.name,
    namespace: props.namespace,
    createNamespace: true,
    repository: props.chart.repository,
    chart: props.chart.chart,
    version: props.chart.version,
    values: props.values ? [helmValuesJson(props.values)] : undefined,
    cleanupOnFail: true,
    maxHistory: 10,
    wait: props.wait === false ? false : undefined,
    skipCrds: props.skipCrds ? true : undefined,
    dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
  });
}
