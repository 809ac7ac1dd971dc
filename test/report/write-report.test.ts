import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ReportData } from '../../src/formats.js';
import { checkReportData, writeReport } from '../../src/report/write-report.js';
import { fixtureProvenance, loadFixture, makeTempDir, markupOnly, referenceAttributes } from './report-fixture.js';

const HOSTILE = '<script>alert(1)</script>';

/** The fixture with its first dataset renamed to an HTML injection attempt everywhere. */
function hostileFixture(): ReportData {
  const data = loadFixture();
  const rename = (name: string) => (name === 'iris' ? HOSTILE : name);
  for (const row of data.results) row.dataset = rename(row.dataset);
  for (const row of data.correlations) row.dataset = rename(row.dataset);
  for (const check of data.signChecks) check.dataset = rename(check.dataset);
  for (const entry of data.featureKl) entry.dataset = rename(entry.dataset);
  for (const entry of data.marginals) entry.dataset = rename(entry.dataset);
  data.diagnostics[0].warnings.push('see https://example.org/mcmc-notes for tuning');
  return data;
}

describe('writeReport', () => {
  let html: string;
  let paths: { html: string; svgs: string[] };

  beforeAll(async () => {
    paths = await writeReport(loadFixture(), fixtureProvenance(), await makeTempDir('fixture'));
    html = await readFile(paths.html, 'utf8');
  });

  test('writes html and one svg per plot', async () => {
    expect(basename(paths.html)).toBe('report.html');
    expect(paths.svgs.map((path) => basename(path))).toHaveLength(8);
    const files = await readdir(join(paths.html, '..', 'plots'));
    expect(files.sort()).toEqual(paths.svgs.map((path) => basename(path)).sort());
  });

  test('contains every section', () => {
    for (const id of ['theory', 'plots', 'results', 'diagnostics', 'provenance']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<table id="correlations-table"');
    expect(html.match(/<figure class="plot"/g)).toHaveLength(8);
    expect(html.match(/<svg\b/g)).toHaveLength(8);
  });

  test('results table has one row per run', () => {
    const body = html.split('<table id="results-table"')[1].split('</tbody>')[0];
    expect(body.match(/<tr>/g)).toHaveLength(60 + 1);
    // A missing prior shift sorts last and prints as a dash.
    expect(body).toContain('<td class="num" data-sort="">–</td>');
  });

  test('states sign checks in words', () => {
    expect(html).toContain('KL falls as prior accuracy rises: <strong>yes</strong> (coefficient -0.93, 95% CI -1.08 to -0.78)');
    expect(html).toContain('KL falls as model accuracy rises: <strong>no</strong>, though the interval includes 0 (coefficient 0.12, 95% CI -0.35 to 0.59)');
    expect(html).toContain('Synthetic accuracy rises with base accuracy: <strong>insufficient data</strong>');
    expect(html).toContain('<span class="badge no">signs disagree</span>');
  });

  test('highlights sampler warnings', () => {
    expect(html).toContain('4 of 60 runs have a sampler warning');
    const diagnostics = html.split('<table id="diagnostics-table"')[1].split('</tbody>')[0];
    const firstRow = diagnostics.split('<tbody>')[1].split('</tr>')[0];
    // The run is named by its coordinates, not by the evaluate-kld instance id.
    expect(firstRow).toContain(
      '<tr><td data-sort="iris">iris</td><td data-sort="tree">tree</td><td class="num" data-sort="0">0.00</td>'
        + '<td data-sort="gaussian δ=2">gaussian δ=2</td><td class="num" data-sort="0">0</td>',
    );
    expect(diagnostics).not.toContain('evaluate-kld[');
    expect(firstRow).toContain('<td class="num warn" data-sort="1.0481">1.048</td>');
    expect(firstRow).toContain('• class &quot;setosa&quot;: R-hat above 1.01 for sepal_length 1.020');
    expect(firstRow).toContain('• bulk ESS 37.5 below 100; run more steps');
  });

  test('opens with proportionate notices', () => {
    const top = html.split('<main>')[1].split('<section')[0];
    // The failed instance is an error (red) and comes before the sampler warnings (amber).
    const notices = [...top.matchAll(/<p class="callout (notice-\w+)"/g)].map((match) => match[1]);
    expect(notices).toEqual(['notice-error', 'notice-warning']);
    expect(top).toContain('1 stage instance failed in this run. <a href="#provenance">');
    expect(top).toContain('4 of 60 runs have a sampler warning. A split R-hat above 1.01 or a bulk ESS below 100 means the chains may not have mixed');
    expect(top).toContain('<a href="#diagnostics">See the sampler diagnostics.</a>');
    expect(html).not.toContain('warn-callout');
  });

  test('summarises provenance', () => {
    expect(html).toContain('5 stage instances: 1 executed, 2 from cache, 1 failed, 1 skipped.');
    expect(html).toContain(`<dt>pipeline file SHA-256</dt><dd>sha256:${'3f'.repeat(32)}</dd>`);
    expect(html).toContain('<code>vega-lite</code> 6.4.3');
    expect(html).toContain('<details><summary>All 5 instances</summary>');
  });

  test('references nothing outside the page', () => {
    // The fixture has no URLs in its data, so no URL may appear anywhere in the markup.
    expect(markupOnly(html).match(/https?:\/\/\S{0,40}/g)).toBeNull();
    expect(referenceAttributes(html).filter((value) => !value.startsWith('#'))).toEqual([]);
    expect(html.match(/@import|url\(\s*["']?[^#"'\s)]\S{0,40}/g)).toBeNull();
  });
});

describe('writeReport hostile names', () => {
  let html: string;
  let svgs: string[];

  beforeAll(async () => {
    const paths = await writeReport(hostileFixture(), fixtureProvenance(), await makeTempDir('hostile'));
    html = await readFile(paths.html, 'utf8');
    svgs = await Promise.all(paths.svgs.map((path) => readFile(path, 'utf8')));
  });

  test('escapes dataset names in html', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The page script is the only script element.
    expect(html.match(/<script\b/gi)).toHaveLength(1);
  });

  test('escapes dataset names in svg', () => {
    for (const svg of svgs) expect(svg).not.toContain('<script');
    expect(svgs.some((svg) => svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))).toBe(true);
  });

  test('keeps a url in text as text', () => {
    expect(html).toContain('see https://example.org/mcmc-notes for tuning');
    expect(referenceAttributes(html).filter((value) => /https?:|\/\//.test(value))).toEqual([]);
    expect(html).not.toContain('<a href="https://');
  });
});

describe('writeReport notices', () => {
  test('clean run has no notice', async () => {
    const data = loadFixture();
    for (const row of data.results) Object.assign(row, { rhat_max: 1.001, ess_min: 400 });
    for (const entry of data.diagnostics) entry.warnings = [];
    const provenance = fixtureProvenance();
    provenance.instances = provenance.instances.filter((instance) => instance.status !== 'failed');
    const html = await readFile((await writeReport(data, provenance, await makeTempDir('clean'))).html, 'utf8');
    expect(html.split('<main>')[1].split('<section')[0].trim()).toBe('');
    expect(html).toContain('No run has a sampler warning');
    expect(html).not.toContain('class="callout notice-');
  });

  test('all runs warned reads all', async () => {
    const data = loadFixture();
    for (const row of data.results) row.ess_min = 50;
    const html = await readFile((await writeReport(data, fixtureProvenance(), await makeTempDir('all-warned'))).html, 'utf8');
    expect(html).toContain('<p class="callout notice-warning" role="status">All 60 runs have a sampler warning.');
  });
});

describe('writeReport output', () => {
  test('same input gives identical files', async () => {
    const first = await writeReport(loadFixture(), fixtureProvenance(), await makeTempDir('first'));
    const second = await writeReport(loadFixture(), fixtureProvenance(), await makeTempDir('second'));
    expect(await readFile(second.html)).toEqual(await readFile(first.html));
    expect(second.svgs.map((path) => basename(path))).toEqual(first.svgs.map((path) => basename(path)));
    for (let i = 0; i < first.svgs.length; i++) {
      expect(await readFile(second.svgs[i]), basename(first.svgs[i])).toEqual(await readFile(first.svgs[i]));
    }
  });

  test('removes plots of an older report', async () => {
    const outDir = await makeTempDir('stale');
    await mkdir(join(outDir, 'plots'));
    await writeFile(join(outDir, 'plots', 'feature-kl-old-dataset.svg'), '<svg/>');
    await writeFile(join(outDir, 'plots', 'notes.txt'), 'kept');
    const empty: ReportData = { results: [], correlations: [], signChecks: [], featureKl: [], marginals: [], diagnostics: [] };
    const paths = await writeReport(empty, fixtureProvenance(), outDir);
    expect(paths.svgs).toEqual([]);
    expect(await readdir(join(outDir, 'plots'))).toEqual(['notes.txt']);
    const html = await readFile(paths.html, 'utf8');
    expect(html).toContain('This report contains no runs.');
    expect(html).toContain('No data to plot.');
  });
});

describe('checkReportData', () => {
  test('rejects a missing list', () => {
    const data = loadFixture() as Partial<ReportData>;
    delete data.signChecks;
    expect(() => checkReportData(data)).toThrow('Invalid report data: "signChecks" must be an array, found undefined; rerun the correlate stage');
  });

  test('rejects a non-object', () => {
    expect(() => checkReportData(null)).toThrow('Invalid report data: expected an object, found null');
  });

  test('writeReport rejects bad data before writing', async () => {
    const outDir = await makeTempDir('invalid');
    const bad = { ...loadFixture(), results: 'none' } as unknown as ReportData;
    await expect(writeReport(bad, fixtureProvenance(), outDir)).rejects.toThrow('"results" must be an array, found string');
    expect(await readdir(outDir)).toEqual([]);
  });
});
