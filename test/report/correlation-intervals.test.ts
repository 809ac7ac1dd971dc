import { describe, expect, test } from 'vitest';
import type { CorrelationRow } from '../../src/formats.js';
import { correlationTable } from '../../src/statistics/study-tables.js';
import { loadFixture } from './report-fixture.js';

/** Finds the correlation row of one group and pair. */
function rowOf(table: CorrelationRow[], dataset: string, family: string, x: string, y: string): CorrelationRow {
  return table.find((row) => row.dataset === dataset && row.family === family && row.x === x && row.y === y)!;
}

const PAIRS = [['prior_accuracy', 'kl_kde'], ['base_accuracy', 'synthetic_accuracy']] as const;

describe('correlationTable bootstrap', () => {
  test('same runs give same interval', () => {
    // One dataset: its pooled row and the all-runs row summarise the same 30 runs.
    const rows = loadFixture().results.filter((row) => row.dataset === 'iris');
    const table = correlationTable(rows, 0);
    for (const [x, y] of PAIRS) {
      const pooled = rowOf(table, 'iris', 'all', x, y);
      const everything = rowOf(table, 'all', 'all', x, y);
      expect(pooled.n).toBe(30);
      expect(everything.spearman_lo).toBe(pooled.spearman_lo);
      expect(everything.spearman_hi).toBe(pooled.spearman_hi);
    }
  });

  test('input order does not matter', () => {
    const rows = loadFixture().results;
    const reversed = correlationTable([...rows].reverse(), 3);
    const forward = correlationTable(rows, 3);
    for (const [x, y] of PAIRS) {
      expect(rowOf(reversed, 'heart-disease', 'all', x, y)).toEqual(rowOf(forward, 'heart-disease', 'all', x, y));
    }
  });

  test('seed still changes the interval', () => {
    const rows = loadFixture().results.filter((row) => row.dataset === 'iris');
    const [x, y] = PAIRS[0];
    const first = rowOf(correlationTable(rows, 0), 'iris', 'all', x, y);
    const second = rowOf(correlationTable(rows, 1), 'iris', 'all', x, y);
    expect(second.spearman_rho).toBe(first.spearman_rho);
    expect([second.spearman_lo, second.spearman_hi]).not.toEqual([first.spearman_lo, first.spearman_hi]);
  });
});
