import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NO_JOB_FILES } from '../../config/job-files';
import { loadPlatform } from '../../config/load';
import type { PlatformInput } from '../../config/schema';
import type { SparkPodTemplate } from '../../manifests/constructs/spark-pod-template';
import { renderPlatform } from '../../pipeline/render';
import { diffTrees } from '../../review/diff';
import { platformModel } from '../helpers/model';

const fixture = load(
  readFileSync(join(__dirname, '..', 'pipeline', 'fixtures', 'platform.yaml'), 'utf8'),
) as PlatformInput;

/** The fixture with `driverOnDemand` set on the first pool of every environment. */
function render(driverOnDemand?: boolean): ReadonlyMap<string, string> {
  const input = structuredClone(fixture);
  if (driverOnDemand !== undefined)
    for (const env of input.environments) env.nodePools[0]!.driverOnDemand = driverOnDemand;
  return renderPlatform(platformModel(loadPlatform(input, NO_JOB_FILES))).files;
}

const TEMPLATES = 'dev/k8s/team-emr-data-team-a/emr-data-team-a/ConfigMap.spark-pod-templates.yaml';
const onDemand = render();
const optedOut = render(false);

function driverTemplate(files: ReadonlyMap<string, string>, key: string): SparkPodTemplate {
  const configMap = load(files.get(TEMPLATES) ?? '') as { data: Record<string, string> };
  return load(configMap.data[key] ?? '') as SparkPodTemplate;
}

describe('drivers on Spot', () => {
  it('pins every driver to on-demand when the pool does not opt out', () => {
    const driver = driverTemplate(onDemand, 'spark-compute-nvme-driver.yaml');
    expect(driver.spec.nodeSelector).toMatchObject({ 'karpenter.sh/capacity-type': 'on-demand' });
    expect(driver.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
  });

  it('marks the driver template of a pool that opts out and allows Spot', () => {
    const driver = driverTemplate(optedOut, 'spark-compute-nvme-driver.yaml');
    expect(driver.spec.nodeSelector?.['karpenter.sh/capacity-type']).toBeUndefined();
    expect(driver.metadata.annotations).toEqual({
      'karpenter.sh/do-not-disrupt': 'true',
      'emr-eks-gitops/spot-driver': 'accepted',
    });
  });

  it('warns in the diff when a pool starts letting drivers run on Spot', () => {
    const spot = diffTrees(onDemand, optedOut).warnings.filter((w) => /on Spot capacity/.test(w.reason));
    const dev = spot.filter((w) => w.env === 'dev');
    expect(dev.length).toBeGreaterThan(0);
    for (const warning of dev) {
      // The same warning for both teams prints once, naming them; it is a notice, not destructive.
      expect(warning.subject).toBe('ConfigMap <team>/spark-pod-templates');
      expect(warning.teams).toEqual(['emr-data-team-a', 'emr-data-team-b']);
      expect(warning.severity).toBe('notice');
      expect(warning.reason).toMatch(
        /^driver template spark-compute-[a-z-]+-driver\.yaml lets drivers run on Spot capacity of NodePool spark-compute: a Spot interruption of a driver fails its whole job; keep driverOnDemand: true on the pool unless its jobs may simply be rerun$/,
      );
    }
    // prod's pool launches on-demand only: its drivers cannot land on Spot either way.
    expect(spot.filter((w) => w.env === 'prod')).toEqual([]);
  });

  it('says nothing when drivers go back to on-demand, or when nothing changes', () => {
    const spot = (base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>) =>
      diffTrees(base, head).warnings.filter((w) => /on Spot capacity/.test(w.reason));
    expect(spot(optedOut, onDemand)).toEqual([]);
    expect(spot(optedOut, optedOut)).toEqual([]);
  });
});
