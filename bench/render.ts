/**
 * Prints a saved `npm run bench -- --json` result again, as the text table or (with --markdown) as
 * the Markdown table that BENCHMARKS.md records. Usage: node dist/bench/render.js FILE [--markdown]
 */
import { readFile } from 'node:fs/promises';
import { lastJsonLine } from './lib/measure.js';
import type { BenchResults } from './lib/results.js';
import { renderMarkdown, renderTable } from './lib/table.js';

const [file, format] = process.argv.slice(2);
if (file === undefined || (format !== undefined && format !== '--markdown')) {
  process.stderr.write('Usage: node dist/bench/render.js <bench-result.json> [--markdown]\n');
  process.exitCode = 2;
} else {
  const results = lastJsonLine<BenchResults>(await readFile(file, 'utf8'), file);
  process.stdout.write(`${format === '--markdown' ? renderMarkdown(results) : renderTable(results)}\n`);
}
