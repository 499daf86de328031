import { describe, expect, it } from 'vitest';

import type { JobInput } from '../../config/jobs';
import { effectiveJob } from '../../model/effective-job';
import { loaded, platformWith, problemsOf, type EnvironmentDraft } from './helpers';
import { seedPlatformInput } from '../fixtures';

/** Team a (index 0) of the default environment, whose jobs are the seed examples. */
function teamA(env: EnvironmentDraft) {
  const team = env.teams[0];
  if (!team) throw new Error('no team a');
  return team;
}

/** The job of team a called `name`. */
function job(env: EnvironmentDraft, name: string): JobInput {
  const found = teamA(env).jobs?.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

const AT = 'environments[0].teams[0]';

describe('job definitions', () => {
  it('accept the seed examples', () => {
    expect(problemsOf(seedPlatformInput())).toEqual([]);
  });

  const bad: [string, (env: EnvironmentDraft) => void, string[]][] = [
    [
      'an unknown node pool',
      (env) => {
        job(env, 'taxi-ebs').nodePool = 'spark-gpu';
      },
      [
        `Invalid config at ${AT}.jobs[3].nodePool: "spark-gpu" names no node pool of this environment (job taxi-ebs); use one of team emr-data-team-a's pools: spark-compute-optimized, spark-memory-optimized, spark-graviton-memory-optimized.`,
      ],
    ],
    [
      'a node pool the team may not use',
      (env) => {
        teamA(env).nodePools = ['spark-compute-optimized', 'spark-memory-optimized'];
      },
      [
        `Invalid config at ${AT}.jobs[2].nodePool: "spark-graviton-memory-optimized" is not a node pool team emr-data-team-a may use (job taxi-nvme-graviton); add it to the team's nodePools or use one of spark-compute-optimized, spark-memory-optimized.`,
      ],
    ],
    [
      'a storage variant the environment does not enable',
      (env) => {
        job(env, 'taxi-ebs').storage = 'fsx-static';
      },
      [
        `Invalid config at ${AT}.jobs[3].storage: "fsx-static" is not enabled for node pool spark-compute-optimized in this environment (job taxi-ebs; enabled: nvme, ebs); enable it under storage or pick one of those.`,
      ],
    ],
    [
      'NVMe on a pool without instance-store RAID0',
      (env) => {
        env.nodePools[0]!.instanceStorePolicy = 'none';
        teamA(env).jobs = [{ name: 'etl', script: 'jobs/emr-data-team-a/taxi-trip.py' }];
      },
      [
        `Invalid config at ${AT}.jobDefaults.storage (team emr-data-team-a): "nvme" is not enabled for node pool spark-compute-optimized in this environment (job etl; enabled: ebs); enable it under storage or pick one of those.`,
      ],
    ],
    [
      'gang scheduling without YuniKorn',
      (env) => {
        env.addons = { ...env.addons, yunikorn: false };
      },
      [
        `Invalid config at ${AT}.jobs[4].gangScheduling.enabled: true needs addons.yunikorn (job taxi-yunikorn-gang is gang-scheduled by YuniKorn); enable the add-on or set gangScheduling.enabled: false.`,
      ],
    ],
    [
      'a job name too long for the JobRun name',
      (env) => {
        job(env, 'sample-pi').name = `sample-pi-${'x'.repeat(45)}`;
      },
      [
        `Invalid config at ${AT}.jobs[7].name: "sample-pi-${'x'.repeat(45)}" is longer than 54 characters, so its JobRun name <job>-<8 hex> would exceed Kubernetes' 63; shorten the job name.`,
      ],
    ],
    [
      'two jobs of a team with one name',
      (env) => {
        job(env, 'delta-merge').name = 'delta-create';
      },
      [
        `Invalid config at ${AT}.jobs[6].name: "delta-create" duplicates ${AT}.jobs[5].name; give each job of team emr-data-team-a its own name.`,
      ],
    ],
    [
      'a job name that is not a DNS label',
      (env) => {
        job(env, 'sample-pi').name = 'Sample_Pi';
      },
      [
        `Invalid config at ${AT}.jobs[7].name: "Sample_Pi" must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit).`,
      ],
    ],
    [
      'a script that does not exist',
      (env) => {
        job(env, 'delta-create').script = 'jobs/emr-data-team-a/delta-creat.py';
      },
      [
        `Invalid config at ${AT}.jobs[5].script: "jobs/emr-data-team-a/delta-creat.py" names no file in the repository (job delta-create); did you mean jobs/emr-data-team-a/delta-create.py?`,
      ],
    ],
    [
      "a script in another team's folder",
      (env) => {
        job(env, 'delta-create').script = 'jobs/emr-data-team-b/delta-create.py';
      },
      [
        `Invalid config at ${AT}.jobs[5].script: "jobs/emr-data-team-b/delta-create.py" must be a file directly in jobs/emr-data-team-a/ (such as jobs/emr-data-team-a/etl.py) or a local:/// path in the EMR image (job delta-create); did you mean jobs/emr-data-team-a/delta-create.py?`,
      ],
    ],
    [
      'an image entry point that is not an absolute path',
      (env) => {
        job(env, 'sample-pi').script = 'local://pi.py';
      },
      [
        `Invalid config at ${AT}.jobs[7].script: "local://pi.py" must be an absolute path to a file in the EMR image, such as local:///usr/lib/spark/examples/src/main/python/pi.py (job sample-pi).`,
      ],
    ],
    [
      'an unknown placeholder',
      (env) => {
        job(env, 'taxi-nvme-compute').arguments = ['{{bucket}}/in', '{{teamBucket}}/out'];
      },
      [
        `Invalid config at ${AT}.jobs[0].arguments[1]: "{{teamBucket}}/out" uses the unknown placeholder {{teamBucket}} (job taxi-nvme-compute); known: {{bucket}}, {{team}}, {{job}}, {{teamS3}}, {{artifact:<file>}}, {{input:<dataset>}}.`,
      ],
    ],
    [
      'an artifact the job does not ship',
      (env) => {
        job(env, 'delta-merge').arguments = ['{{artifact:employees-initial.csv}}', '{{teamS3}}/t/'];
      },
      [
        `Invalid config at ${AT}.jobs[6].arguments[0]: "{{artifact:employees-initial.csv}}" refers to employees-initial.csv, which is neither the script nor one of the files of job delta-merge (delta-merge.py, employees-updates.csv); add it to files.`,
      ],
    ],
    [
      'a Spark property the typed fields own',
      (env) => {
        job(env, 'taxi-ebs').sparkConf = { 'spark.executor.instances': '10' };
      },
      [
        `Invalid config at ${AT}.jobs[3].sparkConf["spark.executor.instances"]: "10" is rendered from the typed field executor.instances (job taxi-ebs); set that field instead.`,
      ],
    ],
    [
      'a sizing property the request math cannot read',
      (env) => {
        job(env, 'sample-pi').sparkConf = { 'spark.kubernetes.executor.request.cores': 'half' };
      },
      [
        `Invalid config at ${AT}.jobs[7].sparkConf["spark.kubernetes.executor.request.cores"]: "half" must be a CPU quantity such as 0.5 or 500m (job sample-pi; pod requests and YuniKorn reservations are computed from it).`,
      ],
    ],
    [
      'a fixed executor count and dynamic allocation together',
      (env) => {
        job(env, 'taxi-ebs').dynamicAllocation = { minExecutors: 1, maxExecutors: 10 };
      },
      [
        `Invalid config at ${AT}.jobs[3].executor.instances: 6 conflicts with dynamicAllocation in job taxi-ebs; set a fixed executor count or dynamic allocation, not both.`,
      ],
    ],
    [
      'dynamic allocation bounds the wrong way round',
      (env) => {
        job(env, 'taxi-nvme-compute').dynamicAllocation = { minExecutors: 8, maxExecutors: 4 };
      },
      [
        `Invalid config at ${AT}.jobs[0].dynamicAllocation.minExecutors: 8 is more than maxExecutors (4) in job taxi-nvme-compute.`,
      ],
    ],
    [
      'gang scheduling that reserves no executors',
      (env) => {
        job(env, 'taxi-yunikorn-gang').dynamicAllocation = { minExecutors: 0, maxExecutors: 4 };
      },
      [
        `Invalid config at ${AT}.jobs[4].dynamicAllocation.minExecutors: 0 reserves no executors for gang-scheduled job taxi-yunikorn-gang; set minExecutors to at least 1.`,
      ],
    ],
    [
      'a job whose built-in pool offers no scratch storage',
      (env) => {
        delete teamA(env).jobDefaults;
        env.storage = { nvme: { enabled: false }, ebs: { enabled: false } };
        teamA(env).jobs = [{ name: 'etl', script: 'jobs/emr-data-team-a/taxi-trip.py' }];
      },
      [
        `Invalid config at ${AT}.jobs[0].storage: missing is required for job etl: node pool spark-compute-optimized offers no scratch storage in this environment; enable storage.nvme or storage.ebs, or set storage on the job or jobDefaults.storage on team emr-data-team-a.`,
      ],
    ],
    [
      'a bad memory size',
      (env) => {
        job(env, 'sample-pi').executor = { memory: '2GB' };
      },
      [
        `Invalid config at ${AT}.jobs[7].executor.memory (job sample-pi): "2GB" must be a Spark memory size such as 4g or 512m.`,
      ],
    ],
    [
      'a bad release label',
      (env) => {
        job(env, 'sample-pi').releaseLabel = '7.12.0';
      },
      [
        `Invalid config at ${AT}.jobs[7].releaseLabel (job sample-pi): "7.12.0" must be an EMR release label such as emr-7.12.0-latest.`,
      ],
    ],
    [
      'a misspelled job field',
      (env) => {
        (job(env, 'sample-pi') as Record<string, unknown>).excutor = { instances: 3 };
      },
      [
        `Invalid config at ${AT}.jobs[7].excutor (job sample-pi): {"instances":3} is not a known field (check the spelling against config/schema.ts).`,
      ],
    ],
  ];

  it.each(bad)('reject %s with one sentence naming the job and the fix', (_name, change, messages) => {
    expect(problemsOf(platformWith(change))).toEqual(messages);
  });

  it('report a broken team default once, not once per job that inherits it', () => {
    const problems = problemsOf(
      platformWith((env) => {
        teamA(env).jobDefaults = { ...teamA(env).jobDefaults, nodePool: 'spark-gpu' };
      }),
    );
    expect(problems).toEqual([
      `Invalid config at ${AT}.jobDefaults.nodePool: "spark-gpu" names no node pool of this environment (the job defaults of team emr-data-team-a); use one of team emr-data-team-a's pools: spark-compute-optimized, spark-memory-optimized, spark-graviton-memory-optimized.`,
    ]);
  });

  it("run a job that names neither pool nor storage, on a team without jobDefaults, on the team's first pool with NVMe", () => {
    const input = platformWith((env) => {
      delete env.teams[1]!.jobDefaults;
      env.teams[1]!.jobs = [{ name: 'etl', script: 'local:///usr/lib/spark/examples/src/main/python/pi.py' }];
      env.teams[1]!.nodePools = ['spark-memory-optimized', 'spark-compute-optimized'];
    });
    expect(problemsOf(input)).toEqual([]);
    const env = loaded(input);
    const team = env.teams[1]!;
    const etl = effectiveJob(env, team, team.jobs[0]!);
    expect([etl.nodePool.name, etl.storage]).toEqual(['spark-memory-optimized', 'nvme']);
  });

  it('let a job choose dynamic allocation over the team default executor count', () => {
    expect(
      problemsOf(
        platformWith((env) => {
          job(env, 'taxi-nvme-compute').dynamicAllocation = { minExecutors: 1, maxExecutors: 8 };
        }),
      ),
    ).toEqual([]);
  });
});
