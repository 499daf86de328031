import { describe, expect, it } from 'vitest';
import { jobSchema, type JobInput } from '../../config/jobs';
import { effectiveJob } from '../../model/effective-job';
import { sparkPodTemplate } from '../../manifests/constructs/spark-pod-template';
import { yunikornQueues } from '../../manifests/constructs/yunikorn-queues';
import { sparkPodRequest } from '../../manifests/jobs/spark-resources';
import { taskGroups, type TaskGroup } from '../../manifests/jobs/task-groups';
import { jobRuns, loaded, sparkDefaultsOf, teamObjects } from './helpers';

const env = loaded();
const team = env.teams[0]!;
const memoryPool = env.nodePools.find((p) => p.name === 'spark-memory-optimized')!;

/** A job of team a with the given definition (team defaults apply). */
function job(input: Partial<JobInput>) {
  return effectiveJob(
    env,
    team,
    jobSchema.parse({ name: 'probe', script: 'jobs/emr-data-team-a/taxi-trip.py', ...input }),
  );
}

const templates = (pool = memoryPool) => ({
  driver: sparkPodTemplate({ pool, variant: 'nvme', role: 'driver' }),
  executor: sparkPodTemplate({ pool, variant: 'nvme', role: 'executor' }),
});

describe('Spark pod requests', () => {
  it.each([
    ['PySpark, 4g: overhead 0.4 × heap', {}, 'executor', 1, 4096 + 1638],
    [
      'a jar, 4g: overhead 0.1 × heap',
      { script: 'local:///usr/lib/spark/examples/jars/spark-examples.jar' },
      'executor',
      1,
      4096 + 409,
    ],
    [
      'PySpark, 1g: overhead 0.4 × heap above the floor',
      { driver: { memory: '1g' } },
      'driver',
      1,
      1024 + 409,
    ],
    [
      'a jar, 1g: the 384 MiB floor',
      { script: 'local:///opt/app.jar', driver: { memory: '1g' } },
      'driver',
      1,
      1024 + 384,
    ],
    [
      'an explicit overhead',
      { executor: { memory: '8g', memoryOverhead: '1g' } },
      'executor',
      1,
      8192 + 1024,
    ],
    [
      'a configured factor',
      { sparkConf: { 'spark.executor.memoryOverheadFactor': '0.2' } },
      'executor',
      1,
      4096 + 819,
    ],
    [
      'PySpark worker memory',
      { sparkConf: { 'spark.executor.pyspark.memory': '512m' } },
      'executor',
      1,
      4096 + 1638 + 512,
    ],
    [
      'a CPU request below the cores',
      { sparkConf: { 'spark.kubernetes.executor.request.cores': '500m' } },
      'executor',
      0.5,
      4096 + 1638,
    ],
  ] as const)('%s', (_name, input, role, cpu, memoryMiB) => {
    const request = sparkPodRequest(job(input), role);
    expect(request.cpu).toBe(cpu);
    expect(request.memoryMiB).toBe(memoryMiB);
  });
});

