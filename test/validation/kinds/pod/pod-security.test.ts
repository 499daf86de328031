/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   the corpus breaks rendered objects by editing their YAML trees in place. */
import { describe, expect, it } from 'vitest';
import type { ValidationSet } from '../../../../validation/validate';
import { devEnvironment, editPodTemplate, edited, findingsOf, fixtureSet } from '../../fixture-runtime';
import type { Tree } from '../../helpers';

const env = devEnvironment();
const base = fixtureSet(env);
const A = 'emr-data-team-a';
const NAMESPACE = `_cluster/Namespace.${A}.yaml`;
const TEMPLATES = `${A}/ConfigMap.spark-pod-templates.yaml`;
const UPLOAD = new RegExp(`/${A}/Job\\.upload-artifacts-[0-9a-f]{8}\\.yaml$`);
const DRIVER = 'spark-compute-nvme-driver.yaml';
const EXECUTOR = 'spark-compute-nvme-executor.yaml';
const NODE_CLASS = '_cluster/EC2NodeClass.spark-compute.yaml';

/** `set` with one of team a's NVMe templates edited. */
function template(key: string, change: (pod: Tree) => void, set: ValidationSet = base): ValidationSet {
  return edited(set, TEMPLATES, (o) => editPodTemplate(o, key, change));
}

/** `set` with the pod template of team a's upload Job edited. */
function uploadPod(change: (spec: Tree) => void, set: ValidationSet = base): ValidationSet {
  return edited(set, UPLOAD, (o) => change(o.spec.template.spec));
}

function namespaceLabels(change: (labels: Record<string, string>) => void): ValidationSet {
  return edited(base, NAMESPACE, (o) => change(o.metadata.labels));
}

/** A Job of a namespace outside the teams, mounting the node's root. */
function foreignJob(namespaceLabels?: Record<string, string>): ValidationSet {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'node-agent',
      namespace: 'ops',
      annotations: { 'argocd.argoproj.io/hook': 'Sync' },
    },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'agent', image: 'public.ecr.aws/docker/library/busybox:1.37.0' }],
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
        },
      },
    },
  };
  const namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ops', ...(namespaceLabels ? { labels: namespaceLabels } : {}) },
  };
  return fixtureSet(env, [
    { file: 'dev/other/ops/Job.node-agent.yaml', object: job },
    { file: 'dev/other/_cluster/Namespace.ops.yaml', object: namespace },
  ]);
}

interface Case {
  readonly name: string;
  readonly set: () => ValidationSet;
  /** The file the finding must name (suffix or pattern). */
  readonly file: string | RegExp;
  /** A word the finding's message must contain. */
  readonly says: string;
}

const baseline = (name: string, file: string | RegExp, says: string, set: () => ValidationSet): Case => ({
  name,
  set,
  file,
  says,
});

