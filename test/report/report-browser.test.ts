import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { fixtureProvenance, loadFixture, makeTempDir } from './report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CHECK_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'check-report.mjs');

if (!hasChromium) console.warn(`report browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

interface CheckOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCheck(...args: string[]): Promise<CheckOutcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CHECK_SCRIPT, ...args], { timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.skipIf(!hasChromium)('check-report in chromium', () => {
  let outDir: string;
  let reportPath: string;

  beforeAll(async () => {
    outDir = await makeTempDir('browser');
    reportPath = (await writeReport(loadFixture(), fixtureProvenance(), outDir)).html;
  });

  test('fixture report passes', async () => {
    const screenshot = join(outDir, 'page.png');
    const outcome = await runCheck(reportPath, '--screenshot', screenshot);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^checked .*: 8 plots, \d+ drawn marks/);
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
  });

  test('broken report fails', async () => {
    const html = await readFile(reportPath, 'utf8');
    const broken = html
      // An empty plot, a page that throws, and no sorting script.
      .replace(/(<figure class="plot" id="plot-kl-vs-base-accuracy"[^]*?)<svg[^]*?<\/svg>/, '$1<svg width="10" height="10"></svg>')
      .replace(/<script>[^]*?<\/script>/, "<script>throw new Error('report script failed');</script>");
    const brokenPath = join(outDir, 'broken.html');
    await writeFile(brokenPath, broken);
    const outcome = await runCheck(brokenPath);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('FAIL plot kl-vs-base-accuracy has no drawn marks');
    expect(outcome.stderr).toContain('FAIL page error: report script failed');
    expect(outcome.stderr).toContain('FAIL sorting ascending by "KL kde"');
  });

  test('whole-string filter fails', async () => {
    // The filter of an older page: the typed text must occur as one string in the row.
    const html = await readFile(reportPath, 'utf8');
    const wordFilter = 'row.hidden = !terms.every((term) => cells.some((cell) => cell.includes(term)));';
    expect(html).toContain(wordFilter);
    const wholeString = "row.hidden = input.value.trim() !== '' && !row.textContent.toLowerCase().includes(input.value.trim().toLowerCase());";
    const oldPath = join(outDir, 'whole-string.html');
    await writeFile(oldPath, html.replace(wordFilter, wholeString));
    const outcome = await runCheck(oldPath);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL filtering by "\S+ \S+" hid every row/);
  });

  test('missing file is a usage error', async () => {
    const outcome = await runCheck(join(outDir, 'absent.html'));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('report file not found');
  });
});
