import { ADDON_ROWS, OWNERS, type AddonKey, type AddonOwner } from '../config/addons';
import type { Environment } from '../config/schema';
import { charts, type ChartPin } from '../config/versions';

/** An add-on the environment enables: its row of the add-ons table, with its charts' pins. */
export interface AddonModel {
  /** Its toggle under `addons` in the platform config. */
  readonly key: AddonKey;
  readonly title: string;
  /** The namespace its workloads run in; none for an AWS service outside the cluster. */
  readonly namespace?: string;
  readonly owner: AddonOwner;
  /** How messages and the README name the owner. */
  readonly ownerLabel: string;
  /** The Helm charts it installs, pinned. */
  readonly charts: readonly ChartPin[];
  /** The Argo CD app that holds its configuration, and the sync phase the app starts in. */
  readonly app?: { readonly name: string; readonly phase: string };
}

/** The enabled add-ons of an environment, in the order of the add-ons table. */
export function enabledAddons(env: Environment): AddonModel[] {
  return ADDON_ROWS.filter(([key]) => env.addons[key]).map(([key, spec]) => ({
    key,
    title: spec.title,
    ...(spec.namespace !== undefined ? { namespace: spec.namespace } : {}),
    owner: spec.owner,
    ownerLabel: OWNERS[spec.owner].label,
    charts: spec.charts.map((chart) => charts[chart] as ChartPin),
    ...(spec.app !== undefined ? { app: spec.app } : {}),
  }));
}
