import {
  CronSyntaxError,
  isTimeZone,
  nextRuns,
  parseCron,
  runsBetween,
  type CronSchedule,
} from '../../../lib/cron';
import type { JobRun } from '../../bindings/emrcontainers.services.k8s.aws';
import type { Located, PodTemplate } from '../../cross-checks';
import { FindingSink } from '../../findings';
import { quantityValue } from '../../../lib/kubernetes-formats';
import { asArray, asObject as obj, asString as str, isObject, type Json } from '../../../lib/json';
import { RuntimeObjects, type RuntimeObject } from '../../runtime/objects';
import type { SchemaRegistry } from '../../schema-registry';
import { structuralProblems } from '../../structural';
import { checkJobRunObject } from '../jobrun/jobrun';
import { jobRunPods } from '../jobrun/pods';
import type { ModelContainer, ModelPod } from '../pod/model';

/**
 * The job launcher and its schedules (decision 19, docs/decisions.md), checked before merge:
 *
 * - every CronJob: its schedule parses and its time zone is an IANA name (`schedule.cron`,
 *   `schedule.time-zone`);
 * - a launcher (`app.kubernetes.io/name: job-launcher`): a pinned image (`launcher.image`), Pod
 *   Security `restricted` (`launcher.pod-security-restricted`), its own service account, bound
 *   to a Role that may only create, list, get and delete JobRuns (`launcher.rbac`);
 * - every JobRun template (`jobrun-*` ConfigMaps): the JobRun checks, and no Argo CD tracking
 *   on it (`launcher.template-tracked`);
 * - the launcher's `after` order: known jobs, no cycle (`schedule.after-unknown`,
 *   `schedule.after-cycle`);
 * - a scheduled run that starts inside a NodePool's disruption freeze (`schedule.freeze-overlap`);
 * - jobs of one namespace that start in the same minute and together exceed its ResourceQuota
 *   (`schedule.quota-same-minute`).
 *
 * The time-based checks run over one reference year (2025, UTC), so a finding does not depend
 * on the day the validator runs.
 */

const LAUNCHER_APP = 'job-launcher';
const ALLOWED_VERBS = new Set(['create', 'list', 'get', 'delete']);
const JOB_RUN_GROUP = 'emrcontainers.services.k8s.aws';
const REFERENCE_FROM = Date.UTC(2025, 0, 1);
const REFERENCE_TO = Date.UTC(2026, 0, 1);
/** Runs of one schedule compared per year at most (an every-minute schedule: its first ~14 days). */
const MAX_RUNS = 20_000;
/** Volume types Pod Security `restricted` allows. */
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const list = (value: unknown): Json[] => asArray(value).filter(isObject);