/** Must-catch: each breaks one `baseline` control in a team namespace. */
const mustCatch: Case[] = [
  baseline('the old NVMe scratch: a hostPath of the node in a Spark template', TEMPLATES, 'hostPath', () =>
    template(EXECUTOR, (pod) => {
      pod.spec.volumes = [{ name: 'spark-local-dir-1', hostPath: { path: '/mnt/k8s-disks/0/spark' } }];
    }),
  ),
  baseline('a privileged init container in a driver template', TEMPLATES, 'privileged', () =>
    template(DRIVER, (pod) => {
      pod.spec.initContainers = [{ name: 'tune', image: 'busybox', securityContext: { privileged: true } }];
    }),
  ),
  baseline('hostNetwork on the upload Job', UPLOAD, 'hostNetwork', () =>
    uploadPod((spec) => {
      spec.hostNetwork = true;
    }),
  ),
  baseline('hostPID on a Spark template', TEMPLATES, 'hostPID', () =>
    template(DRIVER, (pod) => {
      pod.spec.hostPID = true;
    }),
  ),
  baseline('SYS_ADMIN added to the Spark container', TEMPLATES, 'SYS_ADMIN', () =>
    template(EXECUTOR, (pod) => {
      pod.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
    }),
  ),
  baseline('a hostPort on the upload container', UPLOAD, 'hostPort', () =>
    uploadPod((spec) => {
      spec.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }];
    }),
  ),
  baseline('seccomp Unconfined on a Spark template', TEMPLATES, 'seccomp', () =>
    template(DRIVER, (pod) => {
      pod.spec.securityContext.seccompProfile = { type: 'Unconfined' };
    }),
  ),
  baseline('an unsafe sysctl', TEMPLATES, 'kernel.msgmax', () =>
    template(DRIVER, (pod) => {
      pod.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
    }),
  ),
  baseline('procMount Unmasked', UPLOAD, '/proc', () =>
    uploadPod((spec) => {
      spec.containers[0].securityContext.procMount = 'Unmasked';
    }),
  ),
  baseline('a custom SELinux user', TEMPLATES, 'SELinux', () =>
    template(EXECUTOR, (pod) => {
      pod.spec.securityContext.seLinuxOptions = { user: 'system_u' };
    }),
  ),
  baseline('AppArmor unconfined by annotation', TEMPLATES, 'AppArmor', () =>
    template(EXECUTOR, (pod) => {
      pod.metadata.annotations = {
        'container.apparmor.security.beta.kubernetes.io/spark-kubernetes-executor': 'unconfined',
      };
    }),
  ),
  baseline('a Windows HostProcess pod', UPLOAD, 'HostProcess', () =>
    uploadPod((spec) => {
      spec.securityContext.windowsOptions = { hostProcess: true };
    }),
  ),
  baseline('a probe of another host (a baseline control since 1.34)', UPLOAD, 'host', () =>
    uploadPod((spec) => {
      spec.containers[0].livenessProbe = { tcpSocket: { host: '169.254.169.254', port: 80 } };
    }),
  ),
  baseline(
    'net.ipv4.tcp_rmem under checks pinned to 1.31 (allowed from 1.32)',
    TEMPLATES,
    'net.ipv4.tcp_rmem',
    () =>
      template(
        DRIVER,
        (pod) => {
          pod.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }];
        },
        edited(base, NAMESPACE, (o) => {
          o.metadata.labels['pod-security.kubernetes.io/enforce-version'] = 'v1.31';
        }),
      ),
  ),
  {
    name: 'a hostPath Job in a namespace that enforces baseline, outside the teams',
    file: 'Job.node-agent.yaml',
    says: 'hostPath',
    set: () => foreignJob({ 'pod-security.kubernetes.io/enforce': 'baseline' }),
  },
];

/** Near misses: close to a broken control, but within `baseline`. */
const nearMiss: { readonly name: string; readonly set: () => ValidationSet }[] = [
  { name: 'the rendered environment', set: () => base },
  {
    name: 'CHOWN added (in the default set), the rest dropped',
    set: () =>
      template(EXECUTOR, (pod) => {
        pod.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['CHOWN'] };
      }),
  },
  {
    name: 'hostPort 0 and a containerPort',
    set: () =>
      uploadPod((spec) => {
        spec.containers[0].ports = [{ containerPort: 8080, hostPort: 0 }];
      }),
  },
  {
    name: 'a Localhost seccomp profile',
    set: () =>
      template(DRIVER, (pod) => {
        pod.spec.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'spark.json' };
      }),
  },
  {
    name: 'net.ipv4.tcp_rmem under checks pinned to 1.34',
    set: () =>
      template(DRIVER, (pod) => {
        pod.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }];
      }),
  },
  {
    name: 'SELinux type container_engine_t (allowed from 1.31)',
    set: () =>
      template(EXECUTOR, (pod) => {
        pod.spec.securityContext.seLinuxOptions = { type: 'container_engine_t' };
      }),
  },
  {
    name: 'an emptyDir in memory as scratch',
    set: () =>
      template(EXECUTOR, (pod) => {
        pod.spec.volumes = [{ name: 'spark-local-dir-1', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }];
      }),
  },
  {
    name: 'procMount Unmasked in a user namespace under checks pinned to 1.35',
    set: () =>
      uploadPod(
        (spec) => {
          spec.hostUsers = false;
          spec.containers[0].securityContext.procMount = 'Unmasked';
        },
        edited(base, NAMESPACE, (o) => {
          o.metadata.labels['pod-security.kubernetes.io/enforce-version'] = 'v1.35';
        }),
      ),
  },
  { name: 'a hostPath Job in an unlabelled namespace outside the teams', set: () => foreignJob() },
];

