import { LuaFactory, type LuaEngine } from 'wasmoon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceHealthChecks } from '../../argocd/health-checks';
import { readDerivedSchema, readLock } from '../../validation/schema-files';

/** What an Argo CD health script returns. */
interface Health {
  readonly status: string;
  readonly message: string;
}

/**
 * A JSON value as a Lua table constructor, the way Argo CD hands the live object to a script:
 * objects become tables with string keys, arrays 1-based sequences, null nil.
 */
function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `[${toLua(key)}] = ${toLua(item)}`).join(', ')}}`;
}

let lua: LuaEngine;

beforeAll(async () => {
  lua = await new LuaFactory().createEngine();
});

afterAll(() => {
  lua.global.close();
});

function script(key: string): string {
  const source = resourceHealthChecks[key];
  if (source === undefined) throw new Error(`no health check ${key}`);
  return source;
}

/** Runs a health script with `obj` set to `object`, as Argo CD does. */
async function health(key: string, object: unknown): Promise<Health> {
  await lua.doString(`obj = ${toLua(object)}`);
  return (await lua.doString(script(key))) as Health;
}

const JOB_RUN = 'emrcontainers.services.k8s.aws_JobRun';
const VIRTUAL_CLUSTER = 'emrcontainers.services.k8s.aws_VirtualCluster';
const APPLICATION = 'argoproj.io_Application';

const condition = (type: string, status: string, message?: string) => ({
  type,
  status,
  lastTransitionTime: '2026-08-01T00:00:00Z',
  ...(message === undefined ? {} : { message }),
});
const synced = condition('ACK.ResourceSynced', 'True');
const ackMetadata = { ownerAccountID: '111122223333', region: 'us-west-2' };

function jobRun(status?: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'JobRun',
    metadata: { name: 'taxi-0123abcd', namespace: 'emr-data-team-a' },
    spec: { name: 'taxi-0123abcd', releaseLabel: 'emr-7.12.0-latest' },
    ...(status === undefined ? {} : { status }),
  };
}

function virtualCluster(status?: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'emrcontainers.services.k8s.aws/v1alpha1',
    kind: 'VirtualCluster',
    metadata: { name: 'emr-eks-karpenter-emr-data-team-a', namespace: 'emr-data-team-a' },
    spec: { name: 'emr-eks-karpenter-emr-data-team-a' },
    ...(status === undefined ? {} : { status }),
  };
}

describe('resourceHealthChecks', () => {
  it('has one entry per kind, keyed <group>_<Kind>, without wildcards', () => {
    expect(Object.keys(resourceHealthChecks).sort()).toEqual([APPLICATION, JOB_RUN, VIRTUAL_CLUSTER]);
    for (const key of Object.keys(resourceHealthChecks)) {
      expect(key).toMatch(/^[a-z0-9.-]+_[A-Z][A-Za-z0-9]*$/);
    }
  });

  it('uses no syntax newer than Lua 5.1 (Argo CD runs gopher-lua)', () => {
    for (const source of Object.values(resourceHealthChecks)) {
      expect(source).not.toMatch(/\bgoto\b|\/\/|<<|>>|&|\|/);
      expect(source.replace(/~=/g, '')).not.toMatch(/~/);
    }
  });
});

describe('JobRun health', () => {
  it.each([
    ['PENDING', 'Progressing'],
    ['SUBMITTED', 'Progressing'],
    ['RUNNING', 'Progressing'],
    ['CANCEL_PENDING', 'Progressing'],
    ['COMPLETED', 'Healthy'],
    ['FAILED', 'Degraded'],
    ['CANCELLED', 'Degraded'],
  ])('state %s is %s', async (state, status) => {
    const result = await health(
      JOB_RUN,
      jobRun({ ackResourceMetadata: ackMetadata, conditions: [synced], id: '000000036abc', state }),
    );
    expect(result).toEqual({ status, message: expect.stringContaining(state.toLowerCase()) as string });
  });

  it('is Progressing before the controller has written any status', async () => {
    expect(await health(JOB_RUN, jobRun())).toEqual({
      status: 'Progressing',
      message: 'Waiting for the ACK controller to submit the job run',
    });
    expect((await health(JOB_RUN, jobRun({ conditions: [] }))).status).toBe('Progressing');
  });

  it('shows why the controller is retrying while it has no state', async () => {
    const recoverable = condition('ACK.Recoverable', 'True', 'AccessDeniedException: not authorized');
    expect(await health(JOB_RUN, jobRun({ conditions: [recoverable] }))).toEqual({
      status: 'Progressing',
      message: 'AccessDeniedException: not authorized',
    });
  });

  it('is Degraded on ACK.Terminal, whatever the state says', async () => {
    const terminal = condition('ACK.Terminal', 'True', 'ValidationException: release label not found');
    expect(await health(JOB_RUN, jobRun({ conditions: [synced, terminal], state: 'RUNNING' }))).toEqual({
      status: 'Degraded',
      message: 'ValidationException: release label not found',
    });
    expect((await health(JOB_RUN, jobRun({ conditions: [condition('ACK.Terminal', 'True')] }))).status).toBe(
      'Degraded',
    );
  });

  it('ignores an ACK.Terminal condition that is not True', async () => {
    const cleared = condition('ACK.Terminal', 'False');
    expect((await health(JOB_RUN, jobRun({ conditions: [cleared], state: 'COMPLETED' }))).status).toBe(
      'Healthy',
    );
  });

  it('reports a state it does not know as Unknown', async () => {
    expect(await health(JOB_RUN, jobRun({ state: 'HIBERNATING' }))).toEqual({
      status: 'Unknown',
      message: 'Unknown job run state HIBERNATING',
    });
  });
});

describe('VirtualCluster health', () => {
  it('is Progressing until ACK has created it', async () => {
    expect(await health(VIRTUAL_CLUSTER, virtualCluster())).toEqual({
      status: 'Progressing',
      message: 'Waiting for the ACK controller to create the virtual cluster',
    });
    const notSynced = condition('ACK.ResourceSynced', 'False');
    expect((await health(VIRTUAL_CLUSTER, virtualCluster({ conditions: [notSynced] }))).status).toBe(
      'Progressing',
    );
    // Synced but without an id: the create call has not returned yet.
    expect((await health(VIRTUAL_CLUSTER, virtualCluster({ conditions: [synced] }))).status).toBe(
      'Progressing',
    );
  });

  it('is Healthy once created in EMR and synced', async () => {
    expect(
      await health(
        VIRTUAL_CLUSTER,
        virtualCluster({ ackResourceMetadata: ackMetadata, conditions: [synced], id: 'abc123def456' }),
      ),
    ).toEqual({ status: 'Healthy', message: 'Virtual cluster abc123def456 created' });
  });

  it('is Degraded on ACK.Terminal', async () => {
    const terminal = condition('ACK.Terminal', 'True', 'namespace is not registered for EMR');
    expect(await health(VIRTUAL_CLUSTER, virtualCluster({ conditions: [terminal], id: 'abc' }))).toEqual({
      status: 'Degraded',
      message: 'namespace is not registered for EMR',
    });
  });

  it.each([
    ['RUNNING', 'Healthy'],
    ['TERMINATED', 'Degraded'],
    ['ARRESTED', 'Degraded'],
    ['TERMINATING', 'Progressing'],
  ])('reads status.state %s as %s where a controller reports it', async (state, status) => {
    expect(
      (await health(VIRTUAL_CLUSTER, virtualCluster({ conditions: [synced], id: 'a', state }))).status,
    ).toBe(status);
  });
});

describe('Application health', () => {
  it.each(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing'])(
    'passes the child application health %s through',
    async (status) => {
      const app = { kind: 'Application', metadata: { name: 'storage' }, status: { health: { status } } };
      expect(await health(APPLICATION, app)).toEqual({ status, message: `Application is ${status}` });
    },
  );

  it('is Progressing while the child application has no health yet', async () => {
    expect((await health(APPLICATION, { kind: 'Application', metadata: { name: 'storage' } })).status).toBe(
      'Progressing',
    );
  });
});

describe('status fields the scripts read', () => {
  /** The `status` properties of a pinned ACK CRD (its derived schema in validation/schemas). */
  function statusFields(file: string): string[] {
    const entry = readLock().find((e) => e.path === `crds/${file}`);
    if (entry === undefined) throw new Error(`${file} is not in schemas.lock.json`);
    const crd = readDerivedSchema(entry);
    if (crd.type !== 'crd') throw new Error(`${file} is not a CRD`);
    const version = Object.values(crd.versions)[0];
    if (version === undefined) throw new Error(`${file} has no version`);
    return Object.keys(version.properties?.status?.properties ?? {}).sort();
  }

  /** `obj.status.<field>` names a script reads. */
  function readFields(key: string): string[] {
    return [...new Set([...script(key).matchAll(/obj\.status\.(\w+)/g)].map((m) => m[1] ?? ''))].sort();
  }

  it('exist in the pinned CRDs (VirtualCluster status.state only for later controllers)', () => {
    const jobRun = statusFields('emrcontainers.services.k8s.aws_jobruns.yaml');
    const vc = statusFields('emrcontainers.services.k8s.aws_virtualclusters.yaml');
    expect(readFields(JOB_RUN).filter((field) => !jobRun.includes(field))).toEqual([]);
    expect(readFields(VIRTUAL_CLUSTER).filter((field) => !vc.includes(field))).toEqual(['state']);
    expect(vc).toEqual(['ackResourceMetadata', 'conditions', 'id']);
  });
});

describe('JobRun health: where the logs are', () => {
  const annotated = (status: Record<string, unknown>, s3 = true): Record<string, unknown> => ({
    ...jobRun(status),
    metadata: {
      name: 'taxi-0123abcd',
      namespace: 'emr-data-team-a',
      annotations: {
        'emr-eks-gitops/log-group': '/emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a',
        'emr-eks-gitops/log-stream-prefix': 'taxi',
        ...(s3 ? { 'emr-eks-gitops/log-uri': 's3://team-a-bucket/logs/' } : {}),
      },
    },
  });
  const arn =
    'arn:aws:emr-containers:us-west-2:111122223333:/virtualclusters/vc0123abcd/jobruns/000000036abc';

  it('names the log group, this run’s streams and S3 prefix, and the tail command of a failed run', async () => {
    const result = await health(
      JOB_RUN,
      annotated({
        ackResourceMetadata: { ...ackMetadata, arn },
        conditions: [synced],
        id: '000000036abc',
        state: 'FAILED',
      }),
    );
    expect(result).toEqual({
      status: 'Degraded',
      message:
        'Job run failed; logs: CloudWatch /emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a, streams taxi/vc0123abcd/jobs/000000036abc/, ' +
        's3://team-a-bucket/logs/vc0123abcd/jobs/000000036abc/; open: aws logs tail /emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a ' +
        '--region us-west-2 --since 1d --log-stream-name-prefix taxi/vc0123abcd/jobs/000000036abc',
    });
  });

  it('leaves out the S3 prefix of a job that ships no logs to S3', async () => {
    const result = await health(
      JOB_RUN,
      annotated(
        { ackResourceMetadata: { ...ackMetadata, arn }, conditions: [synced], state: 'CANCELLED' },
        false,
      ),
    );
    expect(result.message).not.toContain('s3://');
    expect(result.message).toContain('streams taxi/vc0123abcd/jobs/000000036abc/');
  });

  it('names the log group and prefix with placeholders before EMR has given the run an ARN', async () => {
    const result = await health(JOB_RUN, annotated({ conditions: [synced], state: 'SUBMITTED' }));
    expect(result.status).toBe('Progressing');
    expect(result.message).toContain('streams taxi/<virtual cluster id>/jobs/<job run id>/');
    expect(result.message).not.toContain('aws logs tail');
  });

  it('says only the state for a JobRun without log annotations', async () => {
    expect(
      await health(JOB_RUN, jobRun({ ackResourceMetadata: { ...ackMetadata, arn }, state: 'FAILED' })),
    ).toEqual({
      status: 'Degraded',
      message: 'Job run failed',
    });
  });

  it('reads the annotation keys the JobRuns carry', () => {
    for (const key of [
      'emr-eks-gitops/log-group',
      'emr-eks-gitops/log-stream-prefix',
      'emr-eks-gitops/log-uri',
    ])
      expect(script(JOB_RUN)).toContain(`"${key}"`);
  });
});
