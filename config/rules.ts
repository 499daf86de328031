import { ADDONS, addonsInNamespace, KUBERNETES_NAMESPACES, OWNERS, RESERVED_NAMESPACES } from './addons';
import { contains, overlaps, parseCidr, type Cidr } from './cidr';
import type { ConfigProblem } from './errors';
import { checkJobs } from './job-rules';
import { checkTags } from './tags';
import {
  allBucketNames,
  allRoleNames,
  KARPENTER_EVENT_IDS,
  karpenterEventRuleName,
  teamNamespace,
} from './naming';
import type { Environment, Platform } from './schema';
import { versions } from './versions';

/**
 * Rules that relate several fields. Each returns problems; none throws. Paths use the same
 * notation as the zod problems so a user sees one style.
 */
export function checkPlatform(platform: Platform, root: string): ConfigProblem[] {
  const problems = duplicates(
    platform.environments.map((env) => env.name),
    'environments',
    'name',
  );
  platform.environments.forEach((env, i) =>
    problems.push(...checkEnvironment(env, `environments[${i}]`, root)),
  );
  return problems;
}

function checkEnvironment(env: Environment, at: string, root: string): ConfigProblem[] {
  const nameDuplicates = duplicates(
    env.teams.map((t) => t.name),
    `${at}.teams`,
    'name',
  );
  // Namespaces default to team names: a duplicated name is reported once, as a name.
  const namespaceDuplicates = duplicates(env.teams.map(teamNamespace), `${at}.teams`, 'namespace').filter(
    (p) => !nameDuplicates.some((n) => n.path.replace(/\.name$/, '.namespace') === p.path),
  );
  return [
    ...nameDuplicates,
    ...namespaceDuplicates,
    ...duplicates(
      env.nodePools.map((p) => p.name),
      `${at}.nodePools`,
      'name',
    ),
    ...checkClusterVersion(env, at),
    ...checkRegionAndZones(env, at),
    ...checkTags(env.cluster.tags, `${at}.cluster.tags`),
    ...checkTeamNamespaces(env, at),
    ...checkNetwork(env, at),
    ...checkReferences(env, at),
    ...checkBudgets(env, at),
    ...checkNames(env, at),
    ...checkAddons(env, at),
    ...checkCoreNodeGroup(env, at),
    ...checkAccess(env, at),
    ...env.teams.flatMap((team, t) =>
      duplicates(
        team.inputData.map((d) => d.name),
        `${at}.teams[${t}].inputData`,
        'name',
      ),
    ),
    ...checkNodePools(env, at),
    ...checkFsx(env, at),
    ...checkJobs(env, at, root),
  ];
}

/**
 * The cluster runs the Kubernetes minor the whole repository renders and validates for
 * (`versions.kubernetes`, with the schema lock, Cluster Autoscaler and the node AMI in step).
 */
function checkClusterVersion(env: Environment, at: string): ConfigProblem[] {
  if (env.cluster.version === versions.kubernetes) return [];
  return [
    {
      path: `${at}.cluster.version`,
      value: env.cluster.version,
      rule: `is not ${versions.kubernetes}, the Kubernetes version this repository renders and validates for: leave cluster.version out, or move config/versions.ts (kubernetes, with schemas.lock.json, clusterAutoscaler and the node AMI) one minor at a time`,
    },
  ];
}

/** Reports every later occurrence of a value; `field` is omitted for lists of plain strings. */
function duplicates(values: readonly string[], listPath: string, field?: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  const at = (i: number) => `${listPath}[${i}]${field ? `.${field}` : ''}`;
  values.forEach((value, i) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else problems.push({ path: at(i), value, rule: `duplicates ${at(first)}` });
  });
  return problems;
}

/** An availability zone id (`usw2-az1`): the same physical zone in every account, not its name. */
const ZONE_ID = /^[a-z]{2,4}\d-az\d+$/;

