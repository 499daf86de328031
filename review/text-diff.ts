import { commonSubsequence } from './lcs';

/** One line of a line diff: unchanged context, removed, added, or a marker for skipped context. */
export interface DiffLine {
  readonly op: ' ' | '-' | '+' | '…';
  readonly text: string;
}

/**
 * Above this many cells (changed lines before × after, once the common first and last lines are
 * set aside) the middle is shown as removed and re-added instead of aligned line by line: the
 * alignment table would cost more memory than a review is worth.
 */
const MAX_CELLS = 4_000_000;

/**
 * The changed lines between two texts, with `context` unchanged lines around each change and a
 * `…` line for every run of unchanged lines left out (like `diff -u` without the headers).
 */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const ops: DiffLine[] = [
    ...a.slice(0, start).map((text) => ({ op: ' ' as const, text })),
    ...middle(a.slice(start, a.length - end), b.slice(start, b.length - end)),
    ...a.slice(a.length - end).map((text) => ({ op: ' ' as const, text })),
  ];
  return withContext(ops, context);
}

/** Aligns two runs of lines by their longest common subsequence. */
function middle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const anchors = commonSubsequence(a, b, MAX_CELLS);
  if (anchors === undefined) {
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ];
  }
  const ops: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...anchors, [a.length, b.length] as const]) {
    while (i < ai) ops.push({ op: '-', text: a[i++] ?? '' });
    while (j < bj) ops.push({ op: '+', text: b[j++] ?? '' });
    if (ai < a.length) ops.push({ op: ' ', text: a[ai] ?? '' });
    i = ai + 1;
    j = bj + 1;
  }
  return ops;
}

/** Keeps changed lines and `context` lines around them; skipped runs become one `…` line. */
function withContext(ops: readonly DiffLine[], context: number): DiffLine[] {
  const near = new Array<boolean>(ops.length).fill(false);
  ops.forEach((line, index) => {
    if (line.op === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++)
      near[k] = true;
  });
  const result: DiffLine[] = [];
  let skipped = 0;
  ops.forEach((line, index) => {
    if (near[index]) {
      if (skipped > 0) result.push(skippedLine(skipped));
      skipped = 0;
      result.push(line);
    } else skipped++;
  });
  if (skipped > 0 && result.length > 0) result.push(skippedLine(skipped));
  return result;
}

const skippedLine = (count: number): DiffLine => ({
  op: '…',
  text: `${count} unchanged line${count === 1 ? '' : 's'}`,
});
