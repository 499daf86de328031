/** A tree of text files: path (relative to its root, `/`-separated) → content. */
export type FileTree = ReadonlyMap<string, string>;
