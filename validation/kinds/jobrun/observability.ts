import type { FindingSink } from '../../findings';
import { asObject as obj, asString as str, type Json } from '../../../lib/json';
import { jobRunConf, type SparkConf } from './spark-conf';

/**
 * What lets a team see its jobs, checked on each rendered JobRun (decision 20):
 *
 * - `jobrun.scrape-endpoint`: every `prometheus.io/*` scrape annotation Spark puts on the driver
 *   pod, the driver service or the executors names an endpoint Spark serves with this conf. The
 *   driver's UI (`spark.ui.port`, 4040 unless set, off with `spark.ui.enabled=false`) serves
 *   `/metrics/executors/prometheus` when `spark.ui.prometheus.enabled` is true, and the
 *   PrometheusServlet sink's path (`spark.metrics.conf.<driver|*>.sink.prometheusServlet.path`)
 *   when that sink's class is set for the driver. Executors serve no HTTP endpoint at all (their
 *   metrics come through the driver), so a scrape annotation on them names nothing.
 * - `jobrun.event-log`: event logs, when on, go to `s3a://<the team bucket>/spark-event-logs/`
 *   (the bucket of the JobRun's own pod templates), rolling, where the team's history server reads.
 * - `jobrun.pod-labels`: the `team`, `job` and `run` pod labels, when set, name the JobRun's own
 *   team and job (its tags) and run (its name), so cost is never booked to another job.
 */

const SCRAPE =
  /^spark\.kubernetes\.(driver|executor)\.(service\.)?annotation\.prometheus\.io\/(scrape|port|path)$/;
const DEFAULT_UI_PORT = '4040';
const EXECUTORS_PATH = '/metrics/executors/prometheus';
const SERVLET_CLASS = 'org.apache.spark.metrics.sink.PrometheusServlet';
const EVENT_LOG_DIR = /^s3a:\/\/([a-z0-9.-]+)\/spark-event-logs\/$/;
const TEMPLATE_BUCKET = /^s3:\/\/([a-z0-9.-]+)\//;

const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/** The paths the driver's UI serves metrics on, with this conf. */
export function driverMetricsPaths(conf: SparkConf): string[] {
  const paths: string[] = [];
  if (conf.get('spark.ui.prometheus.enabled') === 'true') paths.push(EXECUTORS_PATH);
  for (const instance of ['driver', '*']) {
    const prefix = `spark.metrics.conf.${instance}.sink.prometheusServlet`;
    if (conf.get(`${prefix}.class`) !== SERVLET_CLASS) continue;
    const path = conf.get(`${prefix}.path`) ?? conf.get('spark.metrics.conf.*.sink.prometheusServlet.path');
    if (path !== undefined) paths.push(trimSlash(path));
  }
  return [...new Set(paths)];
}

/** Where a property sits, for the finding's path. */
const at = (key: string) => `$.spec.configurationOverrides.applicationConfiguration[0].properties['${key}']`;

function checkScrapeAnnotations(sink: FindingSink, file: string, conf: SparkConf): void {
  const uiOn = conf.get('spark.ui.enabled') !== 'false';
  const port = conf.get('spark.ui.port') ?? DEFAULT_UI_PORT;
  const paths = driverMetricsPaths(conf);
  for (const [key, value] of conf) {
    const match = SCRAPE.exec(key);
    if (match === null) continue;
    const [, role, service, field] = match;
    const target = `the ${role}${service === undefined ? ' pod' : ' service'}`;
    if (role === 'executor') {
      sink.report(
        file,
        at(key),
        'jobrun.scrape-endpoint',
        `${key} asks Prometheus to scrape ${target}, but executors serve no HTTP endpoint (their metrics are on the driver's ${EXECUTORS_PATH}); remove it`,
      );
      continue;
    }
    if (field === 'scrape' && value === 'true' && !uiOn) {
      sink.report(
        file,
        at(key),
        'jobrun.scrape-endpoint',
        `${key} asks Prometheus to scrape ${target}, but spark.ui.enabled is false, so the driver serves no metrics; remove the annotations or turn the UI on`,
      );
    } else if (field === 'port' && value !== port) {
      sink.report(
        file,
        at(key),
        'jobrun.scrape-endpoint',
        `${key} is "${value}", but the driver serves its UI and metrics on port ${port} (spark.ui.port); set it to ${port}`,
      );
    } else if (field === 'path' && !paths.includes(trimSlash(value))) {
      sink.report(
        file,
        at(key),
        'jobrun.scrape-endpoint',
        `${key} is "${value}", a path the driver does not serve with this conf (it serves ${paths.length > 0 ? paths.join(', ') : 'no metrics path'}); enable spark.ui.prometheus.enabled or the PrometheusServlet sink for that path, or scrape one it serves`,
      );
    }
  }
}

function checkEventLog(sink: FindingSink, file: string, conf: SparkConf): void {
  if (conf.get('spark.eventLog.enabled') !== 'true') return;
  const dir = conf.get('spark.eventLog.dir') ?? '';
  const bucket = EVENT_LOG_DIR.exec(dir)?.[1];
  const teamBucket = TEMPLATE_BUCKET.exec(conf.get('spark.kubernetes.driver.podTemplateFile') ?? '')?.[1];
  if (bucket === undefined || (teamBucket !== undefined && bucket !== teamBucket)) {
    const expected = `s3a://${teamBucket ?? '<team bucket>'}/spark-event-logs/`;
    sink.report(
      file,
      at('spark.eventLog.dir'),
      'jobrun.event-log',
      `spark.eventLog.dir is "${dir}", not ${expected}: event logs go to the team bucket's spark-event-logs/, the only prefix the team's history server may read`,
    );
  }
  if (conf.get('spark.eventLog.rolling.enabled') !== 'true')
    sink.report(
      file,
      at('spark.eventLog.rolling.enabled'),
      'jobrun.event-log',
      'spark.eventLog.rolling.enabled is not "true": a long job would keep its whole event log in one file the history server reads only at the end; set it to "true"',
    );
}

function checkPodLabels(sink: FindingSink, file: string, spec: Json, conf: SparkConf): void {
  const tags = obj(spec.tags);
  const expected: Record<string, string | undefined> = {
    team: str(tags.team),
    job: str(tags.job),
    run: str(spec.name),
    'app.kubernetes.io/instance': str(spec.name),
  };
  for (const role of ['driver', 'executor']) {
    for (const [label, want] of Object.entries(expected)) {
      const key = `spark.kubernetes.${role}.label.${label}`;
      const value = conf.get(key);
      if (value === undefined || want === undefined || value === want) continue;
      sink.report(
        file,
        at(key),
        'jobrun.pod-labels',
        `${key} is "${value}", but this JobRun's ${label === 'team' || label === 'job' ? `tag ${label}` : 'name'} is "${want}": cost and dashboards would book the pods to another ${label === 'team' ? 'team' : label === 'job' ? 'job' : 'run'}; set it to "${want}"`,
      );
    }
  }
}

/** Reports the scrape, event-log and label problems of one JobRun spec. */
export function checkObservability(sink: FindingSink, file: string, spec: Json): void {
  const { conf } = jobRunConf(spec);
  checkScrapeAnnotations(sink, file, conf);
  checkEventLog(sink, file, conf);
  checkPodLabels(sink, file, spec, conf);
}
