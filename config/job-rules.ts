import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigProblem } from './errors';
import { checkJobChains } from './job-chain-rules';
import {
  ARTIFACT_PLACEHOLDER,
  INPUT_PLACEHOLDER,
  IMAGE_SCHEME,
  JOB_NAME_MAX_LENGTH,
  PLACEHOLDER,
  PLACEHOLDERS,
  jobFile,
  mergeJobSettings,
  storageVariants,
  teamJobsFolder,
  type Job,
  type JobSettings,
} from './jobs';
import type { Environment, Team } from './schema';
import { platformPropertyRule } from './spark-properties';
import { closest } from './suggest';
import { teamEntryProblem } from './team-folder';

/**
 * Rules for job definitions: references (node pools, storage, add-ons), sizing, files, Spark
 * properties and placeholders. Each problem names the job and says how to fix it.
 */

/**
 * The job files of one team together must fit a ConfigMap that Argo CD can apply: client-side
 * apply copies the object into an annotation, and annotations are limited to 256 KiB.
 */
export const JOB_FILES_MAX_BYTES = 200 * 1024;

/** Spark properties the typed job fields own: setting them in `sparkConf` would fight the render. */
const OWNED_PROPERTIES: readonly [pattern: RegExp, field: string][] = [
  [/^spark\.driver\.(cores|memory|memoryOverhead)$/, 'driver'],
  [/^spark\.executor\.(cores|memory|memoryOverhead)$/, 'executor'],
  [/^spark\.executor\.instances$/, 'executor.instances'],
  [/^spark\.dynamicAllocation\.(enabled|minExecutors|maxExecutors|initialExecutors)$/, 'dynamicAllocation'],
  [/^spark\.kubernetes\.(driver|executor)\.podTemplateFile$/, 'nodePool and storage'],
  [/^spark\.local\.dir$/, 'storage'],
  [/^spark\.kubernetes\.executor\.volumes\.persistentVolumeClaim\.spark-local-dir-1\./, 'storage'],
  [/^spark\.kubernetes\.(driver|executor)\.annotation\.yunikorn\.apache\.org\//, 'gangScheduling'],
  [/^spark\.kubernetes\.scheduler\.name$/, 'gangScheduling'],
];

/** Spark properties the sizing math reads (task groups, fit checks), with the format each must have. */
const SIZING_PROPERTIES: readonly [pattern: RegExp, format: RegExp, example: string][] = [
  [/^spark\.executor\.pyspark\.memory$/, /^[1-9]\d*[kmgt]$/, 'a Spark memory size such as 512m'],
  [
    /^spark\.kubernetes\.(driver|executor)\.request\.cores$/,
    /^(\d+(\.\d+)?|\d+m)$/,
    'a CPU quantity such as 0.5 or 500m',
  ],
  [
    /^spark\.((driver|executor)|kubernetes)\.memoryOverheadFactor$/,
    /^(0?\.\d+|[1-9]\d*(\.\d+)?)$/,
    'a positive number such as 0.2',
  ],
];

/** Every problem of every team's jobs and job defaults in one environment. */
export function checkJobs(env: Environment, at: string, root: string): ConfigProblem[] {
  return env.teams.flatMap((team, t) => checkTeamJobs(env, team, `${at}.teams[${t}]`, root));
}

function checkTeamJobs(env: Environment, team: Team, at: string, root: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (team.jobDefaults) problems.push(...checkSettings(env, team, team.jobDefaults, `${at}.jobDefaults`));
  const first = new Map<string, number>();
  team.jobs.forEach((job, j) => {
    const path = `${at}.jobs[${j}]`;
    const seen = first.get(job.name);
    if (seen === undefined) first.set(job.name, j);
    else {
      problems.push({
        path: `${path}.name`,
        value: job.name,
        rule: `duplicates ${at}.jobs[${seen}].name; give each job of team ${team.name} its own name`,
      });
    }
    problems.push(...checkJob(env, team, job, path, at, root));
  });
  problems.push(...checkFilesSize(team, at, root));
  problems.push(...checkJobChains(env, team, at));
  // A problem in jobDefaults surfaces once, not once per job that inherits it.
  const unique = new Map(problems.map((p) => [`${p.path}\u0000${p.rule}`, p]));
  return [...unique.values()];
}

function checkJob(
  env: Environment,
  team: Team,
  job: Job,
  path: string,
  teamPath: string,
  root: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const named = `job ${job.name}`;
  if (job.name.length > JOB_NAME_MAX_LENGTH) {
    problems.push({
      path: `${path}.name`,
      value: job.name,
      rule: `is longer than ${JOB_NAME_MAX_LENGTH} characters, so its JobRun name <job>-<8 hex> would exceed Kubernetes' 63; shorten the job name`,
    });
  }
  problems.push(...checkSettings(env, team, job, path, job.name));

  // Settings as merged with the team defaults: report what is still missing or clashing.
  const settings = mergeJobSettings(env, team, job);
  const origin = (field: keyof JobSettings) =>
    job[field] !== undefined || team.jobDefaults?.[field] === undefined
      ? `${path}.${field}`
      : `${teamPath}.jobDefaults.${field}`;
  if (settings.storage === undefined) {
    problems.push({
      path: `${path}.storage`,
      value: undefined,
      rule: `is required for ${named}: node pool ${settings.nodePool ?? '(none)'} offers no scratch storage in this environment; enable storage.nvme or storage.ebs, or set storage on the job or jobDefaults.storage on team ${team.name}`,
    });
  }
  const pool = env.nodePools.find((p) => p.name === settings.nodePool);
  if (pool && settings.storage !== undefined && team.nodePools.includes(pool.name)) {
    const enabled = storageVariants(env, pool);
    if (!enabled.includes(settings.storage)) {
      problems.push({
        path: origin('storage'),
        value: settings.storage,
        rule: `is not enabled for node pool ${pool.name} in this environment (${named}; enabled: ${enabled.join(', ') || 'none'}); enable it under storage or pick one of those`,
      });
    }
  }
  const gang = settings.gangScheduling?.enabled === true;
  if (gang && settings.dynamicAllocation?.minExecutors === 0) {
    problems.push({
      path: `${origin('dynamicAllocation')}.minExecutors`,
      value: 0,
      rule: `reserves no executors for gang-scheduled ${named}; set minExecutors to at least 1`,
    });
  }

  problems.push(...checkSources(team, job, path, root));
  problems.push(...checkPlaceholders(team, job, settings, path));
  return problems;
}

/** Checks of settings that hold on their own (for a job, or for a team's jobDefaults). */
function checkSettings(
  env: Environment,
  team: Team,
  settings: JobSettings,
  path: string,
  jobName?: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const named = jobName === undefined ? `the job defaults of team ${team.name}` : `job ${jobName}`;
  if (settings.nodePool !== undefined) {
    const known = env.nodePools.map((p) => p.name);
    if (!known.includes(settings.nodePool)) {
      problems.push({
        path: `${path}.nodePool`,
        value: settings.nodePool,
        rule: `names no node pool of this environment (${named}); use one of team ${team.name}'s pools: ${team.nodePools.join(', ')}`,
      });
    } else if (!team.nodePools.includes(settings.nodePool)) {
      problems.push({
        path: `${path}.nodePool`,
        value: settings.nodePool,
        rule: `is not a node pool team ${team.name} may use (${named}); add it to the team's nodePools or use one of ${team.nodePools.join(', ')}`,
      });
    }
  }
  if (settings.gangScheduling?.enabled === true && !env.addons.yunikorn) {
    problems.push({
      path: `${path}.gangScheduling.enabled`,
      value: true,
      rule: `needs addons.yunikorn (${named} is gang-scheduled by YuniKorn); enable the add-on or set gangScheduling.enabled: false`,
    });
  }
  if (settings.executor?.instances !== undefined && settings.dynamicAllocation !== undefined) {
    problems.push({
      path: `${path}.executor.instances`,
      value: settings.executor.instances,
      rule: `conflicts with dynamicAllocation in ${named}; set a fixed executor count or dynamic allocation, not both`,
    });
  }
  const dynamic = settings.dynamicAllocation;
  if (dynamic && dynamic.minExecutors > dynamic.maxExecutors) {
    problems.push({
      path: `${path}.dynamicAllocation.minExecutors`,
      value: dynamic.minExecutors,
      rule: `is more than maxExecutors (${dynamic.maxExecutors}) in ${named}`,
    });
  }
  if (
    dynamic?.initialExecutors !== undefined &&
    (dynamic.initialExecutors < dynamic.minExecutors || dynamic.initialExecutors > dynamic.maxExecutors)
  ) {
    problems.push({
      path: `${path}.dynamicAllocation.initialExecutors`,
      value: dynamic.initialExecutors,
      rule: `must lie between minExecutors (${dynamic.minExecutors}) and maxExecutors (${dynamic.maxExecutors}) in ${named}`,
    });
  }
  for (const [key, value] of Object.entries(settings.sparkConf ?? {})) {
    const owner = OWNED_PROPERTIES.find(([pattern]) => pattern.test(key));
    const platformRule = platformPropertyRule(key, value, env.allowedSparkImages);
    if (owner) {
      problems.push({
        path: `${path}.sparkConf["${key}"]`,
        value,
        rule: `is rendered from the typed field ${owner[1]} (${named}); set that field instead`,
      });
    } else if (platformRule !== undefined) {
      problems.push({ path: `${path}.sparkConf["${key}"]`, value, rule: `${platformRule} (${named})` });
    }
    const sizing = SIZING_PROPERTIES.find(([pattern]) => pattern.test(key));
    if (sizing && !sizing[1].test(value)) {
      problems.push({
        path: `${path}.sparkConf["${key}"]`,
        value,
        rule: `must be ${sizing[2]} (${named}; pod requests and YuniKorn reservations are computed from it)`,
      });
    }
  }
  return problems;
}

/** The script and files: where they live, that they exist and are text. */
function checkSources(team: Team, job: Job, path: string, root: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const folder = teamJobsFolder(team);
  const check = (value: string, at: string, allowImage: boolean) => {
    if (allowImage && value.startsWith(IMAGE_SCHEME)) {
      if (!/^local:\/\/\/\S+[^/]$/.test(value)) {
        problems.push({
          path: at,
          value,
          rule: `must be an absolute path to a file in the EMR image, such as local:///usr/lib/spark/examples/src/main/python/pi.py (job ${job.name})`,
        });
      }
      return;
    }
    const base = value.split('/').pop() ?? value;
    if (jobFile(team, value) === undefined) {
      // A bare file name, `./x` or another team's copy: the team folder may have that file.
      const same = folderFiles(root, folder).includes(base) ? `; did you mean ${folder}${base}?` : '';
      problems.push({
        path: at,
        value,
        rule: `must be a file directly in ${folder} (such as ${folder}etl.py)${allowImage ? ` or a local:/// path in the EMR image` : ''} (job ${job.name})${same}`,
      });
      return;
    }
    const fence = teamEntryProblem(root, value, 'file');
    if (fence !== undefined) {
      problems.push({ path: at, value, rule: `${fence} (job ${job.name})` });
      return;
    }
    const absolute = join(root, value);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      const near = closest(base, folderFiles(root, folder));
      problems.push({
        path: at,
        value,
        rule: `names no file in the repository (job ${job.name}); ${near === undefined ? 'add the file or fix the path' : `did you mean ${folder}${near}?`}`,
      });
      return;
    }
    if (!isUtf8Text(readFileSync(absolute))) {
      problems.push({
        path: at,
        value,
        rule: `is not a UTF-8 text file (job ${job.name}); job files travel in a ConfigMap, so put binaries in S3 and reference them with {{teamS3}}`,
      });
    }
  };
  check(job.script, `${path}.script`, true);
  job.files.forEach((file, i) => check(file, `${path}.files[${i}]`, false));
  return problems;
}

