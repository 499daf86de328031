import { createHash } from 'node:crypto';
import { sortKeys } from '../../pipeline/serialize';

/** SHA-256 (hex) of a text's UTF-8 bytes: the address of an artifact in S3. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The first 8 hex digits of the SHA-256 of a value's canonical JSON (keys sorted at every level):
 * the suffix of content-addressed object names. Same value → same suffix on every machine.
 */
export function contentHash(value: unknown): string {
  return sha256(JSON.stringify(sortKeys(value))).slice(0, 8);
}
