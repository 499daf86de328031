import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../../validation/findings';
import type { ValidationSet } from '../../../validation/validate';
import { defaultSet, fileEnding, findings, mutate, type Tree } from '../helpers';

/**
 * The corpus of the system models (validation/system/): each case breaks one relation between
 * objects of a copy of the seed fixture's render (a Kubernetes object against Terraform, an
 * Application against its project, …). A must-catch case names the rule, the file the finding
 * is about and the names it must mention (the object, the other object it disagrees with, and
 * the fix); a near miss is a change that looks alike but is valid, and must validate clean.
 */
export interface MustCatch {
  readonly name: string;
  readonly rule: string;
  readonly set: () => ValidationSet;
  /** A suffix of the file the finding names. */
  readonly file: string;
  /** Texts the message must contain: the other object, the fix. */
  readonly mentions: readonly string[];
}

export interface NearMiss {
  readonly name: string;
  readonly set: () => ValidationSet;
}

/** The seed render with the document whose file ends with `suffix` changed. */
export function editObject(suffix: string, change: (o: Tree) => void): () => ValidationSet {
  return () => {
    const set = defaultSet();
    return mutate(set, fileEnding(set, suffix), change);
  };
}

/** `set` with the Terraform stack of `stack` (`base`, `addons`, `teams`) replaced by an edited copy. */
export function withTerraform(set: ValidationSet, stack: string, change: (s: Tree) => void): ValidationSet {
  const files = set.terraformFiles ?? [];
  const index = files.findIndex((f) => f.endsWith(`terraform/${stack}/cdk.tf.json`));
  if (index < 0) throw new Error(`no Terraform stack ${stack}`);
  const terraform = [...(set.terraform ?? [])];
  const copy = structuredClone(terraform[index]) as Tree;
  change(copy);
  terraform[index] = copy;
  return { ...set, terraform };
}

/** The seed render with one Terraform stack edited. */
export function editTerraform(stack: string, change: (s: Tree) => void): () => ValidationSet {
  return () => withTerraform(defaultSet(), stack, change);
}

/** A Terraform policy document (JSON text) edited as a tree. */
export function editPolicy(text: string, change: (policy: Tree) => void): string {
  const policy = JSON.parse(text) as Tree;
  change(policy);
  return JSON.stringify(policy);
}

/** Runs a class's corpus: every must-catch case is caught as described, every near miss is clean. */
export function runCorpus(
  title: string,
  mustCatch: readonly MustCatch[],
  nearMisses: readonly NearMiss[],
): void {
  describe(title, () => {
    it('has more than one must-catch case and a near miss', () => {
      expect(mustCatch.length).toBeGreaterThan(1);
      expect(nearMisses.length).toBeGreaterThan(0);
    });
    it.each(mustCatch.map((c) => [c.name, c] as const))('catches: %s', (_name, c) => {
      const found = findings(c.set());
      const hits = found.filter((f) => f.rule === c.rule && f.file.endsWith(c.file));
      expect(hits, found.map(formatFinding).join('\n')).not.toHaveLength(0);
      for (const text of c.mentions) expect(hits.map((f) => f.message).join('\n')).toContain(text);
    });
    it.each(nearMisses.map((c) => [c.name, c] as const))('passes: %s', (_name, c) => {
      expect(findings(c.set()).map(formatFinding)).toEqual([]);
    });
  });
}
