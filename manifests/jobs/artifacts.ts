import { artifactKey, type Environment, type Team } from '../../config';
import { storageVariants } from '../../config/jobs';
import type { TeamModel } from '../../model/team-model';
import { toYaml } from '../../lib/serialize';
import { sparkPodTemplate, type SparkPodTemplate } from '../constructs/spark-pod-template';
import { JOB_FILES_CONFIG_MAP, POD_TEMPLATES_CONFIG_MAP, podTemplateFile } from '../names';
import { sha256 } from '../../lib/hash';

/**
 * A team's job artifacts (decision 6, docs/decisions.md): its Spark pod templates and the files its jobs ship
 * (scripts, small data). Each is rendered into a ConfigMap and uploaded, unchanged, to
 * `s3://<team bucket>/artifacts/<sha256 of the bytes>/<file>`; the JobRuns point there.
 */

/** One file that travels to S3. */
export interface Artifact {
  /** File name: the ConfigMap key and the last segment of the S3 key. */
  readonly file: string;
  /** The ConfigMap that carries it. */
  readonly configMap: string;
  /** The exact text uploaded. */
  readonly content: string;
  /** SHA-256 (hex) of the UTF-8 bytes of `content`. */
  readonly sha256: string;
  /** S3 key in the team bucket. */
  readonly key: string;
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
}

/** A pod template artifact, with the template itself (jobs read its mounts and placement). */
export interface PodTemplateArtifact extends Artifact {
  readonly template: SparkPodTemplate;
}

/** Every artifact of one team. */
export interface TeamArtifacts {
  /** By file name (`<pool>-<storage>-<role>.yaml`). */
  readonly podTemplates: ReadonlyMap<string, PodTemplateArtifact>;
  /** By file name (e.g. `taxi-trip.py`). */
  readonly jobFiles: ReadonlyMap<string, Artifact>;
}

function artifact(
  team: TeamModel,
  configMap: string,
  file: string,
  content: string,
  hash = sha256(content),
): Artifact {
  const key = artifactKey(hash, file);
  return { file, configMap, content, sha256: hash, key, uri: `s3://${team.bucket.name}/${key}` };
}

/** Every pod template a team may use: (its node pools) × (storage variants) × (driver, executor). */
export function teamPodTemplates(env: Environment, team: Team): Map<string, SparkPodTemplate> {
  const templates = new Map<string, SparkPodTemplate>();
  for (const pool of env.nodePools.filter((p) => team.nodePools.includes(p.name))) {
    for (const variant of storageVariants(env, pool)) {
      for (const role of ['driver', 'executor'] as const) {
        templates.set(podTemplateFile(pool.name, variant, role), sparkPodTemplate({ pool, variant, role }));
      }
    }
  }
  return templates;
}

/** A team's pod templates and job files with their content addresses. */
export function teamArtifacts(env: Environment, team: TeamModel): TeamArtifacts {
  const podTemplates = new Map<string, PodTemplateArtifact>();
  for (const [file, template] of teamPodTemplates(env, team.config)) {
    podTemplates.set(file, {
      ...artifact(team, POD_TEMPLATES_CONFIG_MAP, file, toYaml(template)),
      template,
    });
  }
  const jobFiles = new Map(
    team.jobFiles.map((source) => [
      source.file,
      artifact(team, JOB_FILES_CONFIG_MAP, source.file, source.content, source.sha256),
    ]),
  );
  return { podTemplates, jobFiles };
}

/** Every artifact of a team in upload order: pod templates, then job files, each by file name. */
export function allArtifacts(artifacts: TeamArtifacts): Artifact[] {
  const byFile = (a: Artifact, b: Artifact) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return [
    ...[...artifacts.podTemplates.values()].sort(byFile),
    ...[...artifacts.jobFiles.values()].sort(byFile),
  ];
}
