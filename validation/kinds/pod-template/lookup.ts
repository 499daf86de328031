import type { PodTemplate } from '../../cross-checks';

const templateIndexes = new WeakMap<readonly PodTemplate[], Map<string, PodTemplate>>();

/**
 * The first pod template of `templates` with this key (file name) in this namespace. The list is
 * indexed on the first call: every JobRun of every team looks up two templates.
 */
export function podTemplateOf(
  templates: readonly PodTemplate[],
  namespace: string | undefined,
  key: string,
): PodTemplate | undefined {
  let index = templateIndexes.get(templates);
  if (index === undefined) {
    index = new Map();
    for (const t of templates) {
      const id = JSON.stringify([t.namespace ?? null, t.key]);
      if (!index.has(id)) index.set(id, t);
    }
    templateIndexes.set(templates, index);
  }
  return index.get(JSON.stringify([namespace ?? null, key]));
}