/** The files a job may ship from a team folder (not the job definitions; none without a folder). */
function folderFiles(root: string, folder: string): string[] {
  try {
    return readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.yaml'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Placeholders in arguments and Spark properties must be known; artifacts must be the job's own. */
function checkPlaceholders(team: Team, job: Job, settings: JobSettings, path: string): ConfigProblem[] {
  const artifacts = [job.script, ...job.files].flatMap((p) => jobFile(team, p)?.file ?? []);
  const known = [
    ...Object.keys(PLACEHOLDERS).map((k) => `{{${k}}}`),
    `{{${ARTIFACT_PLACEHOLDER}<file>}}`,
    `{{${INPUT_PLACEHOLDER}<dataset>}}`,
  ];
  const datasets = team.inputData.map((d) => d.name);
  const problems: ConfigProblem[] = [];
  const check = (text: string, at: string) => {
    for (const [, token = ''] of text.matchAll(PLACEHOLDER)) {
      if (token in PLACEHOLDERS) continue;
      if (token.startsWith(ARTIFACT_PLACEHOLDER)) {
        const file = token.slice(ARTIFACT_PLACEHOLDER.length);
        if (artifacts.includes(file)) continue;
        problems.push({
          path: at,
          value: text,
          rule: `refers to ${file}, which is neither the script nor one of the files of job ${job.name} (${artifacts.join(', ') || 'none'}); add it to files`,
        });
        continue;
      }
      if (token.startsWith(INPUT_PLACEHOLDER)) {
        const name = token.slice(INPUT_PLACEHOLDER.length);
        if (datasets.includes(name)) continue;
        problems.push({
          path: at,
          value: text,
          rule: `refers to input data ${name}, which team ${team.name} does not declare (inputData: ${datasets.join(', ') || 'none'}); add it to the team's inputData`,
        });
        continue;
      }
      problems.push({
        path: at,
        value: text,
        rule: `uses the unknown placeholder {{${token}}} (job ${job.name}); known: ${known.join(', ')}`,
      });
    }
  };
  job.arguments.forEach((argument, i) => check(argument, `${path}.arguments[${i}]`));
  for (const [key, value] of Object.entries(settings.sparkConf ?? {})) {
    check(value, `${path}.sparkConf["${key}"]`);
  }
  return problems;
}

/** All job files of a team travel in one ConfigMap. */
function checkFilesSize(team: Team, at: string, root: string): ConfigProblem[] {
  const paths = new Set(
    team.jobs.flatMap((job) => [job.script, ...job.files]).filter((p) => jobFile(team, p) !== undefined),
  );
  let bytes = 0;
  for (const path of paths) {
    const absolute = join(root, path);
    if (existsSync(absolute) && statSync(absolute).isFile()) bytes += statSync(absolute).size;
  }
  if (bytes <= JOB_FILES_MAX_BYTES) return [];
  return [
    {
      path: `${at}.jobs`,
      value: `${Math.ceil(bytes / 1024)} KiB`,
      rule: `of job files is more than the ${JOB_FILES_MAX_BYTES / 1024} KiB a team's job-files ConfigMap may carry; put large files in S3 and reference them with {{teamS3}}`,
    },
  ];
}