function checkRegionAndZones(env: Environment, at: string): ConfigProblem[] {
  const { region, vpc } = env.cluster;
  const problems: ConfigProblem[] = [];
  const zonePattern = new RegExp(`^${region}[a-z]$`);
  vpc.azs.forEach((az, i) => {
    if (!zonePattern.test(az)) {
      problems.push({
        path: `${at}.cluster.vpc.azs[${i}]`,
        value: az,
        rule: ZONE_ID.test(az)
          ? `is a zone id; give the zone's name in ${region}, such as ${region}a (aws ec2 describe-availability-zones --region ${region} lists both)`
          : `must be a zone of ${region} such as ${region}a`,
      });
    }
  });
  problems.push(...duplicates(vpc.azs, `${at}.cluster.vpc.azs`));
  env.nodePools.forEach((pool, p) =>
    pool.zones.forEach((zone, z) => {
      if (!vpc.azs.includes(zone)) {
        problems.push({
          path: `${at}.nodePools[${p}].zones[${z}]`,
          value: zone,
          rule: `must be one of the cluster's zones (${vpc.azs.join(', ')})`,
        });
      }
    }),
  );
  return problems;
}

/**
 * A team's namespace is its own: not one Kubernetes creates, and not one an add-on of the
 * table in `config/addons.ts` runs in (enabled or not), which Terraform or EKS creates and the
 * team's app would otherwise take over and prune.
 */
function checkTeamNamespaces(env: Environment, at: string): ConfigProblem[] {
  return env.teams.flatMap((team, t) => {
    const ns = teamNamespace(team);
    const field = team.namespace ? 'namespace' : 'name';
    const path = `${at}.teams[${t}].${field}`;
    if (!RESERVED_NAMESPACES.has(ns) && !ns.startsWith('kube-')) return [];
    const addons = addonsInNamespace(ns);
    if (KUBERNETES_NAMESPACES.includes(ns) || addons.length === 0) {
      return [{ path, value: ns, rule: 'is a system namespace; give the team a namespace of its own' }];
    }
    const what = addons
      .map(
        (key) =>
          `the ${ADDONS[key].title} add-on (addons.${key}, owned by ${OWNERS[ADDONS[key].owner].label})`,
      )
      .join(' and ');
    const fix =
      field === 'name'
        ? `name the team something else or set teams[${t}].namespace`
        : 'choose another namespace';
    return [{ path, value: ns, rule: `is the namespace of ${what}; ${fix}` }];
  });
}

interface NamedCidr {
  readonly path: string;
  readonly cidr: Cidr;
}

function checkNetwork(env: Environment, at: string): ConfigProblem[] {
  const { vpc } = env.cluster;
  const base = `${at}.cluster.vpc`;
  const problems: ConfigProblem[] = [];
  const parse = (text: string, path: string): NamedCidr | undefined => {
    const result = parseCidr(text);
    if (typeof result === 'string') {
      problems.push({ path, value: text, rule: result });
      return undefined;
    }
    return { path, cidr: result };
  };
  const primary = parse(vpc.cidr, `${base}.cidr`);
  const secondaries = vpc.secondaryCidrs.flatMap((c, i) => parse(c, `${base}.secondaryCidrs[${i}]`) ?? []);
  const primaries = primary ? [primary] : [];
  problems.push(...pairwiseOverlaps([...primaries, ...secondaries]));

  const subnetLists: [string, readonly string[], readonly NamedCidr[]][] = [
    ['publicSubnets', vpc.publicSubnets, primaries],
    ['privateSubnets', vpc.privateSubnets, primaries],
    ['nodeSubnets', vpc.nodeSubnets, secondaries.length > 0 ? secondaries : primaries],
  ];
  const subnets: NamedCidr[] = [];
  for (const [field, list, parents] of subnetLists) {
    if (list.length !== vpc.azs.length) {
      problems.push({
        path: `${base}.${field}`,
        value: list,
        rule: `must list one subnet per availability zone (${vpc.azs.length})`,
      });
    }
    list.forEach((text, i) => {
      const subnet = parse(text, `${base}.${field}[${i}]`);
      if (!subnet) return;
      subnets.push(subnet);
      if (parents.length > 0 && !parents.some((p) => contains(p.cidr, subnet.cidr))) {
        problems.push({
          path: subnet.path,
          value: text,
          rule: `must lie inside ${parents.map((p) => p.cidr.text).join(' or ')}`,
        });
      }
    });
  }
  problems.push(...pairwiseOverlaps(subnets));
  return problems;
}

