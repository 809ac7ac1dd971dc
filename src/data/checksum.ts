/** SHA-256 checks of dataset bytes and zip member extraction. */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

/** Returns the lowercase hex SHA-256 of the bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Raises InputError naming both hashes when `bytes` do not hash to `expected` (skipped when undefined). */
export function verifySha256(bytes: Uint8Array, expected: string | undefined, file: string, key = 'sha256'): string {
  const actual = sha256Hex(bytes);
  if (expected !== undefined && actual !== expected) {
    throw new InputError(`${file}: checksum mismatch: expected ${key} ${expected}, got ${actual}`, {
      location: { file },
      value: actual,
      hint: `check that the file is the intended one; if it is, set ${key}: ${actual}`,
    });
  }
  return actual;
}

/** True when the bytes start with a zip local file header. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Extracts `member` from a zip archive: an exact path inside the archive, or a unique file name. */
export async function extractMember(archive: Uint8Array, member: string, file: string): Promise<Uint8Array> {
  if (!isZip(archive)) {
    throw new InputError(`${file}: member "${member}" is set but the file is not a zip archive`, {
      location: { file },
      hint: 'remove member for a plain data file',
    });
  }
  const { unzipSync } = await import('fflate');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive);
  } catch (error) {
    throw new InputError(`${file}: the zip archive cannot be read: ${(error as Error).message}`, {
      location: { file },
      hint: 'delete the file so it is downloaded again, or replace it',
    });
  }
  const names = Object.keys(entries).filter((name) => !name.endsWith('/'));
  const exact = names.find((name) => name === member);
  const byBaseName = names.filter((name) => name.split('/').pop() === member.split('/').pop());
  const chosen = exact ?? (byBaseName.length === 1 ? byBaseName[0] : undefined);
  if (chosen === undefined) {
    throw new InputError(`${file}: the archive has ${byBaseName.length > 1 ? 'several files' : 'no file'} named "${member}"`, {
      location: { file },
      value: member,
      hint: `set member to one of: ${names.slice(0, 20).join(', ')}`,
    });
  }
  return entries[chosen];
}
