/**
 * The metadata of an object its schema accepted: the registry checks every kind's `metadata`
 * against the pinned Kubernetes ObjectMeta (a CRD says only `type: object`), and the engine's
 * own checks (`object-checks.ts`) its names, labels and annotations. Only the fields the
 * validator reads.
 */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