function pairwiseOverlaps(blocks: readonly NamedCidr[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  blocks.forEach((a, i) =>
    blocks.slice(0, i).forEach((b) => {
      if (overlaps(a.cidr, b.cidr)) {
        problems.push({ path: a.path, value: a.cidr.text, rule: `overlaps ${b.path} (${b.cidr.text})` });
      }
    }),
  );
  return problems;
}

function checkReferences(env: Environment, at: string): ConfigProblem[] {
  const pools = new Set(env.nodePools.map((p) => p.name));
  return env.teams.flatMap((team, t) =>
    team.nodePools.flatMap((name, n) =>
      pools.has(name)
        ? []
        : [
            {
              path: `${at}.teams[${t}].nodePools[${n}]`,
              value: name,
              rule: `names no node pool of this environment (known: ${[...pools].join(', ')})`,
            },
          ],
    ),
  );
}

/**
 * Budgets add up when each team fits in the pools it may use, and all teams together fit in the
 * pools they share (otherwise YuniKorn guarantees could never be honoured).
 */
function checkBudgets(env: Environment, at: string): ConfigProblem[] {
  const poolCpu = new Map(env.nodePools.map((p) => [p.name, p.limits.cpu]));
  const problems: ConfigProblem[] = [];
  env.teams.forEach((team, t) => {
    const reachable = [...new Set(team.nodePools)].reduce((sum, name) => sum + (poolCpu.get(name) ?? 0), 0);
    if (reachable > 0 && team.budget.cpu > reachable) {
      problems.push({
        path: `${at}.teams[${t}].budget.cpu`,
        value: team.budget.cpu,
        rule: `exceeds the ${reachable} vCPU limit of the node pools the team may use (${team.nodePools.join(', ')})`,
      });
    }
  });
  const usedPools = new Set(env.teams.flatMap((t) => t.nodePools));
  const totalLimit = [...usedPools].reduce((sum, name) => sum + (poolCpu.get(name) ?? 0), 0);
  const totalBudget = env.teams.reduce((sum, t) => sum + t.budget.cpu, 0);
  if (totalLimit > 0 && totalBudget > totalLimit) {
    problems.push({
      path: `${at}.teams`,
      value: `${totalBudget} vCPU`,
      rule: `is more than the ${totalLimit} vCPU the teams' node pools may hold together; lower budgets or raise nodePools[].limits.cpu`,
    });
  }
  return problems;
}

/** Bucket-name prefixes S3 refuses for general purpose buckets. */
const S3_RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;

function checkNames(env: Environment, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // Bucket names start with the cluster name; S3 reserves these prefixes.
  const reserved = S3_RESERVED_BUCKET_PREFIXES.find((prefix) => env.cluster.name.startsWith(prefix));
  if (reserved !== undefined) {
    problems.push({
      path: `${at}.cluster.name`,
      value: env.cluster.name,
      rule: `starts with "${reserved}", which S3 reserves, so the bucket ${allBucketNames(env)[0] ?? ''} could not be created; rename the cluster`,
    });
  }
  const longest = allRoleNames(env).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length > 64) {
    problems.push({
      path: `${at}.cluster.name`,
      value: env.cluster.name,
      rule: `makes the IAM role name ${longest} longer than 64 characters; shorten the cluster or team name`,
    });
  }
  const rule = KARPENTER_EVENT_IDS.map((id) => karpenterEventRuleName(env, id)).find((n) => n.length > 64);
  if (env.addons.karpenter && rule !== undefined) {
    problems.push({
      path: `${at}.cluster.name`,
      value: env.cluster.name,
      rule: `makes the EventBridge rule name ${rule} longer than 64 characters; shorten the cluster name`,
    });
  }
  return problems;
}

