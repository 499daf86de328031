import { describe, expect, it } from 'vitest';
import { applicationWave, SYNC_PHASES } from '../../argocd/sync-waves';
import {
  ADDON_ROWS,
  ADDONS,
  chartAddon,
  fluentBitNamespaces,
  KUBERNETES_NAMESPACES,
  ownerGroups,
  RESERVED_NAMESPACES,
} from '../../config/addons';
import { ConfigError } from '../../config/errors';
import { loadPlatform } from '../../config/load';
import type { Environment, EnvironmentInput } from '../../config/schema';
import { charts } from '../../config/versions';
import { renderManifests } from '../../manifests/render';
import { environmentOverview } from '../../pipeline/overview';
import { seedEnvironmentInput, seedJobFiles } from '../fixtures';
import { environment } from '../helpers/terraform';
import { environmentModel } from '../helpers/model';

/** The problems loading the seed platform gives once its second team is changed. */
function problemsWithTeamB(change: (team: EnvironmentInput['teams'][number]) => void): string[] {
  const env = seedEnvironmentInput();
  const team = env.teams[1];
  if (team === undefined) throw new Error('the seed has no second team');
  change(team);
  try {
    loadPlatform({ environments: [env] }, seedJobFiles());
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

/** Every add-on namespace that is not one Kubernetes creates, with the toggles of its add-ons. */
const ADDON_NAMESPACES = [...RESERVED_NAMESPACES].filter((ns) => !KUBERNETES_NAMESPACES.includes(ns));

/** The seed environment with every add-on on. */
function everything(): Environment {
  const env = environment();
  const on = Object.fromEntries(Object.keys(env.addons).map((key) => [key, true]));
  return { ...env, addons: on as Environment['addons'] };
}

describe('the add-ons table', () => {
  it('has platform namespaces beyond the two the reserved list used to hold', () => {
    expect(ADDON_NAMESPACES).toEqual(
      expect.arrayContaining([
        'ack-system',
        'kubecost',
        'yunikorn',
        'kube-prometheus-stack',
        'amazon-cloudwatch',
      ]),
    );
  });

  it('refuses a team named after an add-on namespace, in one sentence from the table', () => {
    expect(problemsWithTeamB((team) => (team.name = 'kubecost'))).toContain(
      'Invalid config at environments[0].teams[1].name: "kubecost" is the namespace of the Kubecost add-on (addons.kubecost, owned by the Terraform addons stack); name the team something else or set teams[1].namespace.',
    );
  });

  it.each(ADDON_NAMESPACES)('refuses %s as a team name and as a team namespace', (ns) => {
    const owners = ADDON_ROWS.filter(([, spec]) => spec.namespace === ns);
    expect(owners.length).toBeGreaterThan(0);
    const named = problemsWithTeamB((team) => (team.name = ns)).filter((p) => p.includes('.teams[1].name:'));
    expect(named).toHaveLength(1);
    for (const [key, spec] of owners) {
      expect(named[0]).toContain(`the ${spec.title} add-on (addons.${key}, owned by `);
    }
    expect(named[0]).toMatch(
      new RegExp(
        `^Invalid config at environments\\[0\\]\\.teams\\[1\\]\\.name: "${ns}" is the namespace of .*; name the team something else or set teams\\[1\\]\\.namespace\\.$`,
      ),
    );

    const placed = problemsWithTeamB((team) => (team.namespace = ns));
    expect(placed.filter((p) => p.includes('.teams[1].namespace (team emr-data-team-b):'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Invalid config at environments\\[0\\]\\.teams\\[1\\]\\.namespace \\(team emr-data-team-b\\): "${ns}" is the namespace of .*; choose another namespace\\.$`,
        ),
      ),
    ]);
  });

  it('refuses the namespace of an add-on that is off (turning it on later would collide)', () => {
    expect(seedEnvironmentInput().addons?.cloudwatchMetrics ?? false).toBe(false);
    expect(problemsWithTeamB((team) => (team.name = ADDONS.cloudwatchMetrics.namespace))).toHaveLength(1);
  });

  it('accepts a team named after an add-on namespace once it has a namespace of its own', () => {
    expect(
      problemsWithTeamB((team) => {
        team.name = 'kubecost';
        team.namespace = 'team-kubecost';
      }),
    ).toEqual([]);
  });

  it.each(KUBERNETES_NAMESPACES)(
    'refuses %s, a namespace Kubernetes creates, as a system namespace',
    (ns) => {
      expect(problemsWithTeamB((team) => (team.namespace = ns))).toContain(
        `Invalid config at environments[0].teams[1].namespace (team emr-data-team-b): "${ns}" is a system namespace; give the team a namespace of its own.`,
      );
    },
  );

  it('gives every pinned chart to exactly one add-on', () => {
    for (const chart of Object.keys(charts) as (keyof typeof charts)[]) {
      const holders = ADDON_ROWS.filter(([, spec]) => spec.charts.includes(chart));
      expect(
        holders.map(([key]) => key),
        chart,
      ).toEqual([chartAddon(chart)]);
    }
  });

  it("names Argo CD apps that exist, whose sync wave is their phase's position", () => {
    const apps = new Map(renderManifests(environmentModel(everything())).map((app) => [app.name, app]));
    const withApps = ADDON_ROWS.flatMap(([key, spec]) => (spec.app ? [[key, spec.app] as const] : []));
    expect(withApps.map(([key]) => key)).toEqual(['karpenter', 'yunikorn']);
    for (const [key, app] of withApps) {
      const rendered = apps.get(app.name);
      expect(rendered, `app of ${key}`).toBeDefined();
      const phase = SYNC_PHASES.findIndex((p) => p.name === app.phase);
      expect(phase, `phase of ${key}`).toBeGreaterThanOrEqual(0);
      if (rendered) expect(applicationWave(rendered)).toBe(phase);
    }
  });

  it('has Fluent Bit read kube-system and the namespaces of the installed controllers', () => {
    expect(fluentBitNamespaces(everything().addons)).toEqual([
      'ack-system',
      'argocd',
      'karpenter',
      'kube-prometheus-stack',
      'kube-system',
      'kubecost',
      'yunikorn',
    ]);
    const env = environment();
    expect(fluentBitNamespaces({ ...env.addons, kubecost: false })).not.toContain('kubecost');
    expect(fluentBitNamespaces({ ...env.addons, yunikorn: false })).not.toContain('yunikorn');
  });
});

describe("the README's ownership table", () => {
  /** The owner column of the "Who owns what" table. */
  function owners(readme: string): string[] {
    const section = readme.split('## Who owns what')[1] ?? '';
    return section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| owner') && !line.startsWith('| ---'))
      .map((line) => line.split(' | ')[0]?.slice(2) ?? '');
  }

  it.each([
    ['the seed', environment()],
    ['every add-on on', everything()],
  ])('lists the owner of every enabled add-on (%s)', (_, env) => {
    const listed = owners(environmentOverview(environmentModel(env), renderManifests(environmentModel(env))));
    expect(listed.length).toBeGreaterThan(0);
    for (const [key, spec] of ADDON_ROWS.filter(([key]) => env.addons[key])) {
      for (const group of ownerGroups(spec)) expect(listed, `owner of ${key}`).toContain(group);
    }
  });

  it('marks a chart installed exactly when its add-on is on', () => {
    const env = { ...environment(), addons: { ...environment().addons, kubecost: false } };
    const readme = environmentOverview(environmentModel(env), renderManifests(environmentModel(env)));
    expect(readme).toContain(`| ${charts.kubecost.chart} | ${charts.kubecost.version} | no |`);
    expect(readme).toContain(`| ${charts.karpenter.chart} | ${charts.karpenter.version} | yes |`);
  });
});
