import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fieldLines, valuePair } from '../../review/format';
import { valueDiff, type FieldChange } from '../../review/value-diff';

/** The field lines the reports print for a comparison. */
const printed = (changes: readonly FieldChange[]): string[] =>
  changes.flatMap((change) => fieldLines(change, ''));

const values = (retention: string) =>
  JSON.stringify({
    alertmanager: { enabled: false },
    prometheus: {
      prometheusSpec: { retention, scrapeInterval: '30s', remoteWrite: [{ url: 'https://aps' }] },
    },
  });

describe('embedded documents are compared as data', () => {
  it('diffs Helm values field by field, continuing the path of the values entry', () => {
    const changes = valueDiff(
      { values: [values('6h')] },
      { values: [values('12h')] },
      { kind: 'helm_release' },
    );
    expect(printed(changes)).toEqual(['values[0].prometheus.prometheusSpec.retention: "6h" → "12h"']);
  });

  it('reads YAML Helm values and ConfigMap entries named *.yaml', () => {
    const queues = (vcore: string) =>
      dump({
        partitions: [
          {
            name: 'default',
            queues: [
              {
                name: 'root',
                queues: [
                  { name: 'team-a', resources: { max: { vcore } } },
                  { name: 'team-b', resources: { max: { vcore: '100' } } },
                ],
              },
            ],
          },
        ],
      });
    const changes = valueDiff(
      { data: { 'queues.yaml': queues('1200') } },
      { data: { 'queues.yaml': queues('1400') } },
      { kind: 'ConfigMap' },
    );
    expect(printed(changes)).toEqual([
      `data['queues.yaml'].partitions[name=default].queues[name=root].queues[name=team-a].resources.max.vcore: "1200" → "1400"`,
    ]);
    expect(
      printed(
        valueDiff(
          { values: ['a: 1\nb: [x]\n'] },
          { values: ['a: 2\nb: [x, y]\n'] },
          { kind: 'helm_release' },
        ),
      ),
    ).toEqual(['values[0].a: 1 → 2', 'values[0].b: ["x"] → ["x","y"]']);
  });

  it('reads JSON strings anywhere: a JobRun configurationOverrides, an IAM policy', () => {
    const overrides = (memory: string) =>
      JSON.stringify({
        applicationConfiguration: [
          { classification: 'spark-defaults', properties: { 'spark.executor.memory': memory } },
        ],
      });
    expect(
      printed(
        valueDiff(
          { spec: { configurationOverrides: overrides('4g') } },
          { spec: { configurationOverrides: overrides('8g') } },
          { kind: 'JobRun' },
        ),
      ),
    ).toEqual([
      `spec.configurationOverrides.applicationConfiguration[0].properties['spark.executor.memory']: "4g" → "8g"`,
    ]);
    const policy = (actions: string[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          { Sid: 'Write', Effect: 'Allow', Action: actions, Resource: 'arn:aws:s3:::b/*' },
        ],
      });
    expect(
      printed(
        valueDiff(
          { policy: policy(['s3:PutObject']) },
          { policy: policy(['s3:PutObject', 's3:DeleteObject']) },
          { kind: 'aws_iam_role_policy' },
        ),
      ),
    ).toEqual(['policy.Statement[Sid=Write].Action: ["s3:PutObject"] → ["s3:PutObject","s3:DeleteObject"]']);
  });

  it('falls back to a line diff for a document that does not parse, never to two truncated strings', () => {
    const broken = (retention: string) => `{"prometheus": {\n  "retention": "${retention}",\n  "broken": \n}`;
    const changes = valueDiff(
      { values: [broken('6h')] },
      { values: [broken('12h')] },
      { kind: 'helm_release' },
    );
    expect(printed(changes)).toEqual([
      'values[0]: text changed (+1 -1 lines)',
      '    {"prometheus": {',
      '  -   "retention": "6h",',
      '  +   "retention": "12h",',
      '      "broken":',
      '    }',
    ]);
    // One long line that is not a document: the difference stays visible on both sides.
    const long = (word: string) => `${'a'.repeat(60)} ${word} ${'z'.repeat(60)}`;
    expect(printed(valueDiff({ command: long('before') }, { command: long('after') }))).toEqual([
      `command: …${'a'.repeat(23)} before ${'z'.repeat(23)}… → …${'a'.repeat(23)} after ${'z'.repeat(23)}…`,
    ]);
  });

  it('shows data that is only written differently as a line diff', () => {
    const changes = valueDiff(
      { data: { 'x.yaml': 'a: 1\nb: 2\n' } },
      { data: { 'x.yaml': 'b: 2\na: 1\n' } },
      { kind: 'ConfigMap' },
    );
    expect(printed(changes)).toEqual([
      "data['x.yaml']: text changed (+1 -1 lines)",
      '  - a: 1',
      '    b: 2',
      '  + a: 1',
      '',
    ]);
  });

  it('diffs a script line by line with context and skip markers', () => {
    const script = (line: string) => [
      'import sys',
      ...Array.from({ length: 8 }, (_, i) => `step(${i})`),
      line,
      'done()',
    ];
    const changes = valueDiff(
      { data: { 'job.py': script('print(1)').join('\n') } },
      { data: { 'job.py': script('print(2)').join('\n') } },
      { kind: 'ConfigMap' },
    );
    expect(printed(changes)).toEqual([
      "data['job.py']: text changed (+1 -1 lines)",
      '  … 7 unchanged lines',
      '    step(6)',
      '    step(7)',
      '  - print(1)',
      '  + print(2)',
      '    done()',
    ]);
  });
});

