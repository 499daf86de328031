import { versions as pinned } from '../config/versions';
import { readLock, SchemaFilesError, type LockedSchema } from '../validation/schema-files';

/** `1.34.2`, `v1.34.2` or `1.34` → `1.34`; undefined for anything else. */
function minorOf(version: string): string | undefined {
  return /^v?(\d+\.\d+)(\.\d+)?$/.exec(version)?.[1];
}

/** The pins that move together (strings: a test or a bump may hold any value). */
export interface VersionPins {
  readonly kubernetes: string;
  readonly clusterAutoscaler: string;
  readonly al2023AmiAlias: string;
  readonly al2023AmiKubernetes: string;
}

/**
 * What must move with the Kubernetes minor in `config/versions.ts`, each one sentence naming what
 * to change: the schemas the validator checks against (`schemas.lock.json`), Cluster Autoscaler
 * (which supports only its own minor) and the node AMI (an AL2023 release that ships the minor;
 * EKS publishes no AL2 AMI after 1.32). Empty when all agree.
 */
export function versionProblems(
  versions: VersionPins = pinned,
  lock: readonly LockedSchema[] = readLock(),
): string[] {
  const problems: string[] = [];
  const k8s = versions.kubernetes;
  const validated = [...new Set(lock.filter((e) => e.project === 'kubernetes').map((e) => e.version))];
  if (validated.length > 0 && !(validated.length === 1 && validated[0] === k8s)) {
    problems.push(
      `config/versions.ts pins Kubernetes ${k8s}, but schemas.lock.json validates against ${validated.join(', ')}: move the lock's kubernetes entries (URL and blob) to ${k8s} and run \`npm run schemas\`, or set versions.kubernetes back to ${validated.join(', ')}.`,
    );
  }
  if (minorOf(versions.clusterAutoscaler) !== k8s) {
    problems.push(
      `config/versions.ts pins Cluster Autoscaler ${versions.clusterAutoscaler}, which does not follow Kubernetes ${k8s} (it supports only its own minor): pin the cluster-autoscaler chart whose appVersion is ${k8s}.x and set versions.clusterAutoscaler to that appVersion.`,
    );
  }
  const [family] = versions.al2023AmiAlias.split('@');
  const [major = 0, minor = 0] = k8s.split('.').map(Number);
  if (family === 'al2' && (major > 1 || minor >= 33)) {
    problems.push(
      `config/versions.ts pins the node AMI ${versions.al2023AmiAlias}, but EKS publishes no Amazon Linux 2 AMI for Kubernetes ${k8s} (AL2 ends at 1.32): use an al2023@v<release> alias.`,
    );
  } else if (versions.al2023AmiKubernetes !== k8s) {
    problems.push(
      `config/versions.ts pins the node AMI ${versions.al2023AmiAlias}, checked for Kubernetes ${versions.al2023AmiKubernetes}, not ${k8s}: pick an AL2023 release that ships ${k8s} (the amazon-eks-ami release notes list one AMI per minor) and set al2023AmiAlias and al2023AmiKubernetes to it.`,
    );
  }
  return problems;
}

/** Throws the {@link versionProblems} (one sentence each) before a command renders or validates. */
export function assertVersionsAgree(): void {
  const problems = versionProblems();
  if (problems.length > 0) throw new SchemaFilesError(problems.join('\n'));
}
