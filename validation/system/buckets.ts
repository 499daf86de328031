import { artifactUris, uploads } from '../kinds/jobrun/content-address';
import type { RuntimeObject } from '../runtime/objects';
import { jobRunConf } from '../kinds/jobrun/spark-conf';
import { asObject as obj } from '../../lib/json';
import { address, named, type SystemModel } from './context';
import { teamBuckets, type TeamBuckets } from './team-buckets';

/**
 * Team buckets (class 8 of the system models): each team reads and writes its own bucket only.
 * Which bucket is whose comes from the IAM roles of the environment's Terraform
 * (`team-buckets.ts`).
 *
 * - Every artifact a JobRun names (its entry point, its pod template files, every
 *   content-addressed `…/artifacts/<sha256>/<file>` URI) lies in its namespace's own bucket.
 * - Every upload Job (a Job whose container ships `upload` lines to `$BUCKET`) writes to its
 *   namespace's own bucket.
 */

function bucketOf(uri: string): string | undefined {
  return /^s3a?:\/\/([^/]+)\//.exec(uri)?.[1];
}

function owner(buckets: TeamBuckets, bucket: string): string {
  const entry = buckets.buckets.get(bucket);
  if (entry === undefined) return `bucket ${bucket}, which the environment's Terraform does not create`;
  const namespaces = [...entry.namespaces];
  if (namespaces.length === 0)
    return `bucket ${bucket} (${address(entry.resource)}), which no team's role reaches`;
  if (namespaces.length === 1) return `team ${namespaces[0]}'s bucket ${bucket} (${address(entry.resource)})`;
  return `bucket ${bucket} (${address(entry.resource)}), shared by the roles of ${namespaces.join(', ')}`;
}

function ownText(buckets: TeamBuckets, namespace: string): string {
  const own = [...(buckets.own.get(namespace) ?? [])];
  return own.length === 0
    ? `${namespace} has no bucket of its own in Terraform`
    : `its own bucket is ${own.join(', ')}`;
}

function jobRunArtifacts(run: RuntimeObject): string[] {
  const { conf, entryPoint } = jobRunConf(obj(run.object.spec));
  const named = [entryPoint, ...[...conf].filter(([k]) => k.endsWith('.podTemplateFile')).map(([, v]) => v)];
  return [...new Set([...named.filter((u) => /^s3a?:\/\//.test(u)), ...artifactUris(run)])];
}

export const buckets: SystemModel = {
  name: 'buckets',
  check(sink, context) {
    if (context.terraform('aws_s3_bucket').length === 0) return;
    const teams = teamBuckets(context);
    for (const run of context.objects.ofKind('JobRun')) {
      const namespace = run.namespace ?? '';
      const own = teams.own.get(namespace) ?? new Set();
      for (const uri of jobRunArtifacts(run)) {
        const bucket = bucketOf(uri);
        if (bucket === undefined || own.has(bucket)) continue;
        sink.report(
          run.file,
          '$.spec',
          'system.bucket-foreign-artifact',
          `${named(run)} reads artifact ${uri} from ${owner(teams, bucket)}, not from namespace ${namespace}'s own bucket (${ownText(teams, namespace)}); ship the file through ${namespace}'s upload Job and name its URI in ${namespace}'s bucket`,
        );
      }
    }
    const reported = new Set<string>();
    for (const upload of uploads(context.objects)) {
      const namespace = upload.job.namespace ?? '';
      const bucket = bucketOf(upload.uri);
      if (bucket === undefined || (teams.own.get(namespace)?.has(bucket) ?? false)) continue;
      const key = `${upload.job.file}\0${bucket}`;
      if (reported.has(key)) continue;
      reported.add(key);
      sink.report(
        upload.job.file,
        '$.spec.template.spec.containers',
        'system.bucket-foreign-upload',
        `${named(upload.job)} uploads to ${owner(teams, bucket)}, not to namespace ${namespace}'s own bucket (${ownText(teams, namespace)}); set its BUCKET to ${[...(teams.own.get(namespace) ?? ['the team bucket'])].join(', ')}`,
      );
    }
  },
};
