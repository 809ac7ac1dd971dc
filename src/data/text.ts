/** Decoding of dataset bytes as UTF-8 text, with errors for files that are not UTF-8 CSV. */
import { InputError } from '../errors.js';
import { isZip } from './checksum.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Bytes scanned for NUL, the mark of a binary file; CSV text never contains it. */
const BINARY_PROBE = 65_536;

function reject(file: string, problem: string, hint: string, line?: number): never {
  throw new InputError(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, { location: { file, line }, hint });
}

/**
 * Decodes `bytes` as UTF-8 (a byte order mark is kept for the CSV reader to strip). Raises
 * InputError naming `file` for zip archives, UTF-16 text, binary data and invalid UTF-8, where a
 * lenient decoder would turn the bytes into column names and cells full of replacement characters.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (isZip(bytes)) reject(file, 'the file is a zip archive, not CSV text', 'set member: <path of the CSV inside the archive>');
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16) reject(file, 'the file is UTF-16 text; only UTF-8 is read', 'save it as UTF-8, for example with `iconv -f UTF-16 -t UTF-8`');
  if (bytes.subarray(0, BINARY_PROBE).includes(0)) {
    reject(file, 'the file contains NUL bytes, so it is binary data, not CSV text', 'point file at the CSV itself (UTF-16 text without a byte order mark also looks like this)');
  }
  try {
    return strict.decode(bytes);
  } catch {
    // Report the line of the first invalid byte: the lenient decoder marks it with U+FFFD.
    const text = lenient.decode(bytes);
    const before = text.slice(0, text.indexOf('\uFFFD'));
    const line = before.split(/\r\n|\n|\r/).length;
    return reject(file, 'the file is not valid UTF-8 text', 'save it as UTF-8, for example with `iconv -f latin1 -t UTF-8` for a Latin-1 file', line);
  }
}
