import { teamBucketName, teamS3Uri, type Environment } from '../../config';
import { ARTIFACT_PLACEHOLDER, PLACEHOLDER, type EffectiveJob, type PLACEHOLDERS } from '../../config/jobs';
import type { TeamArtifacts } from './artifacts';

/**
 * Replaces `{{bucket}}`, `{{team}}`, `{{job}}`, `{{teamS3}}` and `{{artifact:<file>}}` in a job's
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
    throw new Error(`job ${job.team.name}/${job.name}: unknown placeholder ${whole}`);
  });
}
