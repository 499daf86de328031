/** Kubernetes' string formats, as the API server's Go validation checks them. */
import { DNS_LABEL, DNS_LABEL_MAX, DNS_SUBDOMAIN, DNS_SUBDOMAIN_MAX } from './dns';

/** `resource.Quantity` (the same expression the Karpenter CRD embeds). */
export const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `value` is not a DNS-1123 label (≤ 63), or undefined when it is one. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > DNS_LABEL_MAX)
    return `"${value}" is longer than ${DNS_LABEL_MAX} characters (DNS-1123 label)`;
  if (!DNS_LABEL.test(value))
    return `"${value}" is not a DNS-1123 label (lower-case alphanumerics and '-', alphanumeric at both ends)`;
  return undefined;
}

/** Why `value` is not a DNS-1123 subdomain (≤ 253), or undefined when it is one. */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > DNS_SUBDOMAIN_MAX)
    return `"${value}" is longer than ${DNS_SUBDOMAIN_MAX} characters (DNS-1123 subdomain)`;
  if (!DNS_SUBDOMAIN.test(value))
    return `"${value}" is not a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.')`;
  return undefined;
}

/** Why `key` is not a label/annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `"${key}" has more than one '/'`;
  const name = parts.at(-1) ?? '';
  if (parts.length === 2) {
    const prefixProblem = dnsSubdomainProblem(parts[0] ?? '');
    if (prefixProblem !== undefined) return `prefix of "${key}": ${prefixProblem}`;
  }
  if (name.length === 0 || name.length > 63) return `name part of "${key}" must be 1-63 characters`;
  if (!QUALIFIED_NAME.test(name))
    return `name part of "${key}" must be alphanumerics, '-', '_' or '.', alphanumeric at both ends`;
  return undefined;
}

/** Why `value` is not a label value (≤ 63), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `"${value}" is longer than 63 characters`;
  if (!LABEL_VALUE.test(value))
    return `"${value}" must be empty or alphanumerics, '-', '_' or '.', alphanumeric at both ends`;
  return undefined;
}

/** Why `value` cannot be an RBAC object name (a path segment), or undefined. */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === '.' || value === '..' || /[/%]/.test(value))
    return `"${value}" may not be '.', '..' or contain '/' or '%'`;
  return undefined;
}

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 } as const;
const DECIMAL = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
} as const;

/** A quantity as a number (cores for cpu, bytes for memory). Throws on a malformed quantity. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  if (!QUANTITY.test(quantity)) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  const match = /^([+-]?[0-9.]+)([eE][+-]?[0-9.]+)?([A-Za-z]*)$/.exec(quantity);
  const number = Number((match?.[1] ?? '') + (match?.[2] ?? ''));
  const suffix = match?.[3] ?? '';
  const factor =
    suffix in BINARY ? BINARY[suffix as keyof typeof BINARY] : DECIMAL[suffix as keyof typeof DECIMAL];
  return number * factor;
}

/** A quantity's value, or undefined when it is absent or malformed (callers report that elsewhere). */
export function quantityValue(value: unknown): number | undefined {
  try {
    return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  } catch {
    return undefined;
  }
}
