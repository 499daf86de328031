/**
 * Kubernetes' DNS-1123 name rules, as the API server's Go validation checks them. The one
 * spelling of each: config schemas, the validator and the CLI all test names with these.
 */

/** Source of the DNS-1123 label expression (for JSON-schema `pattern`s). */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** A DNS-1123 label: lower-case alphanumerics and '-', alphanumeric at both ends (length checked apart). */
export const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);

/** A DNS-1123 subdomain: DNS labels joined by '.' (length checked apart). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The longest DNS-1123 label. */
export const DNS_LABEL_MAX = 63;

/** The longest DNS-1123 subdomain. */
export const DNS_SUBDOMAIN_MAX = 253;
