import { describe, expect, it } from 'vitest';
import { FindingSink } from '../../validation/findings';
import { checkObservability, driverMetricsPaths } from '../../validation/kinds/jobrun/observability';

/**
 * The JobRun checks of decision 20 on hand-written specs: Prometheus scrape annotations must name
 * an endpoint the driver serves, event logs go to the team bucket's spark-event-logs/, and the
 * team/job/run pod labels name this JobRun. The baseline is what the platform renders and passes.
 */

const BUCKET = 'emr-eks-karpenter-emr-data-team-a-111122223333-us-west-2';
const FILE = 'default/k8s/team-emr-data-team-a/emr-data-team-a/JobRun.taxi-0123abcd.yaml';

const BASELINE: Record<string, string> = {
  'spark.kubernetes.driver.podTemplateFile': `s3://${BUCKET}/artifacts/${'a'.repeat(64)}/p-nvme-driver.yaml`,
  'spark.ui.prometheus.enabled': 'true',
  'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
  'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics/executors/prometheus/',
  'spark.kubernetes.driver.annotation.prometheus.io/port': '4040',
  'spark.kubernetes.driver.service.annotation.prometheus.io/scrape': 'true',
  'spark.kubernetes.driver.service.annotation.prometheus.io/path': '/metrics/driver/prometheus/',
  'spark.kubernetes.driver.service.annotation.prometheus.io/port': '4040',
  'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
  'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/driver/prometheus/',
  'spark.eventLog.enabled': 'true',
  'spark.eventLog.dir': `s3a://${BUCKET}/spark-event-logs/`,
  'spark.eventLog.rolling.enabled': 'true',
  'spark.kubernetes.driver.label.team': 'emr-data-team-a',
  'spark.kubernetes.driver.label.job': 'taxi',
  'spark.kubernetes.driver.label.run': 'taxi-0123abcd',
  'spark.kubernetes.executor.label.team': 'emr-data-team-a',
  'spark.kubernetes.executor.label.job': 'taxi',
  'spark.kubernetes.executor.label.run': 'taxi-0123abcd',
  'spark.kubernetes.executor.label.app.kubernetes.io/instance': 'taxi-0123abcd',
};

function spec(properties: Record<string, string>, submit = ''): Record<string, unknown> {
  return {
    name: 'taxi-0123abcd',
    tags: { team: 'emr-data-team-a', job: 'taxi' },
    jobDriver: { sparkSubmitJobDriver: { entryPoint: 's3://x/taxi.py', sparkSubmitParameters: submit } },
    configurationOverrides: JSON.stringify({
      applicationConfiguration: [{ classification: 'spark-defaults', properties }],
    }),
  };
}

function check(
  changes: Record<string, string | undefined>,
  submit = '',
): { rule: string; message: string }[] {
  const properties = { ...BASELINE };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete properties[key];
    else properties[key] = value;
  }
  const sink = new FindingSink();
  checkObservability(sink, FILE, spec(properties, submit));
  return sink.findings.map(({ rule, message }) => ({ rule, message }));
}

describe('checkObservability', () => {
  it('passes what the platform renders', () => {
    expect(check({})).toEqual([]);
  });

  it('knows the paths the driver serves from the conf', () => {
    const conf = new Map(Object.entries(BASELINE));
    expect(driverMetricsPaths(conf).sort()).toEqual([
      '/metrics/driver/prometheus',
      '/metrics/executors/prometheus',
    ]);
    conf.delete('spark.ui.prometheus.enabled');
    expect(driverMetricsPaths(conf)).toEqual(['/metrics/driver/prometheus']);
  });

  it.each([
    [
      'a path nothing serves',
      { 'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics/prometheus/' },
      'a path the driver does not serve',
    ],
    [
      'the executors endpoint with spark.ui.prometheus.enabled off',
      { 'spark.ui.prometheus.enabled': 'false' },
      '"/metrics/executors/prometheus/", a path the driver does not serve',
    ],
    [
      'the servlet path without its sink class',
      { 'spark.metrics.conf.*.sink.prometheusServlet.class': undefined },
      '"/metrics/driver/prometheus/", a path the driver does not serve',
    ],
    [
      'another port than the UI',
      { 'spark.kubernetes.driver.service.annotation.prometheus.io/port': '8090' },
      'is "8090", but the driver serves its UI and metrics on port 4040',
    ],
    ['a moved UI port', { 'spark.ui.port': '4041' }, 'on port 4041 (spark.ui.port)'],
    ['a scrape with the UI off', { 'spark.ui.enabled': 'false' }, 'spark.ui.enabled is false'],
    [
      'a scrape annotation on executors',
      { 'spark.kubernetes.executor.annotation.prometheus.io/scrape': 'true' },
      'executors serve no HTTP endpoint',
    ],
  ])('refuses %s', (_name, changes, message) => {
    const found = check(changes);
    expect(found.map((f) => f.rule)).toContain('jobrun.scrape-endpoint');
    expect(found.map((f) => f.message).join('\n')).toContain(message);
  });

  it('reads annotations set in sparkSubmitParameters too', () => {
    const found = check({}, '--conf spark.kubernetes.driver.annotation.prometheus.io/port=9999');
    expect(found).toHaveLength(1);
    expect(found[0]?.rule).toBe('jobrun.scrape-endpoint');
  });

  it('refuses event logs outside the team bucket’s spark-event-logs/', () => {
    expect(check({ 'spark.eventLog.dir': 's3a://other-bucket/spark-event-logs/' })).toEqual([
      {
        rule: 'jobrun.event-log',
        message: expect.stringContaining(`not s3a://${BUCKET}/spark-event-logs/`) as string,
      },
    ]);
    expect(check({ 'spark.eventLog.dir': `s3a://${BUCKET}/logs/` })[0]?.rule).toBe('jobrun.event-log');
    expect(check({ 'spark.eventLog.rolling.enabled': undefined })[0]?.rule).toBe('jobrun.event-log');
    expect(check({ 'spark.eventLog.enabled': 'false', 'spark.eventLog.dir': 'file:///tmp' })).toEqual([]);
  });

  it('refuses team, job and run labels that name another JobRun', () => {
    for (const [key, value] of [
      ['spark.kubernetes.driver.label.team', 'emr-data-team-b'],
      ['spark.kubernetes.executor.label.job', 'other'],
      ['spark.kubernetes.executor.label.run', 'taxi-ffffffff'],
      ['spark.kubernetes.executor.label.app.kubernetes.io/instance', 'taxi-ffffffff'],
    ] as const) {
      const found = check({ [key]: value });
      expect(found).toHaveLength(1);
      expect(found[0]).toEqual({
        rule: 'jobrun.pod-labels',
        message: expect.stringContaining(key) as string,
      });
    }
  });
});
