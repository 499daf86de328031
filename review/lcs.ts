/**
 * Index pairs `[i, j]` (`a[i] === b[j]`) of a longest common subsequence of two lists of
 * strings, in order; undefined when `a.length × b.length` exceeds `maxCells` (the table would
 * cost more memory than a review is worth).
 */
export function commonSubsequence(
  a: readonly string[],
  b: readonly string[],
  maxCells: number,
): (readonly [number, number])[] | undefined {
  if (a.length * b.length > maxCells) return undefined;
  const width = b.length + 1;
  // lcs[i * width + j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
  const pairs: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}
