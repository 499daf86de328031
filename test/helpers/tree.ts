import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir` as text, by its path relative to `dir`, in path order. */
export function readTextTree(dir: string): Map<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    entries
      .map((e) => join(e.parentPath, e.name))
      .map((file) => [relative(dir, file), readFileSync(file, 'utf8')] as [string, string])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
