import { _, str, stringify, type Code, type KeywordCxt } from 'ajv';
import type Ajv from 'ajv';
import type { JsonSchema } from './json-schema';
import { QUANTITY } from '../lib/kubernetes-formats';
import { DNS_LABEL_PATTERN as DNS_LABEL } from '../lib/dns';

/**
 * Checks the API server makes in Go, which the Kubernetes OpenAPI documents do not carry
 * (enums written only in descriptions, the Quantity syntax, DNS-label names). They are attached
 * to the OpenAPI components as an `x-go-rule` keyword so ajv reports them at the right path.
 */
export interface GoRule {
  readonly rule: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  /** What the value must be, for the message. */
  readonly expected: string;
}

const HOST_PATH_TYPES = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function oneOf(rule: string, values: readonly string[]): GoRule {
  return { rule, enum: values, expected: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}` };
}

const dnsLabel: GoRule = { rule: 'name.dns-label', pattern: DNS_LABEL, expected: 'a DNS-1123 label' };

/** component → property (`name[]` = each item of the list `name`, `''` = the component) → rule. */
export const GO_RULES: Readonly<Record<string, Readonly<Record<string, GoRule>>>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    '': {
      rule: 'quantity',
      pattern: QUANTITY.source,
      expected: 'a Kubernetes quantity such as 500m, 2, 4Gi',
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: oneOf('enum.restart-policy', ['Always', 'OnFailure', 'Never']),
    dnsPolicy: oneOf('enum.dns-policy', ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
  },
  'io.k8s.api.core.v1.Container': {
    name: dnsLabel,
    imagePullPolicy: oneOf('enum.image-pull-policy', ['Always', 'Never', 'IfNotPresent']),
  },
  'io.k8s.api.core.v1.Volume': { name: dnsLabel },
  'io.k8s.api.core.v1.ContainerPort': { protocol: oneOf('enum.protocol', PROTOCOLS) },
  'io.k8s.api.core.v1.Toleration': {
    operator: oneOf('enum.toleration-operator', ['Exists', 'Equal']),
    effect: oneOf('enum.taint-effect', ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    'accessModes[]': oneOf('enum.access-mode', ACCESS_MODES),
    volumeMode: oneOf('enum.volume-mode', ['Filesystem', 'Block']),
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    'accessModes[]': oneOf('enum.access-mode', ACCESS_MODES),
    volumeMode: oneOf('enum.volume-mode', ['Filesystem', 'Block']),
    persistentVolumeReclaimPolicy: oneOf('enum.reclaim-policy', ['Retain', 'Delete', 'Recycle']),
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': { type: oneOf('enum.host-path-type', HOST_PATH_TYPES) },
  'io.k8s.api.core.v1.LimitRangeItem': {
    type: oneOf('enum.limit-type', ['Container', 'Pod', 'PersistentVolumeClaim']),
  },
  'io.k8s.api.storage.v1.StorageClass': {
    reclaimPolicy: oneOf('enum.reclaim-policy', ['Retain', 'Delete']),
    volumeBindingMode: oneOf('enum.volume-binding-mode', ['Immediate', 'WaitForFirstConsumer']),
  },
  'io.k8s.api.networking.v1.NetworkPolicySpec': {
    'policyTypes[]': oneOf('enum.policy-type', ['Ingress', 'Egress']),
  },
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: oneOf('enum.protocol', PROTOCOLS) },
  'io.k8s.api.rbac.v1.Subject': { kind: oneOf('enum.subject-kind', ['User', 'Group', 'ServiceAccount']) },
};

/** Attaches {@link GO_RULES} to the (already copied) components of one OpenAPI document. */
export function attachGoRules(components: Record<string, JsonSchema>): void {
  for (const [component, properties] of Object.entries(GO_RULES)) {
    const schema = components[component];
    if (schema === undefined) continue;
    for (const [property, rule] of Object.entries(properties)) {
      if (property === '') {
        schema['x-go-rule'] = rule;
        continue;
      }
      const name = property.replace(/\[\]$/, '');
      const target = schema.properties?.[name];
      if (target === undefined) continue;
      if (property.endsWith('[]') && target.items !== undefined)
        target.items = { ...target.items, 'x-go-rule': rule };
      else if (!property.endsWith('[]') && schema.properties !== undefined) {
        schema.properties[name] = { ...target, 'x-go-rule': rule };
      }
    }
  }
}

/**
 * Registers the `x-go-rule` keyword with ajv. It generates code (rather than calling a function),
 * so validators that use it can be saved as standalone modules and reloaded from the cache.
 */
export function addGoRuleKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-go-rule',
    schemaType: 'object',
    error: {
      message: (cxt) => str`is not ${(cxt.schema as GoRule).expected}`,
      params: (cxt) => _`{rule: ${(cxt.schema as GoRule).rule}, value: ${cxt.data}}`,
    },
    code(cxt: KeywordCxt) {
      const rule = cxt.schema as GoRule;
      const { data } = cxt;
      const checks: Code[] = [];
      if (rule.enum !== undefined) checks.push(_`!${stringify(rule.enum)}.includes(${data})`);
      if (rule.pattern !== undefined) {
        // The pattern as a scope constant, written as code so a standalone module can rebuild it
        // (what ajv's own `pattern` keyword does; ajv compiles patterns with the `u` flag).
        const pattern = new RegExp(rule.pattern, 'u');
        const name = cxt.gen.scopeValue('pattern', {
          key: pattern.toString(),
          ref: pattern,
          code: _`new RegExp(${rule.pattern}, ${'u'})`,
        });
        checks.push(_`!${name}.test(${data})`);
      }
      cxt.fail(_`typeof ${data} == "string" && (${checks.reduce((a, b) => _`${a} || ${b}`)})`);
    },
  });
}