describe('list items are matched by identity, not position', () => {
  const container = (name: string, image = 'spark:3.5') => ({ name, image });

  it('shows a container inserted at the top as one added item', () => {
    const changes = valueDiff(
      { spec: { containers: [container('driver'), container('logger')] } },
      { spec: { containers: [container('init', 'busybox:1.37'), container('driver'), container('logger')] } },
    );
    expect(printed(changes)).toEqual([
      'spec.containers[name=init]: (absent) → {"name":"init","image":"busybox:1.37"}',
    ]);
  });

  it('keys env by name, volumes by name, requirements and taints by key, statements by Sid', () => {
    expect(
      printed(
        valueDiff(
          {
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          {
            env: [
              { name: 'Z', value: '0' },
              { name: 'A', value: '1' },
              { name: 'B', value: '3' },
            ],
          },
        ),
      ),
    ).toEqual(['env[name=Z]: (absent) → {"name":"Z","value":"0"}', 'env[name=B].value: "2" → "3"']);
    const requirement = (key: string, values: string[]) => ({ key, operator: 'In', values });
    expect(
      printed(
        valueDiff(
          { requirements: [requirement('arch', ['amd64']), requirement('zone', ['a', 'b'])] },
          {
            requirements: [
              requirement('capacity', ['spot']),
              requirement('arch', ['amd64']),
              requirement('zone', ['a']),
            ],
          },
        ),
      ),
    ).toEqual([
      'requirements[key=capacity]: (absent) → {"key":"capacity","operator":"In","values":["spot"]}',
      'requirements[key=zone].values: ["a","b"] → ["a"]',
    ]);
    expect(
      printed(
        valueDiff(
          { Statement: [{ Sid: 'A', Action: 'x' }] },
          {
            Statement: [
              { Sid: 'B', Action: 'y' },
              { Sid: 'A', Action: 'z' },
            ],
          },
        ),
      ),
    ).toEqual([
      'Statement[Sid=B]: (absent) → {"Sid":"B","Action":"y"}',
      'Statement[Sid=A].Action: "x" → "z"',
    ]);
  });

  it('reports a reordering of identified items once', () => {
    expect(
      printed(valueDiff({ env: [{ name: 'A' }, { name: 'B' }] }, { env: [{ name: 'B' }, { name: 'A' }] })),
    ).toEqual(['env (order): ["A","B"] → ["B","A"]']);
  });

  it('falls back to aligning equal items when no field identifies them (taints sharing a key)', () => {
    const taint = (effect: string) => ({ key: 'spark', value: 'true', effect });
    expect(
      printed(
        valueDiff(
          { taints: [taint('NoSchedule'), taint('NoExecute')] },
          { taints: [taint('PreferNoSchedule'), taint('NoSchedule'), taint('NoExecute')] },
        ),
      ),
    ).toEqual(['taints[0]: (absent) → {"key":"spark","value":"true","effect":"PreferNoSchedule"}']);
    expect(
      printed(
        valueDiff(
          { destinations: [{ server: 's', namespace: 'a' }] },
          {
            destinations: [
              { server: 's', namespace: 'a' },
              { server: 's', namespace: 'b' },
            ],
          },
        ),
      ),
    ).toEqual(['destinations[1]: (absent) → {"server":"s","namespace":"b"}']);
  });

  it('compares short scalar lists whole and long ones value by value', () => {
    expect(printed(valueDiff({ values: ['a', 'b'] }, { values: ['a', 'b', 'c'] }))).toEqual([
      'values: ["a","b"] → ["a","b","c"]',
    ]);
    const types = Array.from({ length: 12 }, (_, i) => `c6id.${i + 1}xlarge`);
    expect(printed(valueDiff({ values: types }, { values: ['m6id.large', ...types.slice(1)] }))).toEqual([
      'values[0]: "c6id.1xlarge" → (absent)',
      'values[0]: (absent) → "m6id.large"',
    ]);
    expect(printed(valueDiff({ values: types }, { values: [...types].reverse() }))).toHaveLength(1);
  });

  it('prints an added mapping whole when short, leaf by leaf when long', () => {
    expect(printed(valueDiff({}, { limits: { cpu: '1000' } }))).toEqual([
      'limits: (absent) → {"cpu":"1000"}',
    ]);
    const long = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`key${i}`, `a long enough value ${i}`]),
    );
    expect(printed(valueDiff({}, { labels: long }))).toHaveLength(6);
    expect(printed(valueDiff({}, { labels: long }))[0]).toBe(
      'labels.key0: (absent) → "a long enough value 0"',
    );
  });

  it('stops descending into hostile nesting and compares what is left as one value', () => {
    const deep = (leaf: string): unknown => {
      let value: unknown = leaf;
      for (let i = 0; i < 200; i++) value = { a: value };
      return value;
    };
    const changes = valueDiff(deep('x'), deep('y'));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.path.split('.').length).toBe(66);
  });
});

describe('valuePair', () => {
  it('prints short values whole and cuts long ones around the difference', () => {
    expect(valuePair('1000', '800')).toBe('"1000" → "800"');
    expect(valuePair(undefined, 3)).toBe('(absent) → 3');
    const a = `${'x'.repeat(100)}A${'y'.repeat(100)}`;
    const b = `${'x'.repeat(100)}B${'y'.repeat(100)}`;
    const [left, right] = valuePair(a, b).split(' → ');
    expect(left).not.toBe(right);
    expect(left).toContain('A');
    expect(right).toContain('B');
  });
});
