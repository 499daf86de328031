import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterSchema, environmentSchema } from '../../config/schema';
import { ROOT } from '../helpers/run';

/**
 * Config defaults are written one way: each field carries its own `.default(value)`, and an
 * object that may be left out is `.prefault({})`, so its fields' defaults fill it. A literal
 * object default repeats the fields' defaults and drifts from them.
 */
describe('config defaults', () => {
  it.each(['config/schema.ts', 'config/jobs.ts'])('%s gives no object a literal default', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const literal = [...source.matchAll(/\.default\(\s*(\{|[A-Za-z]+Schema\.parse)/g)].map((m) => {
      const line = source.slice(0, m.index).split('\n').length;
      return `${file}:${line}`;
    });
    expect(literal).toEqual([]);
  });

  it('fills a left-out object from its fields, the same as an empty one', () => {
    const cluster = {
      name: 'c',
      region: 'us-west-2',
      accountId: '111122223333',
      vpc: {
        cidr: '10.1.0.0/16',
        azs: ['us-west-2a', 'us-west-2b'],
        publicSubnets: ['10.1.0.0/24', '10.1.1.0/24'],
        privateSubnets: ['10.1.2.0/24', '10.1.3.0/24'],
        nodeSubnets: ['10.1.4.0/24', '10.1.5.0/24'],
      },
    };
    const left = clusterSchema.parse(cluster);
    const empty = clusterSchema.parse({
      ...cluster,
      vpc: { ...cluster.vpc, endpoints: {} },
      endpoint: {},
      coreNodeGroup: {},
    });
    expect(left).toEqual(empty);
    expect(left.vpc.endpoints).toMatchObject({ s3Gateway: true, enabled: false });
    expect(left.coreNodeGroup).toEqual({
      instanceTypes: ['m6a.xlarge'],
      minSize: 1,
      maxSize: 9,
      desiredSize: 3,
      diskSizeGiB: 100,
    });
    expect(environmentSchema.shape.storage.parse(undefined)).toEqual(
      environmentSchema.shape.storage.parse({}),
    );
  });
});
