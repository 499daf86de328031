import { JOB_LABEL, TEAM_LABEL } from '../constructs/emr-job-run';
import { CHAIN_LABELS, ONE_SHOT_TICK } from './launcher-names';

/** The labels the launcher reads and writes, spelled where the rendered JobRuns take them. */
const labelEntries = Object.entries({ team: TEAM_LABEL, job: JOB_LABEL, ...CHAIN_LABELS })
  .map(([key, label]) => `  ${key}: '${label}',`)
  .join('\n');

/**
 * The job launcher (decision 19, docs/decisions.md): a CommonJS program for the pinned Node.js
 * image, shipped in the team's launcher ConfigMap and run by its CronJobs. It is kept here as
 * text so that render does no I/O and the test runs exactly the bytes that are shipped
 * (`test/manifests/launcher-script.test.ts` loads it with `node:vm`).
 *
 * Two modes, both one short pass over the team's JobRuns (list, then create or delete):
 *
 * - `tick <job>`: run by `launch-<job>` at each scheduled time (and by `kubectl create job
 *   --from=cronjob/launch-<job>` for a run now). It creates the tick's first attempt, named
 *   from the job, its hash and the scheduled time, after applying the concurrency policy to the
 *   job's runs still going, then deletes finished runs older than the last `keep` ticks.
 * - `follow-up`: run every minute by `job-follow-up`. It starts a job whose dependencies'
 *   latest runs completed (`after`), and a further attempt of a failed one (`retry`) once its
 *   backoff has passed; and it deletes finished attempts of definitions that are gone.
 *
 * The planning functions are pure (JobRuns and the time in, actions out); `main` does the I/O
 * with the pod's service account token against the API server, nothing else.
 */
