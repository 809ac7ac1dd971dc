/**
 * Canonical JSON (object keys sorted, no whitespace) and SHA-256 digests: the encoding behind every
 * cache key and manifest hash, so equal values always give equal digests.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of file contents; branded so a path cannot pass as a hash. */
export type ContentHash = string & { readonly __brand: 'ContentHash' };
/** Hex SHA-256 of an instance's key inputs. */
export type CacheKey = string & { readonly __brand: 'CacheKey' };

/** Serializes a JSON-compatible value with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** Hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Returns a copy of a JSON value with object keys sorted, for records that are diffed later. */
export function sortKeys<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}