/** Every check of this file over one environment's objects. */
export function checkLaunchers(
  outer: FindingSink,
  objects: readonly Located[],
  podTemplates: readonly PodTemplate[],
  registry: SchemaRegistry,
): void {
  // Launchers of one namespace share a Role: each problem is reported once.
  const sink = new FindingSink();
  const runtime = new RuntimeObjects(objects);
  const scheduled: { cron: RuntimeObject; schedule: CronSchedule; timeZone: string; job?: string }[] = [];
  for (const cron of runtime.ofKind('CronJob')) {
    const spec = obj(cron.object.spec);
    const timeZone = str(spec.timeZone) ?? 'UTC';
    if (!isTimeZone(timeZone)) {
      sink.report(
        cron.file,
        '$.spec.timeZone',
        'schedule.time-zone',
        `"${timeZone}" is not an IANA time zone name (such as UTC or Europe/Berlin), so the CronJob controller never schedules it`,
      );
    }
    let schedule: CronSchedule | undefined;
    try {
      schedule = parseCron(str(spec.schedule) ?? '');
    } catch (error) {
      if (!(error instanceof CronSyntaxError)) throw error;
      sink.report(
        cron.file,
        '$.spec.schedule',
        'schedule.cron',
        `"${str(spec.schedule) ?? ''}" ${error.message}`,
      );
    }
    if (schedule !== undefined && isTimeZone(timeZone)) {
      if (nextRuns(schedule, timeZone, REFERENCE_FROM, 1).length === 0) {
        sink.report(
          cron.file,
          '$.spec.schedule',
          'schedule.cron',
          `"${schedule.source}" names a date that never comes (such as 30 February), so it never runs`,
        );
      }
      const job = str(obj(obj(cron.object.metadata).labels)['emr-eks-gitops/job']);
      scheduled.push({ cron, schedule, timeZone, ...(job !== undefined ? { job } : {}) });
    }
    if (str(obj(obj(cron.object.metadata).labels)['app.kubernetes.io/name']) === LAUNCHER_APP) {
      checkLauncherPod(sink, cron, runtime);
    }
  }
  const templates = checkTemplates(sink, runtime, registry);
  checkAfter(sink, runtime);
  const facts = new ScheduledFacts(templates, podTemplates);
  checkFreezeWindows(sink, runtime, scheduled, facts);
  checkSameMinute(sink, runtime, scheduled, facts);
  const seen = new Set<string>();
  for (const f of sink.findings) {
    const key = JSON.stringify([f.file, f.path, f.rule, f.message]);
    if (!seen.has(key)) outer.report(f.file, f.path, f.rule, f.message);
    seen.add(key);
  }
}

function checkLauncherPod(sink: FindingSink, cron: RuntimeObject, runtime: RuntimeObjects): void {
  const base = '$.spec.jobTemplate.spec.template.spec';
  const pod = obj(obj(obj(obj(cron.object.spec).jobTemplate).spec).template);
  const spec = obj(pod.spec);
  const report = (path: string, rule: string, message: string) =>
    sink.report(cron.file, `${base}${path}`, rule, `launcher ${cron.name}: ${message}`);
  const containers = [...list(spec.initContainers), ...list(spec.containers)];
  containers.forEach((container) => {
    const image = str(container.image) ?? '';
    const pinned = /@sha256:[0-9a-f]{64}$/.test(image) || /:(?!latest$)[^:/@]*\d[^:/@]*$/.test(image);
    if (!pinned) {
      report(
        '.containers',
        'launcher.image',
        `image "${image}" is not pinned; name an exact version tag or a digest (config/versions.ts)`,
      );
    }
  });
  for (const violation of restrictedViolations(spec)) {
    report(
      violation.path,
      'launcher.pod-security-restricted',
      `breaks Pod Security restricted (${violation.detail}); the launcher runs with the least privilege a pod can have`,
    );
  }
  const account = str(spec.serviceAccountName);
  if (account === undefined || account === 'default') {
    report(
      '.serviceAccountName',
      'launcher.rbac',
      'runs as the default service account; give it its own (job-launcher)',
    );
    return;
  }
  const namespace = cron.namespace;
  const bindings = runtime
    .ofKind('RoleBinding', namespace)
    .filter((b) =>
      list(b.object.subjects).some(
        (s) => s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? namespace) === namespace,
      ),
    );
  if (bindings.length === 0) {
    report(
      '.serviceAccountName',
      'launcher.rbac',
      `service account ${account} is bound to no Role, so it cannot create JobRuns`,
    );
  }
  for (const binding of bindings) {
    const ref = obj(binding.object.roleRef);
    if (ref.kind !== 'Role') {
      sink.report(
        binding.file,
        '$.roleRef',
        'launcher.rbac',
        `binds the launcher's service account ${account} to ${str(ref.kind) ?? '?'} ${str(ref.name) ?? '?'}; bind it to a Role of its namespace only`,
      );
      continue;
    }
    const role = runtime.find('Role', str(ref.name), namespace);
    list(role?.object.rules).forEach((rule, i) => {
      const groups = Array.isArray(rule.apiGroups) ? rule.apiGroups : [];
      const resources = Array.isArray(rule.resources) ? rule.resources : [];
      const verbs = Array.isArray(rule.verbs) ? rule.verbs : [];
      const wider =
        groups.some((g) => g !== JOB_RUN_GROUP) ||
        resources.some((r) => r !== 'jobruns') ||
        verbs.some((v) => typeof v !== 'string' || !ALLOWED_VERBS.has(v)) ||
        rule.resourceNames !== undefined ||
        rule.nonResourceURLs !== undefined;
      if (wider && role !== undefined) {
        sink.report(
          role.file,
          `$.rules[${i}]`,
          'launcher.rbac',
          `the launcher's Role allows ${JSON.stringify({ apiGroups: groups, resources, verbs })}; it may only create, list, get and delete jobruns (${JOB_RUN_GROUP})`,
        );
      }
    });
  }
}

