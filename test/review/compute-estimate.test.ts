import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { computeEstimate, estimateText } from '../../review/compute-estimate';
import { diffTrees } from '../../review/diff';
import { allocatable, INSTANCE_CATALOG } from '../../lib/instance-catalog';

/**
 * The diff's compute estimate of a new or changed job: its pods' requests, and the nodes of its
 * pool they take (from the instance catalog), per hour of run and per day when scheduled.
 */

const POOL = 'spark-compute';
const TYPES = ['c5d.xlarge', 'c5d.2xlarge', 'c5d.4xlarge'];
const NS = 'team-x';

function spec(
  properties: Record<string, string>,
  entryPoint = 's3://bucket/artifacts/abc/etl.py',
): Record<string, unknown> {
  return {
    name: 'etl-0123abcd',
    jobDriver: { sparkSubmitJobDriver: { entryPoint } },
    configurationOverrides: JSON.stringify({
      applicationConfiguration: [
        {
          classification: 'spark-defaults',
          properties: {
            'spark.kubernetes.driver.podTemplateFile': `s3://bucket/artifacts/${'a'.repeat(64)}/${POOL}-nvme-driver.yaml`,
            ...properties,
          },
        },
        {
          classification: 'emr-containers-defaults',
          properties: { 'logging.request.cores': '100m', 'logging.request.memory': '512Mi' },
        },
      ],
    }),
  };
}

const FIXED = {
  'spark.driver.cores': '1',
  'spark.driver.memory': '2g',
  'spark.executor.cores': '2',
  'spark.executor.memory': '4g',
  'spark.executor.memoryOverhead': '1g',
  'spark.executor.instances': '6',
};

describe('computeEstimate', () => {
  it('sums the pods’ requests, Spark’s container and EMR’s logging container', () => {
    const estimate = computeEstimate(spec(FIXED), TYPES)!;
    // Python: driver overhead max(384, 0.4 × 2048) = 819 MiB; executors set 1g.
    expect(estimate.driver).toEqual({ count: 1, cpu: 1.1, memoryMiB: 2048 + 819 + 512 });
    expect(estimate.executors).toEqual({ count: 6, cpu: 2.1, memoryMiB: 4096 + 1024 + 512 });
    expect(estimate.podVcpu).toBeCloseTo(1.1 + 6 * 2.1);
    expect(estimate.podGiB).toBeCloseTo((3379 + 6 * 5632) / 1024);
    expect(estimate.upTo).toBe(false);
  });

  it('packs them on the pool’s type that needs the fewest vCPU, as whole nodes', () => {
    const estimate = computeEstimate(spec(FIXED), TYPES)!;
    for (const node of estimate.nodes) {
      const free = allocatable(INSTANCE_CATALOG.get(node.type)!);
      expect(TYPES).toContain(node.type);
      expect(free.cpu).toBeGreaterThan(0);
    }
    // The executors' nodes need no more vCPU than those of any other type of the pool would.
    const executorNodes = estimate.nodes[1]!;
    const vcpu = executorNodes.count * INSTANCE_CATALOG.get(executorNodes.type)!.vcpu;
    for (const type of TYPES) {
      const facts = INSTANCE_CATALOG.get(type)!;
      const free = allocatable(facts);
      const perNode = Math.min(Math.floor(free.cpu / 2.1), Math.floor(free.memoryMiB / 5632));
      if (perNode > 0) expect(vcpu).toBeLessThanOrEqual(Math.ceil(6 / perNode) * facts.vcpu);
    }
    expect(estimate.nodeVcpu).toBe(
      estimate.nodes.reduce((sum, n) => sum + n.count * INSTANCE_CATALOG.get(n.type)!.vcpu, 0),
    );
    expect(estimate.nodeVcpu).toBeGreaterThanOrEqual(estimate.podVcpu);
    expect(estimate.nodeGiB).toBeGreaterThanOrEqual(estimate.podGiB);
  });

  it('takes dynamic allocation’s maximum as an upper bound', () => {
    const dynamic = { ...FIXED, 'spark.executor.instances': '0' } as Record<string, string>;
    delete dynamic['spark.executor.instances'];
    const estimate = computeEstimate(
      spec({
        ...dynamic,
        'spark.dynamicAllocation.enabled': 'true',
        'spark.dynamicAllocation.maxExecutors': '10',
      }),
      TYPES,
    )!;
    expect(estimate.executors.count).toBe(10);
    expect(estimate.upTo).toBe(true);
    expect(estimateText(estimate, 'NodePool x')).toContain('up to 10 executor(s)');
  });

  it('gives per-day figures for a job that runs several times a day', () => {
    const once = computeEstimate(spec(FIXED), TYPES)!;
    expect(once.perDay).toBeUndefined();
    const daily = computeEstimate(spec(FIXED), TYPES, 24)!;
    expect(daily.perDay).toEqual({ runs: 24, vcpuHours: once.nodeVcpu * 24, gibHours: once.nodeGiB * 24 });
    expect(estimateText(daily, 'NodePool x')).toContain('at 24 run(s) a day');
  });

  it('gives none when no type of the pool holds a pod', () => {
    expect(computeEstimate(spec({ ...FIXED, 'spark.executor.memory': '200g' }), TYPES)).toBeUndefined();
    expect(computeEstimate(spec(FIXED), ['x9.unknown'])).toBeUndefined();
  });
});

describe('the diff', () => {
  const nodePool = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: POOL },
    spec: {
      template: {
        spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: TYPES }] },
      },
    },
  };
  const jobRun = {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: {
      name: 'etl-0123abcd',
      namespace: NS,
      annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
    },
    spec: spec(FIXED),
  };
  const files = (objects: [string, unknown][]) =>
    new Map(objects.map(([path, value]) => [path, dump(value)]));
  const POOL_FILE = `default/k8s/karpenter/_cluster/NodePool.${POOL}.yaml`;
  const RUN_FILE = `default/k8s/team-${NS}/${NS}/JobRun.etl-0123abcd.yaml`;

  it('notes the compute of a new job', () => {
    const report = diffTrees(
      files([[POOL_FILE, nodePool]]),
      files([
        [POOL_FILE, nodePool],
        [RUN_FILE, jobRun],
      ]),
    );
    const notice = report.warnings.find((w) => w.reason.startsWith('compute:'));
    expect(notice).toMatchObject({ severity: 'notice', subject: `JobRun ${NS}/etl-0123abcd` });
    expect(notice?.reason).toContain(`on NodePool ${POOL} that takes`);
    expect(notice?.reason).toMatch(/\d+(\.\d)? vCPU-hours and \d+(\.\d)? GiB-hours per hour of run$/);
  });

  it('says nothing of a job whose pool it cannot find', () => {
    const report = diffTrees(files([]), files([[RUN_FILE, jobRun]]));
    expect(report.warnings.filter((w) => w.reason.startsWith('compute:'))).toEqual([]);
  });
});
