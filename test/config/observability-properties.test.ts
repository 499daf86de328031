import { describe, expect, it } from 'vitest';
import { EMR_ON_EKS_RELEASE_IMAGES, platformPropertyRule } from '../../config/spark-properties';

/** The Spark settings decision 20 makes the platform's: event logs and the cost labels. */
const rule = (key: string, value = 'x') => platformPropertyRule(key, value, [EMR_ON_EKS_RELEASE_IMAGES]);

describe('event log and cost-label properties', () => {
  it.each([
    'spark.eventLog.enabled',
    'spark.eventLog.dir',
    'spark.eventLog.rolling.enabled',
    'spark.history.fs.logDirectory',
    'spark.kubernetes.driver.label.team',
    'spark.kubernetes.executor.label.job',
    'spark.kubernetes.executor.label.run',
    'spark.kubernetes.driver.label.app.kubernetes.io/instance',
    'SPARK.EVENTLOG.DIR',
  ])('refuses %s in a job’s sparkConf', (key) => {
    const text = rule(key);
    expect(text).toMatch(/^is the platform's to set: .*; remove it from sparkConf$/);
    expect(text).not.toContain('\n');
  });

  it.each([
    'spark.kubernetes.driver.label.owner',
    'spark.kubernetes.executor.label.teamName',
    'spark.kubernetes.driver.annotation.team',
    'spark.sql.shuffle.partitions',
  ])('leaves %s to the data engineer', (key) => {
    expect(rule(key)).toBeUndefined();
  });
});