interface Violation {
  readonly path: string;
  readonly detail: string;
}

/** Pod Security `restricted` (beyond `baseline`) of a pod spec. */
export function restrictedViolations(spec: Json): Violation[] {
  const found: Violation[] = [];
  const pod = obj(spec.securityContext);
  const podSeccomp = str(obj(pod.seccompProfile).type);
  list(spec.volumes).forEach((volume, i) => {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type !== undefined && !RESTRICTED_VOLUMES.has(type)) {
      found.push({ path: `.volumes[${i}]`, detail: `volume type ${type}` });
    }
  });
  if (pod.runAsUser === 0) found.push({ path: '.securityContext.runAsUser', detail: 'runAsUser 0' });
  for (const field of ['initContainers', 'containers'] as const) {
    list(spec[field]).forEach((container, i) => {
      const at = `.${field}[${i}].securityContext`;
      const context = obj(container.securityContext);
      if (context.allowPrivilegeEscalation !== false) {
        found.push({ path: at, detail: 'allowPrivilegeEscalation is not false' });
      }
      const drop = Array.isArray(obj(context.capabilities).drop)
        ? (obj(context.capabilities).drop as unknown[])
        : [];
      if (!drop.includes('ALL')) found.push({ path: at, detail: 'capabilities do not drop ALL' });
      const add = Array.isArray(obj(context.capabilities).add)
        ? (obj(context.capabilities).add as unknown[])
        : [];
      if (add.some((c) => c !== 'NET_BIND_SERVICE')) found.push({ path: at, detail: 'adds a capability' });
      if ((context.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
        found.push({ path: at, detail: 'runAsNonRoot is not true' });
      }
      if (context.runAsUser === 0) found.push({ path: at, detail: 'runAsUser 0' });
      const seccomp = str(obj(context.seccompProfile).type) ?? podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        found.push({ path: at, detail: 'no RuntimeDefault or Localhost seccomp profile' });
      }
    });
  }
  return found;
}

