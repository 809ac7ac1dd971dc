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
  // Plain loops instead of map/filter/sort chains: keys of thousands of instances go through here.
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return text + ']';
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  text = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    text += (text.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return text + '}';
}

/** Hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Returns a copy of a JSON value with object keys sorted, for records that are diffed later. */
export function sortKeys<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}
