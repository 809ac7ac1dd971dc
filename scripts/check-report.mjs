#!/usr/bin/env node
/**
 * Opens a report in headless Chromium and checks it as a reader would see it. There must be no
 * console or page errors and no request outside the file, and every plot must have drawn marks.
 * Sorting the results table and filtering it by one or several words must work. Exits 1 with one line per failure, 2 on bad usage.
 *
 * Usage: node scripts/check-report.mjs <report.html> [--screenshot <page.png>]
 * Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH) and playwright-core.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SECTIONS = ['theory', 'plots', 'results', 'diagnostics', 'provenance'];
const SORT_COLUMN = 'KL kde';

function parseArgs(argv) {
  const args = { report: undefined, screenshot: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--screenshot') args.screenshot = argv[++i];
    else if (!args.report) args.report = argv[i];
  }
  return args;
}

/** Counts, per figure, mark elements (vega's role-mark groups) with a non-zero bounding box. */
async function countDrawnMarks(page) {
  return page.$$eval('figure.plot', (figures) =>
    figures.map((figure) => {
      const shapes = figure.querySelectorAll('svg g.role-mark path, svg g.role-mark rect, svg g.role-mark circle, svg g.role-mark line');
      const drawn = Array.from(shapes).filter((shape) => {
        const box = shape.getBBox();
        return box.width > 0 || box.height > 0;
      });
      return { name: figure.dataset.plot, svgs: figure.querySelectorAll('svg').length, drawn: drawn.length };
    }),
  );
}

/** Reads the sort keys of one column of a table, in the order the rows are shown. */
async function columnKeys(page, tableId, column) {
  return page.$$eval(`#${tableId} tbody tr`, (rows, index) => rows.map((row) => row.cells[index].dataset.sort), column);
}

async function checkSorting(page, failures) {
  const headers = await page.$$eval('#results-table thead th', (cells) => cells.map((cell) => cell.textContent.trim()));
  const column = headers.indexOf(SORT_COLUMN);
  if (column < 0) return failures.push(`results table has no "${SORT_COLUMN}" column`);
  const numbers = (await columnKeys(page, 'results-table', column)).filter((key) => key !== '').map(Number);
  if (numbers.length < 2) return failures.push('results table has fewer than two rows to sort');
  const button = page.locator('#results-table thead th').nth(column).locator('button');
  for (const [direction, expected] of [['ascending', Math.min(...numbers)], ['descending', Math.max(...numbers)]]) {
    await button.click();
    const keys = (await columnKeys(page, 'results-table', column)).filter((key) => key !== '').map(Number);
    if (keys[0] !== expected) failures.push(`sorting ${direction} by "${SORT_COLUMN}": first row is ${keys[0]}, expected ${expected}`);
    const ordered = keys.every((key, i) => i === 0 || (direction === 'ascending' ? keys[i - 1] <= key : keys[i - 1] >= key));
    if (!ordered) failures.push(`sorting ${direction} by "${SORT_COLUMN}": column is not in order`);
  }
}

async function checkFilter(page, failures) {
  const needle = await page.$eval('#results-table tbody tr td', (cell) => cell.textContent.trim());
  await page.fill('input[data-filter-for="results-table"]', needle);
  const visible = await page.$$eval('#results-table tbody tr', (rows) => rows.filter((row) => !row.hidden).map((row) => row.textContent));
  if (visible.length === 0) failures.push(`filtering by "${needle}" hid every row`);
  const unmatched = visible.filter((text) => !text.toLowerCase().includes(needle.toLowerCase()));
  if (unmatched.length > 0) failures.push(`filtering by "${needle}" left ${unmatched.length} rows without it`);
  const counter = await page.$eval('[data-count-for="results-table"]', (element) => element.textContent);
  if (!counter.startsWith(`${visible.length} of `)) failures.push(`filter counter reads "${counter}" with ${visible.length} rows shown`);
  await page.fill('input[data-filter-for="results-table"]', '');
}

/**
 * Filters by the first row's first two cells (dataset and family) in reverse order. The visible
 * rows must be exactly the rows that contain each word in some cell, and at least one.
 */
async function checkMultiWordFilter(page, failures) {
  const words = await page.$eval('#results-table tbody tr', (row) => [row.cells[1].textContent.trim(), row.cells[0].textContent.trim()]);
  if (words.some((word) => word === '' || /\s/.test(word))) return;
  const query = words.join(' ');
  await page.fill('input[data-filter-for="results-table"]', query);
  const rows = await page.$$eval('#results-table tbody tr', (all) =>
    all.map((row) => ({ hidden: row.hidden, cells: Array.from(row.cells, (cell) => cell.textContent.toLowerCase()) })),
  );
  const matches = (row) => words.every((word) => row.cells.some((cell) => cell.includes(word.toLowerCase())));
  const visibleRows = rows.filter((row) => !row.hidden);
  if (visibleRows.length === 0) failures.push(`filtering by "${query}" hid every row`);
  if (visibleRows.some((row) => !matches(row))) failures.push(`filtering by "${query}" shows rows without every word`);
  if (visibleRows.length !== rows.filter(matches).length) failures.push(`filtering by "${query}" shows ${visibleRows.length} rows, expected ${rows.filter(matches).length}`);
  await page.fill('input[data-filter-for="results-table"]', '');
}

async function checkPage(page, failures) {
  for (const id of SECTIONS) {
    if ((await page.$(`section#${id}`)) === null) failures.push(`section #${id} is missing`);
  }
  const figures = await countDrawnMarks(page);
  if (figures.length === 0) failures.push('the page has no plots');
  for (const figure of figures) {
    if (figure.svgs !== 1) failures.push(`plot ${figure.name} has ${figure.svgs} SVG elements, expected 1`);
    if (figure.drawn === 0) failures.push(`plot ${figure.name} has no drawn marks`);
  }
  if ((await page.$('#results-table')) !== null) {
    await checkSorting(page, failures);
    await checkFilter(page, failures);
    await checkMultiWordFilter(page, failures);
  }
  return figures;
}

async function main() {
  const { report, screenshot } = parseArgs(process.argv.slice(2));
  if (!report || !existsSync(report)) {
    console.error(`Usage: check-report.mjs <report.html> [--screenshot <page.png>]; report file ${report ? `not found: ${report}` : 'missing'}.`);
    return 2;
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const failures = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    // A self-contained report requests nothing but its own file; block and record anything else.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      failures.push(`the page requested ${url}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' });
    const figures = await checkPage(page, failures);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`checked ${report}: ${figures.length} plots, ${figures.reduce((sum, f) => sum + f.drawn, 0)} drawn marks`);
  } finally {
    await browser.close();
  }
  for (const failure of failures) console.error(`FAIL ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
