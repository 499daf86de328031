import { describe, expect, it } from 'vitest';
import { SYNC_PHASES, syncWave } from '../../argocd/sync-waves';
import type { K8sObject } from '../../manifests/render';
import { baselineViolations } from '../../validation/kinds/pod/pod-security';
import { apps, get, objectsOf } from '../helpers/manifests';
import { environment } from '../helpers/terraform';

/**
 * Decision 20 on the Kubernetes side, on the seed fixture: each team's Spark History Server
 * (pinned image, Pod Security restricted, its own identity, reachable only from its namespace),
 * and what every JobRun adds for it: rolling event logs in the team bucket, team/job/run pod
 * labels, and the annotations that say where its logs are.
 */

const env = environment();
const rendered = apps(env);
const team = objectsOf(rendered.get('team-emr-data-team-a'));
const BUCKET = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';

type Json = Record<string, unknown>;
const podSpec = (deployment: K8sObject): Json => ((deployment.spec as Json).template as Json).spec as Json;

describe('Spark History Server', () => {
  const deployment = get(team, 'Deployment/spark-history-server');
  const spec = podSpec(deployment);
  const container = (spec.containers as Json[])[0]!;

  it('runs in every team namespace, with its own service account and IRSA role', () => {
    for (const name of ['emr-data-team-a', 'emr-data-team-b']) {
      const objects = objectsOf(rendered.get(`team-${name}`));
      expect(get(objects, 'Deployment/spark-history-server').metadata.namespace).toBe(name);
      expect(get(objects, 'ServiceAccount/spark-history-server').metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/emr-eks-karpenter-${name}-spark-history`,
      });
    }
    expect(spec.serviceAccountName).toBe('spark-history-server');
  });

  it('reads the team bucket’s spark-event-logs/ on port 18080', () => {
    const opts = (container.env as { name: string; value: string }[]).find(
      (e) => e.name === 'SPARK_HISTORY_OPTS',
    );
    expect(opts?.value).toContain(`-Dspark.history.fs.logDirectory=s3a://${BUCKET}/spark-event-logs/`);
    expect(opts?.value).toContain('-Dspark.history.ui.port=18080');
    expect(get(team, 'Service/spark-history-server').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 18080, targetPort: 'http' }],
    });
  });

  it('runs a pinned image of an allowed registry', () => {
    expect(container.image).toMatch(
      /^public\.ecr\.aws\/emr-on-eks\/spark\/emr-\d+\.\d+\.\d+(:[\w.-]+|@sha256:[0-9a-f]{64})$/,
    );
  });

  it('passes Pod Security restricted', () => {
    expect(baselineViolations(deployment.metadata as Json, spec)).toEqual([]);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    // restricted allows only these volume types.
    for (const volume of spec.volumes as Json[])
      expect(Object.keys(volume).filter((k) => k !== 'name')).toEqual(['emptyDir']);
    expect((spec.securityContext as Json).runAsUser).not.toBe(0);
  });

  it('admits its UI port from its own namespace only, and reaches HTTPS', () => {
    expect(get(team, 'NetworkPolicy/allow-spark-history-server').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'spark-history-server' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 18080 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
  });

  it('sits in the last wave, so it never holds up the jobs', () => {
    const wave = (o: K8sObject) => syncWave(o);
    const jobRun = [...team.values()].find((o) => o.kind === 'JobRun')!;
    expect(wave(deployment)).toBe(wave(jobRun));
    expect(wave(get(team, 'Service/spark-history-server'))).toBe(wave(jobRun));
    expect(wave(deployment)).toBe(SYNC_PHASES.length - 1);
  });
});

describe('JobRuns for observability', () => {
  const jobRuns = [...team.values()].filter((o) => o.kind === 'JobRun');
  const properties = (o: K8sObject): Record<string, string> =>
    (
      JSON.parse((o.spec as Json).configurationOverrides as string) as {
        applicationConfiguration: { classification: string; properties: Record<string, string> }[];
      }
    ).applicationConfiguration.find((c) => c.classification === 'spark-defaults')!.properties;

  it('write rolling event logs to the team bucket and keep EMR’s persistent UI', () => {
    expect(jobRuns.length).toBeGreaterThan(0);
    for (const jobRun of jobRuns) {
      expect(properties(jobRun)).toMatchObject({
        'spark.eventLog.enabled': 'true',
        'spark.eventLog.dir': `s3a://${BUCKET}/spark-event-logs/`,
        'spark.eventLog.rolling.enabled': 'true',
      });
      expect(
        (JSON.parse((jobRun.spec as Json).configurationOverrides as string) as Json).monitoringConfiguration,
      ).toMatchObject({
        persistentAppUI: 'ENABLED',
      });
    }
  });

  it('label driver and executor pods with the team, the job and the run', () => {
    for (const jobRun of jobRuns) {
      const job = (jobRun.metadata.labels as Record<string, string>)['emr-eks-gitops/job']!;
      const run = jobRun.metadata.name;
      for (const role of ['driver', 'executor']) {
        expect(properties(jobRun)).toMatchObject({
          [`spark.kubernetes.${role}.label.team`]: 'emr-data-team-a',
          [`spark.kubernetes.${role}.label.job`]: job,
          [`spark.kubernetes.${role}.label.run`]: run,
          [`spark.kubernetes.${role}.label.app.kubernetes.io/name`]: 'spark',
          [`spark.kubernetes.${role}.label.app.kubernetes.io/instance`]: run,
          [`spark.kubernetes.${role}.label.app.kubernetes.io/component`]: role,
          [`spark.kubernetes.${role}.label.app.kubernetes.io/part-of`]: job,
        });
      }
    }
  });

  it('say where their logs go', () => {
    const sample = get(
      team,
      'JobRun/' + jobRuns.find((o) => o.metadata.name.startsWith('sample-pi-'))!.metadata.name,
    );
    expect(sample.metadata.annotations).toMatchObject({
      'emr-eks-gitops/log-group': '/emr-on-eks-logs/emr-eks-karpenter/emr-data-team-a',
      'emr-eks-gitops/log-stream-prefix': 'sample-pi',
      'emr-eks-gitops/log-uri': `s3://${BUCKET}/logs/`,
    });
  });
});
