import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlatform } from '../../config/load';
import { inputDataKeys, inputDataUri } from '../../config/naming';
import type { Environment } from '../../config/schema';
import { syncWave } from '../../argocd/sync-waves';
import { sha256 } from '../../lib/hash';
import type { K8sObject } from '../../manifests/render';
import { apps, objectsOf } from '../helpers/manifests';
import { environment } from '../helpers/terraform';
import { seedEnvironmentInput } from '../fixtures';

/** The seed's input data (team a's `nyc-taxi`). */
const nycTaxiInput = seedEnvironmentInput().teams[0]!.inputData![0]!;

/** The parts of the rendered Job this test reads. */
interface SeedJob {
  readonly metadata: K8sObject['metadata'];
  readonly spec: {
    readonly template: {
      readonly spec: {
        readonly containers: readonly {
          readonly command: readonly string[];
          readonly env: readonly { name: string; value: string }[];
          readonly resources: unknown;
          readonly securityContext: unknown;
        }[];
        readonly volumes: readonly unknown[];
      } & Record<string, unknown>;
    };
  };
}

const env = environment();
const team = env.teams[0]!;
const objects = [...objectsOf(apps(env).get('team-emr-data-team-a')).values()];
const seedJob = (list: readonly K8sObject[]) =>
  list.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('seed-input-data-')) as
    (K8sObject & SeedJob) | undefined;
const job = seedJob(objects)!;
const container = job.spec.template.spec.containers[0]!;
const script = container.command[2]!;

