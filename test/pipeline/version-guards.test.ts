import { describe, expect, it } from 'vitest';
import { versions } from '../../config/versions';
import { versionProblems, type VersionPins } from '../../pipeline/version-guards';
import { readLock } from '../../validation/schema-files';

/** The pinned versions with some changed, as a user bumping them would leave them. */
const bumped = (change: Partial<VersionPins>): VersionPins => ({ ...versions, ...change });
const lock = readLock();

describe('versions that move with the Kubernetes minor', () => {
  it('agree as pinned', () => {
    expect(versionProblems()).toEqual([]);
  });

  it('refuse a Kubernetes minor the schema lock does not validate, saying what to regenerate', () => {
    const problems = versionProblems(
      bumped({ kubernetes: '1.35', clusterAutoscaler: '1.35.0', al2023AmiKubernetes: '1.35' }),
      lock,
    );
    expect(problems).toEqual([
      "config/versions.ts pins Kubernetes 1.35, but schemas.lock.json validates against 1.34: move the lock's kubernetes entries (URL and blob) to 1.35 and run `npm run schemas`, or set versions.kubernetes back to 1.34.",
    ]);
  });

  it('refuse a Cluster Autoscaler of another minor', () => {
    expect(versionProblems(bumped({ clusterAutoscaler: '1.33.1' }), lock)).toEqual([
      'config/versions.ts pins Cluster Autoscaler 1.33.1, which does not follow Kubernetes 1.34 (it supports only its own minor): pin the cluster-autoscaler chart whose appVersion is 1.34.x and set versions.clusterAutoscaler to that appVersion.',
    ]);
  });

  it('refuse a node AMI not checked for the minor, and any AL2 AMI after 1.32', () => {
    expect(versionProblems(bumped({ al2023AmiKubernetes: '1.33' }), lock)).toEqual([
      'config/versions.ts pins the node AMI al2023@v20260714, checked for Kubernetes 1.33, not 1.34: pick an AL2023 release that ships 1.34 (the amazon-eks-ami release notes list one AMI per minor) and set al2023AmiAlias and al2023AmiKubernetes to it.',
    ]);
    expect(versionProblems(bumped({ al2023AmiAlias: 'al2@v20251016' }), lock)).toEqual([
      'config/versions.ts pins the node AMI al2@v20251016, but EKS publishes no Amazon Linux 2 AMI for Kubernetes 1.34 (AL2 ends at 1.32): use an al2023@v<release> alias.',
    ]);
  });
});