export const LAUNCHER_SCRIPT = String.raw`'use strict';
const crypto = require('crypto');

const LABEL = {
${labelEntries}
};
const ONCE = '${ONE_SHOT_TICK}';
const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

function hex8(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** 2026-12-07T18:00Z → "20261207T1800Z" (a label value that sorts in time order). */
function tickLabel(ms) {
  const iso = new Date(Math.floor(ms / 60000) * 60000).toISOString();
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + 'T' + iso.slice(11, 13) + iso.slice(14, 16) + 'Z';
}

/**
 * The tick a launcher pod serves. The CronJob controller names its Jobs <cronjob>-<scheduled
 * minute since the epoch>; any other Job name is a run started by hand, ticked now.
 */
function scheduledTick(kubeJobName, cronJobName, now) {
  const prefix = cronJobName + '-';
  const rest = kubeJobName.startsWith(prefix) ? kubeJobName.slice(prefix.length) : '';
  if (/^[0-9]+$/.test(rest)) return tickLabel(Number(rest) * 60000);
  return tickLabel(now) + '-manual';
}

function runKey(job, tick) {
  return tick === ONCE ? job.runKey : hex8(job.hash + '/' + tick);
}

/** Attempt 1 is <job>-<run key> (for a one-shot job, the name its committed JobRun has). */
function runName(jobName, key, attempt) {
  return attempt === 1 ? jobName + '-' + key : jobName + '-' + hex8(key + '/' + attempt);
}

/** The facts of a listed JobRun the plans read. */
function observe(item) {
  const metadata = item.metadata || {};
  const labels = metadata.labels || {};
  const status = item.status || {};
  const times = [Date.parse(metadata.creationTimestamp || '') || 0];
  for (const condition of status.conditions || []) times.push(Date.parse(condition.lastTransitionTime || '') || 0);
  return {
    name: metadata.name,
    job: labels[LABEL.job],
    hash: labels[LABEL.hash],
    run: labels[LABEL.run],
    tick: labels[LABEL.tick],
    attempt: Number(labels[LABEL.attempt] || '1'),
    launched: labels[LABEL.launchedBy] === 'launcher',
    state: status.state || '',
    created: times[0],
    changed: Math.max.apply(null, times),
  };
}

function active(run) {
  return TERMINAL.indexOf(run.state) === -1;
}

function create(config, jobName, tick, attempt, template) {
  const job = config.jobs[jobName];
  const key = runKey(job, tick);
  const name = runName(jobName, key, attempt);
  const labels = Object.assign({}, template.metadata.labels);
  labels[LABEL.hash] = job.hash;
  labels[LABEL.run] = key;
  labels[LABEL.tick] = tick;
  labels[LABEL.attempt] = String(attempt);
  labels[LABEL.launchedBy] = 'launcher';
  return {
    op: 'create',
    name: name,
    object: {
      apiVersion: template.apiVersion,
      kind: template.kind,
      metadata: {
        name: name,
        namespace: config.namespace,
        labels: labels,
        annotations: Object.assign({}, template.metadata.annotations),
      },
      spec: Object.assign({}, template.spec, { name: name }),
    },
  };
}

function del(run, why) {
  return { op: 'delete', name: run.name, why: why };
}

/**
 * Before a new run of a job: Forbid skips it while a run is going, Replace deletes the runs going
 * (their deletion policy cancels them in EMR), Allow starts it beside them.
 */
function concurrency(policy, mine, what) {
  const going = mine.filter(active);
  if (going.length === 0 || policy === 'Allow') return { go: true, actions: [] };
  if (policy === 'Forbid') {
    return { go: false, actions: [{ op: 'skip', why: what + ': ' + going.map((r) => r.name).join(', ') + ' still running (Forbid)' }] };
  }
  return { go: true, actions: going.map((r) => del(r, 'replaced by ' + what)) };
}

/** Finished runs of ticks older than the last keep ones. */
function prune(mine, keep, also) {
  const ticks = [];
  for (const run of mine.concat(also || [])) {
    if (run.tick !== ONCE && run.tick !== undefined && ticks.indexOf(run.tick) === -1) ticks.push(run.tick);
  }
  ticks.sort().reverse();
  const old = ticks.slice(keep);
  const actions = [];
  for (const tick of old) {
    const runs = mine.filter((r) => r.tick === tick);
    if (runs.every((r) => !active(r))) for (const run of runs) actions.push(del(run, 'older than the last ' + keep + ' ticks'));
  }
  return actions;
}

/** One scheduled tick of a job. */
function planTick(config, jobName, tick, runs, template) {
  const job = config.jobs[jobName];
  const mine = runs.filter((r) => r.job === jobName);
  const key = runKey(job, tick);
  if (mine.some((r) => r.run === key)) return [{ op: 'skip', why: 'tick ' + tick + ' already has its run' }];
  const gate = concurrency(job.schedule.concurrencyPolicy, mine, 'tick ' + tick);
  if (!gate.go) return gate.actions.concat(prune(mine, job.schedule.keep));
  const made = create(config, jobName, tick, 1, template);
  const replaced = gate.actions.map((a) => a.name);
  const left = mine.filter((r) => replaced.indexOf(r.name) === -1);
  return gate.actions.concat([made], prune(left, job.schedule.keep, [{ tick: tick, state: '' }]));
}

/** The latest tick (one-shot: the current run key) of a dependency that every dependency completed. */
function upstreamTick(config, job, runs) {
  if (job.oneShot) {
    const done = job.after.every((dependency) =>
      runs.some((r) => r.job === dependency && r.run === job.upstream[dependency] && r.state === 'COMPLETED'),
    );
    return done ? ONCE : undefined;
  }
  let latest;
  for (const run of runs) {
    if (job.after.indexOf(run.job) !== -1 && run.tick !== ONCE && run.tick !== undefined && (latest === undefined || run.tick > latest)) latest = run.tick;
  }
  if (latest === undefined) return undefined;
  const done = job.after.every((dependency) =>
    runs.some((r) => r.job === dependency && r.tick === latest && r.state === 'COMPLETED'),
  );
  return done ? latest : undefined;
}

/** One follow-up pass: dependencies, retries, cleanup of gone definitions. */
function planFollowUp(config, runs, now, templates) {
  const actions = [];
  for (const jobName of Object.keys(config.jobs).sort()) {
    const job = config.jobs[jobName];
    const mine = runs.filter((r) => r.job === jobName);
    // after: start the run that follows the dependencies' latest completed tick.
    if (job.after.length > 0) {
      const tick = upstreamTick(config, job, runs);
      // One-shot: the run of this definition after these dependency runs; scheduled: any run of the tick.
      const started = mine.some((r) => (job.oneShot ? r.run === job.runKey : r.tick === tick));
      if (tick !== undefined && !started) {
        const policy = job.schedule ? job.schedule.concurrencyPolicy : 'Allow';
        const gate = concurrency(policy, mine, jobName + ' after tick ' + tick);
        actions.push.apply(actions, gate.actions);
        if (gate.go) actions.push(create(config, jobName, tick, 1, templates(jobName)));
      }
      if (job.schedule) actions.push.apply(actions, prune(mine, job.schedule.keep));
    }
    // retry: a failed attempt of the job's latest run is followed by the next, after its backoff.
    if (job.retry) {
      const current = mine.filter((r) => (job.oneShot ? r.run === job.runKey : r.hash === job.hash && r.tick !== ONCE));
      let latestTick;
      for (const run of current) if (latestTick === undefined || run.tick > latestTick) latestTick = run.tick;
      const attempts = current.filter((r) => r.tick === latestTick);
      const last = attempts.reduce((a, b) => (a === undefined || b.attempt > a.attempt ? b : a), undefined);
      if (last !== undefined && last.state === 'FAILED' && attempts.every((r) => r.state !== 'COMPLETED' && !active(r))) {
        if (last.attempt >= job.retry.attempts) {
          actions.push({ op: 'skip', why: jobName + ': attempt ' + last.attempt + ' of ' + job.retry.attempts + ' failed; no attempts left' });
        } else {
          const due = last.changed + job.retry.backoffSeconds * 1000 * Math.pow(2, last.attempt - 1);
          if (now >= due) actions.push(create(config, jobName, last.tick, last.attempt + 1, templates(jobName)));
          else actions.push({ op: 'skip', why: jobName + ': attempt ' + (last.attempt + 1) + ' due at ' + new Date(due).toISOString() });
        }
      }
    }
    // Finished runs the launcher made for a one-shot definition that is no longer current.
    if (job.oneShot) {
      for (const run of mine) {
        if (run.launched && run.tick === ONCE && run.run !== job.runKey && !active(run)) actions.push(del(run, 'definition replaced'));
      }
    }
  }
  return actions;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

function request(method, path, body) {
  const fs = require('fs');
  const https = require('https');
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: process.env.KUBERNETES_SERVICE_HOST,
        port: process.env.KUBERNETES_SERVICE_PORT,
        method: method,
        path: path,
        ca: fs.readFileSync(SERVICE_ACCOUNT + '/ca.crt'),
        headers: Object.assign(
          { authorization: 'Bearer ' + fs.readFileSync(SERVICE_ACCOUNT + '/token', 'utf8').trim(), accept: 'application/json' },
          payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ),
        timeout: 30000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(method + ' ' + path + ' timed out')));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function main(argv) {
  const fs = require('fs');
  const dir = process.env.LAUNCHER_DIR || '/launcher';
  const config = JSON.parse(fs.readFileSync(dir + '/config/launcher.json', 'utf8'));
  const templates = (jobName) => JSON.parse(fs.readFileSync(dir + '/templates/' + jobName + '.json', 'utf8'));
  const base = '/apis/emrcontainers.services.k8s.aws/v1alpha1/namespaces/' + config.namespace + '/jobruns';
  const listed = await request('GET', base + '?labelSelector=' + encodeURIComponent(LABEL.team + '=' + config.team));
  if (listed.status !== 200) throw new Error('listing JobRuns: HTTP ' + listed.status + ' ' + JSON.stringify(listed.body));
  const runs = (listed.body.items || []).map(observe);
  const now = Date.now();
  let actions;
  if (argv[0] === 'tick') {
    const jobName = argv[1];
    const tick = scheduledTick(process.env.LAUNCHER_JOB_NAME || '', process.env.LAUNCHER_CRONJOB || '', now);
    actions = planTick(config, jobName, tick, runs, templates(jobName));
  } else if (argv[0] === 'follow-up') {
    actions = planFollowUp(config, runs, now, templates);
  } else throw new Error('usage: launcher.js tick <job> | follow-up');
  for (const action of actions) {
    if (action.op === 'create') {
      const made = await request('POST', base, action.object);
      if (made.status !== 201 && made.status !== 409) throw new Error('creating ' + action.name + ': HTTP ' + made.status + ' ' + JSON.stringify(made.body));
      console.log((made.status === 409 ? 'exists ' : 'created ') + action.name);
    } else if (action.op === 'delete') {
      const gone = await request('DELETE', base + '/' + action.name);
      if (gone.status !== 200 && gone.status !== 202 && gone.status !== 404) throw new Error('deleting ' + action.name + ': HTTP ' + gone.status);
      console.log('deleted ' + action.name + ' (' + action.why + ')');
    } else console.log('skipped: ' + action.why);
  }
}

module.exports = { LABEL, hex8, tickLabel, scheduledTick, runKey, runName, observe, planTick, planFollowUp, main };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error('launcher: ' + error.message);
    process.exit(1);
  });
}
`;