describe('the Pod Security model: baseline in team namespaces', () => {
  it.each(mustCatch.map((c) => [c.name, c] as const))('catches %s', (_name, c) => {
    const found = findingsOf(c.set(), 'pod-security.baseline');
    const named = found.filter(
      (f) =>
        (c.file instanceof RegExp ? c.file.test(f.file) : f.file.endsWith(c.file)) &&
        f.message.includes(c.says),
    );
    expect(named, JSON.stringify(found, null, 2)).not.toEqual([]);
    expect(named[0]?.message).toMatch(
      /breaks the Pod Security baseline control .*, so the API server refuses the pod; /,
    );
  });

  it.each(nearMiss.map((c) => [c.name, c] as const))('passes %s', (_name, c) => {
    expect(findingsOf(c.set(), /^pod-security\./)).toEqual([]);
  });
});

describe('the Pod Security model: team namespace labels', () => {
  it('reports a team namespace that enforces nothing', () => {
    const found = findingsOf(
      namespaceLabels((labels) => {
        delete labels['pod-security.kubernetes.io/enforce'];
      }),
      'pod-security.namespace-level',
    );
    expect(found.map((f) => f.file.split('/').pop())).toEqual([`Namespace.${A}.yaml`]);
    expect(found[0]?.message).toContain('enforces Pod Security nothing');
  });

  it('reports enforce: privileged, and an unpinned version', () => {
    expect(
      findingsOf(
        namespaceLabels((labels) => {
          labels['pod-security.kubernetes.io/enforce'] = 'privileged';
        }),
        'pod-security.namespace-level',
      ),
    ).toHaveLength(1);
    const latest = findingsOf(
      namespaceLabels((labels) => {
        labels['pod-security.kubernetes.io/enforce-version'] = 'latest';
      }),
      'pod-security.namespace-level',
    );
    expect(latest[0]?.message).toContain('does not pin the version');
  });

  it('accepts restricted as the enforced level', () => {
    expect(
      findingsOf(
        namespaceLabels((labels) => {
          labels['pod-security.kubernetes.io/enforce'] = 'restricted';
        }),
        /^pod-security\./,
      ),
    ).toEqual([]);
  });
});

describe('NVMe scratch as an emptyDir (cross.nvme-raid0)', () => {
  it('reports the emptyDir scratch on a pool whose EC2NodeClass lost RAID0: it would land on EBS', () => {
    const found = findingsOf(
      edited(base, NODE_CLASS, (o) => {
        delete o.spec.instanceStorePolicy;
      }),
      'cross.nvme-raid0',
    );
    expect(found.map((f) => f.file.endsWith(TEMPLATES))).toContain(true);
    expect(found[0]?.message).toContain('emptyDir volume spark-local-dir-1');
  });

  it('ignores memory-backed scratch and emptyDirs that are not Spark local dirs', () => {
    const noRaid = edited(base, NODE_CLASS, (o) => {
      delete o.spec.instanceStorePolicy;
    });
    const set = edited(noRaid, TEMPLATES, (o) => {
      for (const key of Object.keys(o.data)) {
        editPodTemplate(o, key, (pod) => {
          pod.spec.volumes = (pod.spec.volumes ?? []).map((v: Tree) =>
            v.emptyDir ? { name: v.name, emptyDir: { medium: 'Memory' } } : v,
          );
          pod.spec.volumes.push({ name: 'tmp', emptyDir: {} });
          pod.spec.containers[0].volumeMounts = [
            ...(pod.spec.containers[0].volumeMounts ?? []),
            { name: 'tmp', mountPath: '/tmp' },
          ];
        });
      }
    });
    // Team b's templates keep their disk-backed scratch and are still reported.
    expect(findingsOf(set, 'cross.nvme-raid0').filter((f) => f.file.endsWith(TEMPLATES))).toEqual([]);
    expect(findingsOf(noRaid, 'cross.nvme-raid0').filter((f) => f.file.endsWith(TEMPLATES))).toHaveLength(2);
  });
});
