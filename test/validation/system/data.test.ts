import { describe, expect, it } from 'vitest';
import { REFERENCES } from '../../../scripts/chart-references';
import { chartOfPin } from '../../../scripts/system-data';
import { iamServiceActions, pinnedChartValues, valueShape } from '../../../validation/system/data';
import { unknownAction } from '../../../validation/system/iam';

describe('the committed system data (validation/system/data, npm run schemas)', () => {
  it('holds the derived values of every chart pin scripts/chart-references.ts names', () => {
    const derived = pinnedChartValues();
    // By chart name: a pin bumped in config/versions.ts (a user's change) leaves the data valid.
    expect([...derived.keys()].sort()).toEqual(Object.keys(REFERENCES).map(chartOfPin).sort());
    for (const [pin, reference] of Object.entries(REFERENCES)) {
      expect(derived.get(chartOfPin(pin))?.checkedAgainst).toEqual(reference.folders);
      expect(derived.get(chartOfPin(pin))?.values).toHaveLength(reference.folders.length);
    }
  });

  it('reduces values.yaml to key paths', () => {
    expect(valueShape({ a: { b: 'x', c: [1], d: null, e: {} }, f: true })).toEqual({
      a: { b: 0, c: [], d: null, e: {} },
      f: 0,
    });
  });

  it('knows the actions the platform uses and refuses near misses', () => {
    expect(iamServiceActions('s3')?.has('getobject')).toBe(true);
    for (const action of [
      'ec2:RunInstances',
      'sqs:ReceiveMessage',
      'iam:PassRole',
      'eks:DescribeCluster',
      'sts:AssumeRoleWithWebIdentity',
      's3:Get*',
      '*',
    ])
      expect(unknownAction(action), action).toBeUndefined();
    expect(unknownAction('s3:ListObjects')).toContain('service s3 has no action ListObjects');
    expect(unknownAction('ec2:RunInstance')).toContain('did you mean ec2:runinstances');
    expect(unknownAction('s3')).toContain('service:Action');
  });
});