/** The JobRun templates by job, each checked as the JobRun it becomes. */
function checkTemplates(
  sink: FindingSink,
  runtime: RuntimeObjects,
  registry: SchemaRegistry,
): Map<string, RuntimeObject> {
  const byJob = new Map<string, RuntimeObject>();
  for (const configMap of runtime.ofKind('ConfigMap')) {
    if (!configMap.name.startsWith('jobrun-')) continue;
    const text = obj(configMap.object.data)['jobrun.json'];
    const path = "$.data['jobrun.json']";
    let template: unknown;
    try {
      template = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      template = undefined;
    }
    if (!isObject(template) || template.kind !== 'JobRun') {
      sink.report(
        configMap.file,
        path,
        'launcher.template',
        'is not a JobRun template (JSON of a JobRun without its name)',
      );
      continue;
    }
    const metadata = obj(template.metadata);
    const tracked = [
      ...Object.keys(obj(metadata.annotations)).filter((k) => k.startsWith('argocd.argoproj.io/')),
      ...Object.keys(obj(metadata.labels)).filter((k) => k === 'app.kubernetes.io/instance'),
    ];
    if (tracked.length > 0) {
      sink.report(
        configMap.file,
        path,
        'launcher.template-tracked',
        `carries Argo CD's ${tracked.join(', ')}: the runs the launcher creates from it would look like the app's own and be pruned at the next sync; leave Argo CD's keys out of the template`,
      );
    }
    const name = `${configMap.name.replace(/^jobrun-/, '')}`;
    const run: Json = {
      ...template,
      metadata: { ...metadata, name },
      spec: { ...obj(template.spec), name },
    };
    // Checked as the JobRun it becomes: its pinned schema, then (once accepted) the JobRun rules.
    const schema = registry.lookup(str(template.apiVersion) ?? '', 'JobRun');
    if (schema !== undefined) {
      const accepted = schema.validate(run);
      for (const problem of structuralProblems(schema.validate.errors)) {
        sink.report(configMap.file, `${path}${problem.path.slice(1)}`, problem.rule, problem.message);
      }
      if (accepted) checkJobRunObject(sink, configMap.file, run as unknown as JobRun);
    }
    const job = str(obj(metadata.labels)['emr-eks-gitops/job']);
    const [located] = new RuntimeObjects([{ file: configMap.file, object: run }]).all;
    if (job !== undefined && located !== undefined) byJob.set(`${configMap.namespace ?? ''}/${job}`, located);
  }
  return byJob;
}