describe('YuniKorn task groups', () => {
  const gang = job({ nodePool: 'spark-memory-optimized', gangScheduling: { enabled: true } });
  const { driver, executor } = templates();
  const groups = taskGroups(gang, driver, executor);

  it('reserve one driver and exactly the executors the job runs, not ten times as many', () => {
    expect(groups.map((g) => [g.name, g.minMember])).toEqual([
      ['spark-driver', 1],
      ['spark-executor', 2],
    ]);
    const six = taskGroups(
      job({ gangScheduling: { enabled: true }, executor: { instances: 6 } }),
      driver,
      executor,
    );
    expect(six[1]?.minMember).toBe(6);
    const dynamic = taskGroups(
      job({ gangScheduling: { enabled: true }, dynamicAllocation: { minExecutors: 3, maxExecutors: 10 } }),
      driver,
      executor,
    );
    expect(dynamic[1]?.minMember).toBe(3);
  });

  it("reserve the whole real pod: Spark with memory overhead, EMR's logging container, init containers", () => {
    // Spark: 1 core, 4096Mi + 1638Mi overhead; logging container: 100m, 512Mi; the init
    // container (100m, 64Mi) runs before them, so the pod's effective request is their sum.
    expect(groups.map((g) => g.minResource)).toEqual([
      { cpu: '1100m', memory: '6246Mi' },
      { cpu: '1100m', memory: '6246Mi' },
    ]);
    const big = taskGroups(
      job({
        gangScheduling: { enabled: true },
        driver: { cores: 2, memory: '8g' },
        executor: { cores: 4, memory: '16g' },
      }),
      driver,
      executor,
    );
    expect(big.map((g) => g.minResource)).toEqual([
      { cpu: '2100m', memory: `${8192 + 3276 + 512}Mi` },
      { cpu: '4100m', memory: `${16384 + 6553 + 512}Mi` },
    ]);
  });

  it('count an init container where it is the largest part of the pod', () => {
    const executor = templates().executor;
    const heavyInit = {
      ...executor,
      spec: {
        ...executor.spec,
        initContainers: [{ name: 'warm-up', resources: { requests: { cpu: '3', memory: '20Gi' } } }],
      },
    };
    const [, group] = taskGroups(gang, templates().driver, heavyInit);
    expect(group?.minResource).toEqual({ cpu: '3', memory: `${20 * 1024}Mi` });
  });

  it('carry the nodeSelector and tolerations of the pod templates the real pods use', () => {
    expect(groups[0]).toMatchObject({
      nodeSelector: driver.spec.nodeSelector,
      tolerations: driver.spec.tolerations,
    });
    expect(groups[1]).toMatchObject({
      nodeSelector: executor.spec.nodeSelector,
      tolerations: executor.spec.tolerations,
    });
    expect(groups[0]?.nodeSelector).toEqual({
      NodeGroupType: 'SparkMemoryOptimized',
      'karpenter.sh/capacity-type': 'on-demand',
    });
  });

  describe('in the seed example JobRun', () => {
    const properties = sparkDefaultsOf(jobRuns(teamObjects(env)).get('taxi-yunikorn-gang'));
    const annotation = (role: string, key: string) =>
      properties[`spark.kubernetes.${role}.annotation.yunikorn.apache.org/${key}`];
    const parsed = JSON.parse(annotation('driver', 'task-groups') ?? '[]') as TaskGroup[];

    // Checked against YuniKorn's task-groups schema in conformance/yunikorn-task-groups.test.ts.
    it('put the task groups on the driver', () => {
      expect(parsed).toEqual(groups);
    });

    it('name each role its group and make the policy explicit', () => {
      expect(annotation('driver', 'task-group-name')).toBe('spark-driver');
      expect(annotation('executor', 'task-group-name')).toBe('spark-executor');
      expect(annotation('driver', 'schedulingPolicyParameters')).toBe(
        'placeholderTimeoutInSeconds=900 gangSchedulingStyle=Hard',
      );
      expect(properties['spark.kubernetes.scheduler.name']).toBe('yunikorn');
    });

    it('write the memory overhead out, so the pods request exactly what the placeholders hold', () => {
      expect(properties['spark.driver.memoryOverhead']).toBe('1638m');
      expect(properties['spark.executor.memoryOverhead']).toBe('1638m');
    });

    it("name the team's queue, which the YuniKorn config defines", () => {
      const queue = annotation('driver', 'queue');
      expect(queue).toBe('root.emr-data-team-a');
      expect(annotation('executor', 'queue')).toBe(queue);
      const root = yunikornQueues(env).partitions[0]?.queues[0];
      expect(`root.${root?.queues?.find((q) => `root.${q.name}` === queue)?.name}`).toBe(queue);
    });
  });

  it('are absent from jobs without gang scheduling', () => {
    const properties = sparkDefaultsOf(jobRuns(teamObjects(env)).get('taxi-nvme-memory'));
    expect(Object.keys(properties).filter((k) => k.includes('yunikorn'))).toEqual([]);
    expect(properties['spark.driver.memoryOverhead']).toBeUndefined();
  });
});
