import { Construct } from 'constructs';
import { KubeConfigMap } from '../imports/k8s';
import { toJson } from '../../lib/serialize';
import type { JobRunTemplateObject } from './emr-job-run';
import { JOB_RUN_TEMPLATE_KEY, jobRunTemplateName } from '../launcher/launcher-names';

/** Props for {@link JobRunTemplate}. */
export interface JobRunTemplateProps {
  readonly job: string;
  /** The content address of the definition (the 8 hex a one-shot JobRun name ends with). */
  readonly hash: string;
  readonly template: JobRunTemplateObject;
}

/**
 * A job's content-addressed JobRun template: ConfigMap `jobrun-<job>-<8 hex>` holding, as JSON,
 * exactly the JobRun a one-shot run of the definition would get, without its name. The launcher
 * copies it for every run and adds the name and its labels. Any change of the definition is a
 * new ConfigMap name, and the launcher's CronJobs mount it by that name, so a schedule can
 * never start an older definition. A ConfigMap's data is not an object, so Argo CD neither
 * applies nor tracks what the launcher makes of it.
 */
export class JobRunTemplate extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: JobRunTemplateProps) {
    super(scope, id);
    this.name = jobRunTemplateName(props.job, props.hash);
    new KubeConfigMap(this, 'config-map', {
      metadata: {
        name: this.name,
        namespace: props.template.metadata.namespace,
        labels: { ...props.template.metadata.labels },
      },
      data: { [JOB_RUN_TEMPLATE_KEY]: toJson(props.template) },
    });
  }
}
