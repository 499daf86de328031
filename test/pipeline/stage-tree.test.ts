import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { stageTree as stageTreeFunction } from '../../pipeline/stage-tree';

// The write is checked through the file system, with `writeSync` able to write less than asked
// (what a local disk rarely does, and a test cannot make it do). Test files share a module
// registry here (vitest's isolate: false), so stage-tree is loaded anew under the mock, and the
// registry is reset again afterwards.
const short = vi.hoisted(() => ({ limit: Infinity, calls: 0 }));
let stageTree: typeof stageTreeFunction;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('node:fs', async (importOriginal) => {
    const original = await importOriginal<typeof fs>();
    const writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
      short.calls++;
      if (typeof data === 'string' && short.limit < Buffer.byteLength(data)) {
        // Writes only the first `limit` bytes of the encoded string, as a short write would.
        return original.writeSync(fd, Buffer.from(data).subarray(0, short.limit));
      }
      return (original.writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync;
    return { ...original, writeSync, default: { ...original, writeSync } };
  });
  const module = join(__dirname, '..', '..', 'pipeline', 'stage-tree.ts');
  ({ stageTree } = (await import(module)) as { stageTree: typeof stageTreeFunction });
});

afterAll(() => {
  vi.doUnmock('node:fs');
  vi.resetModules();
});

const dirs: string[] = [];
afterEach(() => {
  short.limit = Infinity;
  short.calls = 0;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stage(files: ReadonlyMap<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stage-tree-'));
  dirs.push(root);
  const fresh = join(root, 'new');
  stageTree({
    target: join(root, 'dist'),
    fresh,
    exists: false,
    dirs: ['a'],
    carry: [],
    files,
    markerFile: '.marker',
    markerText: 'marker\n',
    noteFile: '.note',
    noteText: 'note\n',
  });
  return fresh;
}

describe('stageTree writes each file in full', () => {
  const text = `kind: ConfigMap\ndata:\n  greeting: "grüße, 世界 🚀"\n${'x'.repeat(5000)}\n`;

  it('writes the string as UTF-8', () => {
    const fresh = stage(new Map([['a/one.yaml', text]]));
    expect(short.calls).toBe(1);
    expect(readFileSync(join(fresh, 'a/one.yaml'), 'utf8')).toBe(text);
  });

  it('finishes a short write from the encoded bytes, multi-byte characters included', () => {
    // 38 bytes end inside the two-byte ü of grüße: the rest must continue at that byte.
    short.limit = 38;
    const fresh = stage(new Map([['a/one.yaml', text]]));
    expect(short.calls).toBeGreaterThan(1);
    expect(readFileSync(join(fresh, 'a/one.yaml'), 'utf8')).toBe(text);
  });
});