const sandbox = mkdtempSync(join(tmpdir(), 'seed-input-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/**
 * Runs the rendered script with fake `aws` (an S3 bucket in a folder) and `curl` (serves a file),
 * as the container would: `sh -c`, the container's environment, a scratch folder for $WORK.
 */
function runScript(options: { existing?: readonly string[]; body?: string; text?: string }) {
  const root = mkdtempSync(join(sandbox, 'run-'));
  const bucket = join(root, 'bucket');
  const bin = join(root, 'bin');
  const work = join(root, 'work');
  for (const dir of [bucket, bin, work]) mkdirSync(dir);
  for (const key of options.existing ?? []) {
    mkdirSync(join(bucket, key, '..'), { recursive: true });
    writeFileSync(join(bucket, key), 'old');
  }
  writeFileSync(
    join(bin, 'aws'),
    [
      '#!/bin/sh',
      `echo "aws $*" >> ${root}/calls`,
      'case "$1 $2" in',
      `  "s3api head-object") [ -f "${bucket}/$6" ] ;;`,
      `  "s3 cp") key=\${5#s3://$BUCKET/}; mkdir -p "$(dirname "${bucket}/$key")"; cp "$4" "${bucket}/$key" ;;`,
      '  *) exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(bin, 'curl'),
    [
      '#!/bin/sh',
      `echo "curl $*" >> ${root}/calls`,
      'while [ $# -gt 1 ]; do [ "$1" = --output ] && out=$2; shift; done',
      `printf %s '${options.body ?? 'parquet bytes'}' > "$out"`,
      '',
    ].join('\n'),
  );
  for (const tool of ['aws', 'curl']) chmodSync(join(bin, tool), 0o755);
  const containerEnv = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  const run = spawnSync('/bin/sh', ['-c', options.text ?? script], {
    env: { ...containerEnv, WORK: work, PATH: `${bin}:/usr/bin:/bin` },
    encoding: 'utf8',
  });
  const calls = existsSync(join(root, 'calls')) ? readFileSync(join(root, 'calls'), 'utf8') : '';
  return { run, bucket, calls, work };
}

describe('input seeding Job', () => {
  const keys = inputDataKeys(team.inputData[0]!);

  it('comes in the wave after the namespace config and before the JobRuns', () => {
    const jobRuns = objects.filter((o) => o.kind === 'JobRun');
    expect(jobRuns.length).toBeGreaterThan(0);
    for (const run of jobRuns) expect(syncWave(job)).toBeLessThan(syncWave(run));
    const account = objects.find(
      (o) => o.kind === 'ServiceAccount' && o.metadata.name === 'emr-input-seeder',
    )!;
    expect(syncWave(account)).toBeLessThan(syncWave(job));
    expect(account.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn':
        'arn:aws:iam::111122223333:role/emr-eks-karpenter-emr-data-team-a-input-seeder',
    });
    expect(account.automountServiceAccountToken).toBe(true);
  });

  it('runs as its own non-root service account with a read-only root filesystem', () => {
    expect(job.spec.template.spec).toMatchObject({
      serviceAccountName: 'emr-input-seeder',
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    // Every resource the team's ResourceQuota names is set.
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { memory: '512Mi' },
    });
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'work', emptyDir: { sizeLimit: '320Mi' } });
  });

  it('puts ten copies where {{input:nyc-taxi}} points, under a versioned prefix', () => {
    expect(keys).toHaveLength(10);
    const prefix = inputDataUri(env, team, team.inputData[0]!).replace(/^s3:\/\/[^/]+\//, '');
    for (const key of keys) expect(key.startsWith(prefix)).toBe(true);
    expect(keys[0]).toMatch(/^inputs\/nyc-taxi\/[0-9a-f]{16}\/part-01-yellow_tripdata_2022-01\.parquet$/);
    expect(container.env).toContainEqual({
      name: 'BUCKET',
      value: 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2',
    });
  });

  it('downloads once over https only and copies every missing key', () => {
    const { run, bucket, calls } = runScript({});
    expect(run.status, run.stderr).toBe(0);
    for (const key of keys) expect(readFileSync(join(bucket, key), 'utf8')).toBe('parquet bytes');
    expect(calls.match(/^curl /gm)).toHaveLength(1);
    expect(calls).toContain('--proto =https --proto-redir =https');
    expect(calls).toContain(`--max-filesize ${256 * 1024 * 1024}`);
    expect(run.stdout).toContain(
      `seeded s3://emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2/${keys[9]}`,
    );
  });

  it('is idempotent: with every copy present it downloads nothing', () => {
    const { run, calls } = runScript({ existing: keys });
    expect(run.status, run.stderr).toBe(0);
    expect(calls).not.toMatch(/^curl /m);
    expect(calls).not.toMatch(/s3 cp/);
    expect(run.stdout.match(/^present /gm)).toHaveLength(10);
  });

  it('copies only what is missing after an interrupted run', () => {
    const { run, bucket, calls } = runScript({ existing: keys.slice(0, 7) });
    expect(run.status, run.stderr).toBe(0);
    expect(calls.match(/s3 cp/g)).toHaveLength(3);
    expect(readFileSync(join(bucket, keys[0]!), 'utf8')).toBe('old');
    expect(readFileSync(join(bucket, keys[9]!), 'utf8')).toBe('parquet bytes');
  });

  it('refuses a download whose SHA-256 differs from the pinned one, and copies nothing', () => {
    const pinned = loadPlatform({
      environments: [
        {
          ...seedEnvironmentInput(),
          teams: seedEnvironmentInput().teams.map((t, i) =>
            i === 0 ? { ...t, inputData: [{ ...nycTaxiInput, sha256: sha256('parquet bytes') }] } : t,
          ),
        },
      ],
    }).environments[0] as Environment;
    const pinnedJob = seedJob([...objectsOf(apps(pinned).get('team-emr-data-team-a')).values()]);
    const pinnedScript = pinnedJob?.spec.template.spec.containers[0]?.command[2] ?? '';
    expect(pinnedScript).toContain(sha256('parquet bytes'));
    expect(runScript({ text: pinnedScript }).run.status).toBe(0);
    const tampered = runScript({ text: pinnedScript, body: 'something else' });
    expect(tampered.run.status).toBe(1);
    expect(tampered.run.stderr).toContain(`not ${sha256('parquet bytes')}`);
    expect(tampered.calls).not.toMatch(/s3 cp/);
  });

  it('is rendered only for teams that declare input data', () => {
    expect(seedJob([...objectsOf(apps(env).get('team-emr-data-team-b')).values()])).toBeUndefined();
  });
});
