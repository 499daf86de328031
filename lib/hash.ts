import { createHash } from 'node:crypto';
import { sortKeys } from './serialize';

/** SHA-256 (hex) of a text's UTF-8 bytes, or of raw bytes. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The first 8 hex digits of the SHA-256 of a value's canonical JSON (keys sorted at every level):
 * the suffix of content-addressed object names. Same value → same suffix on every machine.
 */
export function contentHash(value: unknown): string {
  return sha256(JSON.stringify(sortKeys(value))).slice(0, 8);
}