function checkAddons(env: Environment, at: string): ConfigProblem[] {
  const { addons } = env;
  const requires: [keyof typeof addons, keyof typeof addons, string][] = [
    ['kubecost', 'prometheus', 'Kubecost reads its metrics from Prometheus'],
    ['amazonManagedPrometheus', 'prometheus', 'the AMP workspace is fed by Prometheus remote write'],
    ['karpenter', 'podIdentityAgent', 'the Karpenter controller authenticates through EKS Pod Identity'],
    ['ackEmrContainers', 'podIdentityAgent', 'the ACK controller authenticates through EKS Pod Identity'],
    ['fsxCsiDriver', 'podIdentityAgent', 'the FSx CSI controller authenticates through EKS Pod Identity'],
    [
      'amazonManagedPrometheus',
      'podIdentityAgent',
      'Prometheus signs its remote writes with a Pod Identity role',
    ],
    ['fluentBit', 'podIdentityAgent', 'Fluent Bit authenticates through EKS Pod Identity'],
    [
      'clusterAutoscaler',
      'podIdentityAgent',
      'the Cluster Autoscaler authenticates through EKS Pod Identity',
    ],
  ];
  const problems: ConfigProblem[] = [];
  for (const [addon, needed, why] of requires) {
    if (addons[addon] && !addons[needed]) {
      problems.push({
        path: `${at}.addons.${addon}`,
        value: true,
        rule: `needs addons.${needed} enabled (${why})`,
      });
    }
  }
  const fsx = env.storage.fsx.static.enabled || env.storage.fsx.dynamic.enabled;
  if (fsx && !addons.fsxCsiDriver) {
    problems.push({
      path: `${at}.addons.fsxCsiDriver`,
      value: false,
      rule: 'must be true when storage.fsx is enabled (pods mount FSx through the CSI driver)',
    });
  }
  return problems;
}

function checkNodePools(env: Environment, at: string): ConfigProblem[] {
  return env.nodePools.flatMap((pool, p) =>
    pool.driverOnDemand && !pool.capacityTypes.includes('on-demand')
      ? [
          {
            path: `${at}.nodePools[${p}].driverOnDemand`,
            value: true,
            rule: `needs "on-demand" in nodePools[${p}].capacityTypes (or set driverOnDemand: false)`,
          },
        ]
      : [],
  );
}

/**
 * Someone must be able to apply the `addons` stack (Helm needs cluster-admin), and each principal
 * gets at most one access entry (EKS refuses a second one for the same ARN).
 */
function checkAccess(env: Environment, at: string): ConfigProblem[] {
  const { adminPrincipalArns, addonsApplierArns, bootstrapCreatorAdmin } = env.cluster;
  const problems = [
    ...duplicates(adminPrincipalArns, `${at}.cluster.adminPrincipalArns`),
    ...duplicates(addonsApplierArns, `${at}.cluster.addonsApplierArns`),
  ];
  addonsApplierArns.forEach((arn, i) => {
    const admin = adminPrincipalArns.indexOf(arn);
    if (admin !== -1) {
      problems.push({
        path: `${at}.cluster.addonsApplierArns[${i}]`,
        value: arn,
        rule: `is also cluster.adminPrincipalArns[${admin}], and EKS allows one access entry per principal; list it in one of the two`,
      });
    }
  });
  if (!bootstrapCreatorAdmin && addonsApplierArns.length === 0) {
    problems.push({
      path: `${at}.cluster.addonsApplierArns`,
      value: [],
      rule: 'must name the IAM role or user that runs terraform apply of the addons stack (a CI role, say) when bootstrapCreatorAdmin is false: nobody else would have the cluster access Helm needs',
    });
  }
  return problems;
}

function checkCoreNodeGroup(env: Environment, at: string): ConfigProblem[] {
  const { minSize, maxSize, desiredSize } = env.cluster.coreNodeGroup;
  if (minSize <= desiredSize && desiredSize <= maxSize) return [];
  return [
    {
      path: `${at}.cluster.coreNodeGroup.desiredSize`,
      value: desiredSize,
      rule: `must lie between minSize (${minSize}) and maxSize (${maxSize})`,
    },
  ];
}

function checkFsx(env: Environment, at: string): ConfigProblem[] {
  const { storageCapacityGiB } = env.storage.fsx.static;
  if (!env.storage.fsx.static.enabled) return [];
  if (storageCapacityGiB === 1200 || storageCapacityGiB % 2400 === 0) return [];
  return [
    {
      path: `${at}.storage.fsx.static.storageCapacityGiB`,
      value: storageCapacityGiB,
      rule: 'must be 1200 or a multiple of 2400 for a PERSISTENT_2 filesystem',
    },
  ];
}
