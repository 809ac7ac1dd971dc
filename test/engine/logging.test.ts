import { describe, expect, test } from 'vitest';
import type { SerializedError } from '../../src/errors.js';
import { describeEvent, startsWithLocation } from '../../src/logging/logger.js';

const failed = (error: SerializedError): string =>
  describeEvent({ type: 'instance-failed', id: 'ingest[flowers]', error, logPath: '/tmp/log.txt' })!;

describe('logging', () => {
  test('failure appends its location', () => {
    const line = failed({ name: 'InputError', message: 'Column "petal" is not numeric.', location: { file: '/tmp/x/flowers.csv', line: 2, column: 5 } });
    expect(line).toBe('FAILED ingest[flowers]: InputError: Column "petal" is not numeric. at /tmp/x/flowers.csv:2:5\n  log: /tmp/log.txt');
  });

  test('located message keeps one location', () => {
    const line = failed({ name: 'InputError', message: 'flowers.csv:2:5: column "petal" is not numeric.', location: { file: '/tmp/x/flowers.csv', line: 2, column: 5 } });
    expect(line).toBe('FAILED ingest[flowers]: InputError: flowers.csv:2:5: column "petal" is not numeric.\n  log: /tmp/log.txt');
  });

  test('location prefix cases', () => {
    const location = { file: '/tmp/x/data/flowers.csv', line: 2, column: 5 };
    expect(startsWithLocation('/tmp/x/data/flowers.csv:2:5: bad', location)).toBe(true);
    expect(startsWithLocation('data/flowers.csv:2:5 bad', location)).toBe(true);
    expect(startsWithLocation('./flowers.csv:2:5: bad', location)).toBe(true);
    expect(startsWithLocation('flowers.csv:3:5: bad', location)).toBe(false);
    expect(startsWithLocation('owers.csv:2:5: bad', location)).toBe(false);
    expect(startsWithLocation('Column 2:5: bad', location)).toBe(false);
    expect(startsWithLocation('flowers.csv: bad', { file: '/tmp/x/flowers.csv' })).toBe(true);
  });
});
