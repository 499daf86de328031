import type { Located } from './cross-checks';

/**
 * `located` seen through its kind's generated type (`validation/bindings/`), when it is of `kind`
 * and its pinned schema accepted it; else undefined. The one place the validator narrows untyped
 * JSON to a binding type: the schema check is what makes the type true.
 */
export function narrowed<T extends { readonly kind: string }>(
  located: Located,
  kind: T['kind'],
): T | undefined {
  return located.accepted && located.object.kind === kind ? (located.object as unknown as T) : undefined;
}

/** The objects of `kind` their pinned schema accepted, each through its generated type. */
export function acceptedObjects<T extends { readonly kind: string }>(
  objects: readonly Located[],
  kind: T['kind'],
): { readonly file: string; readonly object: T }[] {
  return objects.flatMap((located) => {
    const object = narrowed<T>(located, kind);
    return object === undefined ? [] : [{ file: located.file, object }];
  });
}