/** The launcher config's `after`: names of its own jobs, without a cycle. */
function checkAfter(sink: FindingSink, runtime: RuntimeObjects): void {
  for (const configMap of runtime.ofKind('ConfigMap')) {
    if (!configMap.name.startsWith('job-launcher-')) continue;
    const text = obj(configMap.object.data)['launcher.json'];
    let config: unknown;
    try {
      config = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      config = undefined;
    }
    const path = "$.data['launcher.json']";
    if (!isObject(config) || !isObject(config.jobs)) {
      sink.report(
        configMap.file,
        path,
        'launcher.config',
        'is not the launcher config (JSON with a jobs map)',
      );
      continue;
    }
    const jobs = config.jobs;
    const after = (name: string): string[] =>
      (Array.isArray(obj(jobs[name]).after) ? (obj(jobs[name]).after as unknown[]) : []).filter(
        (d): d is string => typeof d === 'string',
      );
    const templates = new Set(
      runtime
        .ofKind('ConfigMap', configMap.namespace)
        .filter((c) => c.name.startsWith('jobrun-'))
        .map((c) => c.name.replace(/^jobrun-/, '').replace(/-[0-9a-f]{8}$/, '')),
    );
    const known = new Set([
      ...Object.keys(jobs),
      ...runtime
        .ofKind('JobRun', configMap.namespace)
        .map((r) => str(obj(obj(r.object.metadata).labels)['emr-eks-gitops/job']) ?? ''),
      ...templates,
    ]);
    for (const name of Object.keys(jobs).sort()) {
      for (const dependency of after(name)) {
        if (!known.has(dependency)) {
          sink.report(
            configMap.file,
            `${path}.jobs.${name}.after`,
            'schedule.after-unknown',
            `job ${name} runs after ${dependency}, which is no job of namespace ${configMap.namespace ?? ''}, so it would never start`,
          );
        }
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, stack: string[]): void => {
      state.set(name, 'visiting');
      for (const dependency of after(name)) {
        if (state.get(dependency) === 'visiting') {
          const loop = [...stack.slice(stack.indexOf(dependency)), name, dependency];
          sink.report(
            configMap.file,
            `${path}.jobs.${name}.after`,
            'schedule.after-cycle',
            `the jobs ${loop.join(' → ')} run after each other in a cycle, so none of them ever starts; remove one after entry`,
          );
        } else if (state.get(dependency) === undefined && jobs[dependency] !== undefined) {
          visit(dependency, [...stack, name]);
        }
      }
      state.set(name, 'done');
    };
    for (const name of Object.keys(jobs).sort()) if (!state.has(name)) visit(name, []);
  }
}

interface Scheduled {
  readonly cron: RuntimeObject;
  readonly schedule: CronSchedule;
  readonly timeZone: string;
  readonly job?: string;
}

/**
 * What the time-based checks read of each scheduled job: its run instants in the reference year
 * (at most {@link MAX_RUNS}) and the pods of its run, from its template. Each is worked out once,
 * when a check first asks, and shared by the checks.
 */
class ScheduledFacts {
  private readonly runs = new Map<Scheduled, number[]>();
  private readonly pods = new Map<Scheduled, ModelPod[]>();

  constructor(
    private readonly templates: ReadonlyMap<string, RuntimeObject>,
    private readonly podTemplates: readonly PodTemplate[],
  ) {}

  runsOf(s: Scheduled): number[] {
    let runs = this.runs.get(s);
    if (runs === undefined) {
      runs = nextRuns(s.schedule, s.timeZone, REFERENCE_FROM - 1, MAX_RUNS, REFERENCE_TO);
      this.runs.set(s, runs);
    }
    return runs;
  }

  podsOf(s: Scheduled): ModelPod[] {
    let pods = this.pods.get(s);
    if (pods === undefined) {
      const run = s.job === undefined ? undefined : this.templates.get(`${s.cron.namespace ?? ''}/${s.job}`);
      pods = run === undefined ? [] : jobRunPods(run, this.podTemplates);
      this.pods.set(s, pods);
    }
    return pods;
  }
}

function checkFreezeWindows(
  sink: FindingSink,
  runtime: RuntimeObjects,
  scheduled: readonly Scheduled[],
  facts: ScheduledFacts,
): void {
  const pools = runtime.ofKind('NodePool').flatMap((pool) => {
    const spec = obj(pool.object.spec);
    const labels = obj(obj(obj(spec.template).metadata).labels);
    return list(obj(spec.disruption).budgets)
      .filter(
        (b) => String(b.nodes) === '0' && typeof b.schedule === 'string' && typeof b.duration === 'string',
      )
      .flatMap((budget) => {
        try {
          const minutes = durationMinutes(str(budget.duration) ?? '');
          return minutes === undefined
            ? []
            : [{ pool, labels, budget, schedule: parseCron(str(budget.schedule) ?? ''), minutes }];
        } catch {
          return []; // the NodePool's own schema and CEL rules report a malformed budget
        }
      });
  });
  if (pools.length === 0) return;
  for (const s of scheduled) {
    const selectors = facts
      .podsOf(s)
      .filter((p) => p.role === 'driver' || p.role === 'executor')
      .map((p) => p.nodeSelector);
    const used = pools.filter(({ labels }) =>
      selectors.some((selector) =>
        Object.entries(selector).every(([k, v]) => k === 'karpenter.sh/capacity-type' || labels[k] === v),
      ),
    );
    const runs = facts.runsOf(s);
    for (const window of used) {
      const length = window.minutes * 60_000;
      const frozen = runsBetween(window.schedule, 'UTC', REFERENCE_FROM - length, REFERENCE_TO).map(
        (start) => [start, start + length] as const,
      );
      const hit = runs.find((at) => frozen.some(([start, end]) => at >= start && at < end));
      if (hit === undefined) continue;
      sink.report(
        s.cron.file,
        '$.spec.schedule',
        'schedule.freeze-overlap',
        `${s.cron.name} ("${s.schedule.source}" in ${s.timeZone}) starts runs inside the disruption freeze of NodePool ${window.pool.name} ("${str(window.budget.schedule) ?? ''}" UTC for ${str(window.budget.duration) ?? ''}), e.g. at ${new Date(hit).toISOString().slice(0, 16)}Z: the nodes it adds cannot be consolidated or replaced until the freeze ends; move the schedule out of the window`,
      );
    }
  }
}

function durationMinutes(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!match || text === '') return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** CPU (cores) and memory (bytes) one pod reserves: its containers, or its largest init container. */
function podRequests(pod: ModelPod): { cpu: number; memory: number } {
  const sum = (containers: readonly ModelContainer[], key: string) =>
    containers.reduce((total, c) => total + (c.requests.get(key) ?? 0), 0);
  const largest = (containers: readonly ModelContainer[], key: string) =>
    Math.max(0, ...containers.map((c) => c.requests.get(key) ?? 0));
  const of = (key: string) =>
    Math.max(
      sum(pod.containers, key) +
        sum(
          pod.initContainers.filter((c) => c.sidecar),
          key,
        ),
      largest(pod.initContainers, key),
    );
  return { cpu: of('cpu') * pod.count, memory: of('memory') * pod.count };
}

function checkSameMinute(
  sink: FindingSink,
  runtime: RuntimeObjects,
  scheduled: readonly Scheduled[],
  facts: ScheduledFacts,
): void {
  const byNamespace = new Map<string, Scheduled[]>();
  for (const s of scheduled) {
    if (s.job === undefined || s.cron.namespace === undefined) continue;
    byNamespace.set(s.cron.namespace, [...(byNamespace.get(s.cron.namespace) ?? []), s]);
  }
  for (const [namespace, jobs] of byNamespace) {
    if (jobs.length < 2) continue;
    const quota = runtime.ofKind('ResourceQuota', namespace)[0];
    const hard = obj(obj(quota?.object.spec).hard);
    const cpuLimit = quantityValue(hard['requests.cpu'] ?? hard.cpu);
    const memoryLimit = quantityValue(hard['requests.memory'] ?? hard.memory);
    if (quota === undefined || (cpuLimit === undefined && memoryLimit === undefined)) continue;
    const needs = new Map(
      jobs.map((s) => {
        const total = facts.podsOf(s).reduce(
          (acc, pod) => {
            const r = podRequests(pod);
            return { cpu: acc.cpu + r.cpu, memory: acc.memory + r.memory };
          },
          { cpu: 0, memory: 0 },
        );
        return [s, total] as const;
      }),
    );
    const starts = new Map<number, Scheduled[]>();
    for (const s of jobs) for (const at of facts.runsOf(s)) starts.set(at, [...(starts.get(at) ?? []), s]);
    const reported = new Set<string>();
    for (const [at, together] of [...starts].sort(([a], [b]) => a - b)) {
      if (together.length < 2) continue;
      const key = together
        .map((s) => s.cron.name)
        .sort()
        .join(',');
      if (reported.has(key)) continue;
      const cpu = together.reduce((t, s) => t + (needs.get(s)?.cpu ?? 0), 0);
      const memory = together.reduce((t, s) => t + (needs.get(s)?.memory ?? 0), 0);
      const overCpu = cpuLimit !== undefined && cpu > cpuLimit;
      const overMemory = memoryLimit !== undefined && memory > memoryLimit;
      if (!overCpu && !overMemory) continue;
      reported.add(key);
      const first = together[0];
      if (first === undefined) continue;
      sink.report(
        first.cron.file,
        '$.spec.schedule',
        'schedule.quota-same-minute',
        `${together.map((s) => s.job ?? s.cron.name).join(', ')} start in the same minute (e.g. ${new Date(at).toISOString().slice(0, 16)}Z) and together request ${cpu.toFixed(1)} CPU and ${(memory / 2 ** 30).toFixed(1)} GiB, more than ResourceQuota ${quota.name} of namespace ${namespace} allows (${JSON.stringify(hard['requests.cpu'] ?? '-')} CPU, ${JSON.stringify(hard['requests.memory'] ?? '-')}): pods beyond the quota are refused and the runs fail or wait; stagger the schedules`,
      );
    }
  }
}
