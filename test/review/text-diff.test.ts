import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../review/text-diff';

const render = (before: string, after: string, context?: number) =>
  lineDiff(before, after, context).map((line) => `${line.op} ${line.text}`);

describe('lineDiff', () => {
  it('aligns unchanged lines and shows removed before added', () => {
    expect(render('a\nb\nc\nd', 'a\nc\nx\nd')).toEqual(['  a', '- b', '  c', '+ x', '  d']);
  });

  it('keeps context around each change and marks what it leaves out', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const changed = lines.map((line, i) => (i === 3 || i === 16 ? `${line}!` : line));
    expect(render(lines.join('\n'), changed.join('\n'), 1)).toEqual([
      '… 2 unchanged lines',
      '  line 2',
      '- line 3',
      '+ line 3!',
      '  line 4',
      '… 10 unchanged lines',
      '  line 15',
      '- line 16',
      '+ line 16!',
      '  line 17',
      '… 2 unchanged lines',
    ]);
  });

  it('returns nothing for equal texts and handles texts that only grow', () => {
    expect(lineDiff('same\n', 'same\n')).toEqual([]);
    expect(render('a', 'a\nb')).toEqual(['  a', '+ b']);
    expect(render('', 'x')).toEqual(['- ', '+ x']);
  });

  it('shows a huge rewrite as removed and re-added instead of aligning it line by line', () => {
    const a = Array.from({ length: 2500 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 2500 }, (_, i) => `b${i}`).join('\n');
    const diff = lineDiff(a, b, 0);
    expect(diff).toHaveLength(5000);
    expect(diff[0]).toEqual({ op: '-', text: 'a0' });
    expect(diff[2500]).toEqual({ op: '+', text: 'b0' });
  });
});
