/** Loads the report fixture and builds a matching provenance, for the report tests. */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportData } from '../../src/formats.js';
import type { Provenance } from '../../src/report/write-report.js';

const FIXTURE_PATH = join(import.meta.dirname, '..', 'fixtures', 'report', 'report-data.json');

/** A fresh copy of the fixture, safe to modify. */
export function loadFixture(): ReportData {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as ReportData;
}

export function fixtureProvenance(): Provenance {
  return {
    pipeline: 'fixture-study',
    pipelineFile: 'pipelines/study.yaml',
    pipelineHash: `sha256:${'3f'.repeat(32)}`,
    date: '2025-06-01T12:00:00.000Z',
    node: 'v20.20.2',
    packages: { vega: '6.4.0', 'vega-lite': '6.4.3', 'ml-xgboost': '1.1.2', '@tensorflow/tfjs': '4.22.0' },
    instances: [
      { id: 'ingest[iris,seed=0]', stage: 'ingest', status: 'cached' },
      { id: 'ingest[iris,seed=1]', stage: 'ingest', status: 'cached' },
      { id: 'sample[iris,mlp,labelNoise=0,gaussian-shift-1,seed=0]', stage: 'sample', status: 'executed', wallMs: 8400 },
      { id: 'sample[iris,tree,labelNoise=0,gaussian-shift-2,seed=0]', stage: 'sample', status: 'failed', wallMs: 120 },
      { id: 'correlate', stage: 'correlate', status: 'skipped' },
    ],
  };
}

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `recon-report-${label}-`));
}

/** Number of drawn items (SVG paths) inside vega mark groups of one type, for example 'symbol'. */
export function countMarkItems(svg: string, markType: 'symbol' | 'rect' | 'line' | 'rule'): number {
  let count = 0;
  for (const match of svg.matchAll(new RegExp(`<g class="mark-${markType} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs'))) {
    count += (match[1].match(/<path\b/g) ?? []).length + (match[1].match(/<line\b/g) ?? []).length;
  }
  return count;
}

/** Empties every text node of a page, leaving tags and attributes. */
export function markupOnly(html: string): string {
  return html.replace(/>[^<]*</g, '><');
}

/** Values of the attributes through which a page can load or link something. */
export function referenceAttributes(html: string): string[] {
  const pattern = /\s(?:href|src|srcset|action|formaction|poster|data|xlink:href|style)\s*=\s*"([^"]*)"/gi;
  return [...markupOnly(html).matchAll(pattern)].map((match) => match[1]);
}
