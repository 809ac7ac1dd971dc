/** The results table: one row per reconstruction run, the columns of results.csv. */
import type { ResultRow } from '../formats.js';
import { isEssLow, isRhatHigh } from './diagnostics-section.js';
import { type Column, renderSortableTable } from './table.js';

const RESULT_COLUMNS: Column<ResultRow>[] = [
  { label: 'dataset', type: 'text', value: (r) => r.dataset },
  { label: 'family', type: 'text', value: (r) => r.family },
  { label: 'noise', description: 'fraction of base training labels replaced', type: 'number', decimals: 2, value: (r) => r.label_noise },
  { label: 'prior', type: 'text', value: (r) => r.prior },
  { label: 'δ', description: 'prior shift in training standard deviations', type: 'number', decimals: 2, value: (r) => r.prior_shift },
  { label: 'κ', description: 'prior scale (standard deviation of each Gaussian prior factor)', type: 'number', decimals: 2, value: (r) => r.prior_scale },
  { label: 'seed', type: 'number', decimals: 0, value: (r) => r.seed },
  { label: 'sampler', type: 'text', value: (r) => r.sampler },
  { label: 'A_f', description: 'base model accuracy on the real test set', type: 'number', decimals: 3, value: (r) => r.base_accuracy },
  { label: 'A_π', description: 'prior accuracy exp(−E_π)', type: 'number', decimals: 3, value: (r) => r.prior_accuracy },
  { label: 'KL kde', description: 'mean per-feature KDE KL, real vs reconstructed, nats', type: 'number', decimals: 4, value: (r) => r.kl_kde },
  { label: 'KL knn', description: 'joint k-nearest-neighbour KL, nats', type: 'number', decimals: 4, value: (r) => r.kl_knn },
  { label: 'KL prior', description: 'KL of prior draws alone, nats; reconstruction should be lower', type: 'number', decimals: 4, value: (r) => r.kl_prior_only },
  { label: 'KL floor', description: 'KL of real train vs real test, nats: the estimator noise floor', type: 'number', decimals: 4, value: (r) => r.kl_test_floor },
  { label: 'A_s', description: 'accuracy of the model trained on reconstructed rows', type: 'number', decimals: 3, value: (r) => r.synthetic_accuracy },
  { label: 'A_s/A_f', type: 'number', decimals: 3, value: (r) => r.synthetic_ratio },
  { label: 'accept', description: 'sampler acceptance rate', type: 'number', decimals: 3, value: (r) => r.acceptance },
  { label: 'R-hat max', type: 'number', decimals: 3, value: (r) => r.rhat_max, cellClass: (r) => (isRhatHigh(r.rhat_max) ? 'warn' : undefined) },
  { label: 'ESS min', type: 'number', decimals: 0, value: (r) => r.ess_min, cellClass: (r) => (isEssLow(r.ess_min) ? 'warn' : undefined) },
  { label: 'run', type: 'text', value: (r) => r.run_id, cellClass: () => 'run-id' },
];

export function renderResultsSection(results: ResultRow[]): string {
  const body = results.length === 0
    ? '<p class="empty">No runs in this report.</p>'
    : renderSortableTable('results-table', RESULT_COLUMNS, results, 'dataset, family, prior, run id…');
  return [
    '<section id="results"><h2>Results</h2>',
    '<p class="hint">One row per reconstruction run. Click a header to sort, again to reverse. KL values are in nats; lower means a closer reconstruction. Highlighted cells are sampler warnings.</p>',
    body,
    '</section>',
  ].join('\n');
}
