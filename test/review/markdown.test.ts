import { describe, expect, it } from 'vitest';
import type { Change, DiffReport, Warning } from '../../review/diff';
import { cell, code, html, inline, markdownReport, MARKDOWN_LIMITS } from '../../review/markdown';
import { valueDiff } from '../../review/value-diff';

const change = (index: number, app = 'team-a', fields = 3): Change => ({
  env: 'prod',
  app,
  kind: 'JobRun',
  name: `team-a/job-${String(index).padStart(3, '0')}`,
  action: index % 3 === 0 ? 'added' : index % 3 === 1 ? 'removed' : 'changed',
  fields:
    index % 3 === 2
      ? Array.from({ length: fields }, (_, i) => ({ path: `.spec.field${i}`, before: 'old', after: 'new' }))
      : [],
});

describe('markdown escaping', () => {
  it('keeps table cells on one row: pipes escaped, newlines as <br>, markup inert', () => {
    expect(cell('a|b\nc `d` *e* <f>')).toBe('a\\|b<br>c \\`d\\` \\*e\\* \\<f\\>');
    expect(inline('x\ny | `z`')).toBe('x y \\| \\`z\\`');
    expect(html('<details> & </summary>')).toBe('&lt;details&gt; &amp; &lt;/summary&gt;');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`a')).toBe('`` `a ``');
  });

  it('escapes what reaches the table, the warnings and the fences', () => {
    const report: DiffReport = {
      changes: [
        {
          env: 'dev',
          app: 'team|x',
          kind: 'ConfigMap',
          name: 'ns/with`tick',
          action: 'changed',
          fields: valueDiff({ data: { 'a.sh': '```\nrm -rf' } }, { data: { 'a.sh': '```\nls' } }),
        },
      ],
      warnings: [
        {
          env: 'dev',
          app: 'team|x',
          subject: 'ConfigMap ns/with`tick',
          reason: 'allows *everything* | now',
          severity: 'destructive',
        },
      ],
      apply: [],
    };
    const text = markdownReport(report, 'origin/main', 'HEAD');
    expect(text).toContain('| dev | team\\|x | ConfigMap | 0 | 1 | 0 | 0 |');
    expect(text).toContain('- ⚠️ `dev` **ConfigMap ns/with\\`tick**: allows \\*everything\\* \\| now');
    expect(text).toContain(
      '<details><summary>dev / team|x: 0 added, 1 changed, 0 replaced, 0 removed, 1 warning</summary>',
    );
    // The diff fence is longer than any backtick run inside it.
    expect(text).toContain('````diff\n~ ConfigMap ns/with`tick\n');
    expect(text).toContain(
      "    data['a.sh']: text changed (+1 -1 lines)\n        ```\n      - rm -rf\n      + ls\n````",
    );
  });
});

describe('a change of 500 objects', () => {
  const changes = [
    ...Array.from({ length: 450 }, (_, i) => change(i)),
    ...Array.from({ length: 50 }, (_, i) => change(i, `app-${String(i).padStart(2, '0')}`, 60)),
  ];
  const warnings: Warning[] = changes
    .filter((c) => c.action === 'removed')
    .map((c) => ({
      env: c.env,
      app: c.app,
      subject: `JobRun ${c.name}`,
      reason: 'JobRun removed: pruning it CANCELS the job',
      severity: 'destructive',
    }));
  const report: DiffReport = { changes, warnings, apply: [] };
  const text = markdownReport(report, 'origin/main', 'HEAD');
  const lines = text.split('\n');

  it('starts with the summary, then the warnings, then the table', () => {
    expect(lines[0]).toBe('### dist/ diff');
    expect(lines[2]).toBe(
      '`origin/main` → `HEAD`: **500 objects** (167 added, 166 changed, 0 replaced, 167 removed), **167 warnings**.',
    );
    expect(lines[4]).toBe('**Warnings (167)**');
    expect(lines.filter((line) => line.startsWith('- ⚠️')).length).toBe(MARKDOWN_LIMITS.warningsListed);
    expect(text).toContain('<details><summary>152 more warnings</summary>');
    expect(text).toContain('- … and 17 more: run `npm run diff` for the full list');
    expect(text.indexOf('| env | app | kind |')).toBeGreaterThan(text.indexOf('**Warnings'));
  });

  it('caps the table and each section, with counts of what is left out', () => {
    const rows = lines.filter((line) => line.startsWith('| prod'));
    expect(rows).toHaveLength(MARKDOWN_LIMITS.tableRows);
    expect(text).toContain('| … | 21 more rows | | 7 | 7 | 0 | 7 |');
    expect(text).toContain(
      '<details><summary>prod / team-a: 150 added, 150 changed, 0 replaced, 150 removed, 150 warnings</summary>',
    );
    expect(text).toContain('… 425 more objects in prod / team-a');
    expect(text).toContain('    … 31 more lines');
  });

  it('folds every section and stays under the GitHub comment limit', () => {
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMITS.maxChars);
    const opened = lines.filter((line) => line.startsWith('<details>')).length;
    expect(opened).toBe(lines.filter((line) => line === '</details>').length);
    expect(lines.filter((line) => line.startsWith('```diff')).length).toBeGreaterThan(1);
  });

  it('says which sections it had to leave out for size', () => {
    const small = markdownReport(report, 'origin/main', 'HEAD', { ...MARKDOWN_LIMITS, maxChars: 20_000 });
    expect(small.length).toBeLessThanOrEqual(20_000);
    expect(small).toMatch(
      /_\d+ more sections? left out to keep this comment under GitHub's size limit: run `npm run diff -- --base origin\/main` for everything\._$/,
    );
  });
});

describe('a warning repeated for several teams', () => {
  it("counts in each team's section", () => {
    const changed = (app: string): Change => ({
      env: 'prod',
      app,
      kind: 'NodePool',
      name: `${app}-pool`,
      action: 'changed',
      fields: [{ path: '.spec.limits.cpu', before: '10', after: '5' }],
    });
    const report: DiffReport = {
      changes: [changed('team-a'), changed('team-b'), changed('team-c')],
      warnings: [
        {
          env: 'prod',
          app: 'team-<team>',
          subject: 'NodePool <team>-pool',
          reason: 'limit lowered',
          severity: 'destructive',
          teams: ['a', 'b'],
        },
      ],
      apply: [],
    };
    const text = markdownReport(report, 'main', 'head');
    expect(text).toContain('- ⚠️ `prod` **NodePool \\<team\\>-pool (a, b)**: limit lowered');
    expect(text).toContain('prod / team-a: 0 added, 1 changed, 0 replaced, 0 removed, 1 warning</summary>');
    expect(text).toContain('prod / team-b: 0 added, 1 changed, 0 replaced, 0 removed, 1 warning</summary>');
    expect(text).toContain('prod / team-c: 0 added, 1 changed, 0 replaced, 0 removed</summary>');
  });
});
