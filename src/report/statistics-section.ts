/**
 * The statistics section: correlations with their intervals, and per dataset whether the signs
 * predicted by the theory of Hartoyo et al. (Scientific Reports 2025) hold, stated in words.
 */
import type { Coefficient, CorrelationRow, SignCheck } from '../formats.js';
import { escapeHtml, formatNumber } from './html-text.js';
import { type Column, renderSortableTable } from './table.js';

/** Formats a coefficient to three significant digits, as in "-1.8" or "0.0421". */
export function formatCoefficient(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const text = String(Number(value.toPrecision(3)));
  return text === '-0' ? '0' : text;
}

/** Whether a coefficient has the predicted sign ('answer'), and the numbers behind it ('detail'). */
export interface SignVerdict {
  answer: 'yes' | 'no' | 'insufficient data';
  /** Text that follows the answer, for example " (coefficient -1.8, 95% CI -2.4 to -1.2)". */
  detail: string;
}

/**
 * Judges whether one coefficient has the predicted sign. An interval that contains 0 is called
 * out in the detail, because then the data do not settle the sign.
 */
export function judgeCoefficient(coefficient: Coefficient | null, expected: 'negative' | 'positive'): SignVerdict {
  if (coefficient === null || !Number.isFinite(coefficient.estimate)) return { answer: 'insufficient data', detail: '' };
  const { estimate, lo, hi } = coefficient;
  const numbers = `(coefficient ${formatCoefficient(estimate)}, 95% CI ${formatCoefficient(lo)} to ${formatCoefficient(hi)})`;
  const agrees = expected === 'negative' ? estimate < 0 : estimate > 0;
  const spansZero = lo <= 0 && hi >= 0;
  if (agrees) return { answer: 'yes', detail: spansZero ? `, but the interval includes 0 ${numbers}` : ` ${numbers}` };
  return { answer: 'no', detail: spansZero ? `, though the interval includes 0 ${numbers}` : ` ${numbers}` };
}

/** States a verdict in words, for example "yes (coefficient -1.8, 95% CI -2.4 to -1.2)". */
export function describeCoefficient(coefficient: Coefficient | null, expected: 'negative' | 'positive'): string {
  const verdict = judgeCoefficient(coefficient, expected);
  return verdict.answer + verdict.detail;
}

/** Judges the three sign predictions of one check, as [claim, verdict] pairs. */
export function judgeSignCheck(check: SignCheck): [string, SignVerdict][] {
  return [
    ['KL falls as prior accuracy rises', judgeCoefficient(check.klOnPriorAccuracy, 'negative')],
    ['KL falls as model accuracy rises', judgeCoefficient(check.klOnModelAccuracy, 'negative')],
    ['Synthetic accuracy rises with base accuracy', judgeCoefficient(check.syntheticOnBase, 'positive')],
  ];
}

function verdictBadge(agrees: boolean | null): string {
  if (agrees === null) return '<span class="badge unknown">insufficient data</span>';
  return agrees ? '<span class="badge yes">signs agree</span>' : '<span class="badge no">signs disagree</span>';
}

/** 'all' (pooled) sorts after named datasets and before named families. */
function orderChecks(checks: SignCheck[]): SignCheck[] {
  const datasetKey = (name: string) => (name === 'all' ? `\u{10FFFF}` : name);
  const familyKey = (name: string) => (name === 'all' ? '' : name);
  return [...checks].sort((a, b) =>
    datasetKey(a.dataset) < datasetKey(b.dataset) ? -1 : datasetKey(a.dataset) > datasetKey(b.dataset) ? 1
      : familyKey(a.family) < familyKey(b.family) ? -1 : familyKey(a.family) > familyKey(b.family) ? 1 : 0,
  );
}

function renderSignCheck(check: SignCheck): string {
  const dataset = check.dataset === 'all' ? 'all datasets' : check.dataset;
  const family = check.family === 'all' ? 'all families' : `family ${check.family}`;
  const items = judgeSignCheck(check).map(
    ([claim, verdict]) => `<li>${escapeHtml(claim)}: <strong>${escapeHtml(verdict.answer)}</strong>${escapeHtml(verdict.detail)}</li>`,
  );
  return [
    `<div class="sign-check"><h4>${escapeHtml(dataset)} <span class="muted">${escapeHtml(family)}, n = ${check.n}</span> ${verdictBadge(check.agrees)}</h4>`,
    `<ul>${items.join('')}</ul>`,
    check.note ? `<p class="note">${escapeHtml(check.note)}</p>` : '',
    '</div>',
  ].join('');
}

function intervalText(lo: number | null, hi: number | null): string | null {
  return lo === null || hi === null ? null : `${formatNumber(lo, 3)} to ${formatNumber(hi, 3)}`;
}

const CORRELATION_COLUMNS: Column<CorrelationRow>[] = [
  { label: 'dataset', type: 'text', value: (c) => c.dataset },
  { label: 'family', type: 'text', value: (c) => c.family },
  { label: 'x', type: 'text', value: (c) => c.x },
  { label: 'y', type: 'text', value: (c) => c.y },
  { label: 'n', type: 'number', decimals: 0, value: (c) => c.n },
  { label: 'Pearson r', type: 'number', decimals: 3, value: (c) => c.pearson_r },
  {
    label: 'r 95% CI', description: 'Fisher z interval; sorts by its lower end', type: 'number',
    value: (c) => c.pearson_lo, display: (c) => intervalText(c.pearson_lo, c.pearson_hi),
  },
  { label: 'Spearman ρ', type: 'number', decimals: 3, value: (c) => c.spearman_rho },
  {
    label: 'ρ 95% CI', description: 'bootstrap interval; sorts by its lower end', type: 'number',
    value: (c) => c.spearman_lo, display: (c) => intervalText(c.spearman_lo, c.spearman_hi),
  },
];

export function renderStatisticsSection(correlations: CorrelationRow[], signChecks: SignCheck[]): string {
  const checks = orderChecks(signChecks).map(renderSignCheck).join('\n');
  return [
    '<section id="theory"><h2>Does the theory hold?</h2>',
    '<p class="hint">Hartoyo et al. (2025) predict that KL falls as prior accuracy A_π and model accuracy A_f rise, and that synthetic accuracy A_s rises with A_f. The first two coefficients come from the least-squares fit KL ~ A_π + A_f, the third is the slope of A_s ~ A_f; intervals are 95%.</p>',
    signChecks.length === 0 ? '<p class="empty">No sign checks in this report.</p>' : `<div class="sign-checks">${checks}</div>`,
    '<h3 id="correlations">Correlations</h3>',
    correlations.length === 0
      ? '<p class="empty">No correlations in this report.</p>'
      : renderSortableTable('correlations-table', CORRELATION_COLUMNS, correlations, 'dataset, family or variable…'),
    '</section>',
  ].join('\n');
}
