import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultInjection, type FaultPoint } from '../../pipeline/fault-injection';
import { ROOT } from '../helpers/run';

/** The write path's one test seam (docs/safety.md, "Testing it"). */
describe('fault injection', () => {
  it('is off unless EMR_EKS_GITOPS_FAULT names a point', () => {
    expect(faultInjection({})).toBeUndefined();
    expect(faultInjection({ EMR_EKS_GITOPS_FAULT: '' })).toBeUndefined();
  });

  it('pauses at the point it names and nowhere else', () => {
    const hook = faultInjection({ EMR_EKS_GITOPS_FAULT: 'staged:60' });
    expect(hook).toBeDefined();
    const at = (point: FaultPoint) => {
      const started = performance.now();
      hook?.(point);
      return performance.now() - started;
    };
    expect(at('locked')).toBeLessThan(50);
    expect(at('staged')).toBeGreaterThanOrEqual(55);
  });

  it('refuses a value that names no point, so a typo in a test cannot pass unnoticed', () => {
    expect(() => faultInjection({ EMR_EKS_GITOPS_FAULT: 'stagd' })).toThrow(
      'EMR_EKS_GITOPS_FAULT=stagd names no fault point: use one of locked, staged, between-renames, swapped, optionally with :<ms> to pause there.',
    );
    expect(() => faultInjection({ EMR_EKS_GITOPS_FAULT: 'staged:soon' })).toThrow('names no fault point');
  });

  it('is read in one place of the code outside test/', () => {
    const readers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['node_modules', 'test', 'dist', 'docs'].includes(entry.name) && !entry.name.startsWith('.'))
            walk(path);
        } else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) {
          if (readFileSync(path, 'utf8').includes('EMR_EKS_GITOPS_FAULT')) readers.push(relative(ROOT, path));
        }
      }
    };
    walk(ROOT);
    expect(readers).toEqual(['pipeline/fault-injection.ts']);
  });
});
