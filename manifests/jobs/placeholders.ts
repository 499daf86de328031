import { inputDataUri, teamBucketName, teamS3Uri, type Environment } from '../../config';
import { ARTIFACT_PLACEHOLDER, INPUT_PLACEHOLDER, PLACEHOLDER, type PLACEHOLDERS } from '../../config/jobs';
import type { EffectiveJob } from '../../model/effective-job';
import type { TeamArtifacts } from './artifacts';

/**
 * Replaces `{{bucket}}`, `{{team}}`, `{{job}}`, `{{teamS3}}`, `{{artifact:<file>}}` and
 * `{{input:<dataset>}}` in a job's
 * argument or Spark property. `loadPlatform` has refused unknown placeholders, so one left over
 * here is a bug and throws.
 */
export function expandPlaceholders(
  text: string,
  env: Environment,
  job: EffectiveJob,
  artifacts: TeamArtifacts,
): string {
  const values: Record<keyof typeof PLACEHOLDERS, string> = {
    bucket: teamBucketName(env, job.team),
    team: job.team.name,
    job: job.name,
    teamS3: teamS3Uri(env, job.team).replace(/\/$/, ''),
  };
  return text.replace(PLACEHOLDER, (whole, token: string) => {
    if (token in values) return values[token as keyof typeof values];
    if (token.startsWith(ARTIFACT_PLACEHOLDER)) {
      const found = artifacts.jobFiles.get(token.slice(ARTIFACT_PLACEHOLDER.length));
      if (found) return found.uri;
    }
    if (token.startsWith(INPUT_PLACEHOLDER)) {
      const dataset = job.team.inputData.find((d) => d.name === token.slice(INPUT_PLACEHOLDER.length));
      if (dataset) return inputDataUri(env, job.team, dataset);
    }
    throw new Error(`job ${job.team.name}/${job.name}: unknown placeholder ${whole}`);
  });
}
