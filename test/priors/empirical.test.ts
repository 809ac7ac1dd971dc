import { describe, expect, test } from 'vitest';
import { silvermanBandwidth } from '../../src/divergence/kde.js';
import { interpolatedMass, tabulateEmpiricalPrior } from '../../src/priors/empirical.js';
import { createPrior } from '../../src/priors/prior.js';
import { Rng } from '../../src/random.js';
import { featureColumn } from '../../src/priors/build.js';
import { sirtuinDataset } from './fixtures.js';

/** Direct KDE sum (1 / (n h)) Σ φ((x - x_i) / h), written out independently of the code under test. */
function directKde(values: ArrayLike<number>, h: number, x: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(-0.5 * ((x - values[i]) / h) ** 2);
  return sum / (values.length * h * Math.sqrt(2 * Math.PI));
}

function bimodalSample(): Float64Array {
  const rng = Rng.from('bimodal');
  return Float64Array.from({ length: 300 }, () => (rng.uniform() < 0.4 ? -3 : 1.5) + 0.5 * rng.normal());
}

const samples: [string, () => ArrayLike<number>][] = [
  ['bimodal', bimodalSample],
  ['sirtuin6 SHBd', () => featureColumn({ ...sirtuinDataset().train, d: 6 }, 2)],
];

describe('empirical prior', () => {
  test.each(samples)('integrates to 1 on %s', (_, load) => {
    const prior = tabulateEmpiricalPrior(load(), 1024);
    const step = (prior.hi - prior.lo) / 1023;
    let trapezoid = 0;
    for (let g = 0; g < 1024; g++) trapezoid += Math.exp(prior.logDensity[g]) * (g === 0 || g === 1023 ? 0.5 : 1) * step;
    expect(Math.abs(trapezoid - 1)).toBeLessThan(1e-3);
    expect(Math.abs(interpolatedMass(prior.logDensity, step) - 1)).toBeLessThan(1e-12);
  });

  test.each(samples)('matches direct KDE on %s', (_, load) => {
    const values = load();
    const h = silvermanBandwidth(values);
    const prior = tabulateEmpiricalPrior(values, 1024);
    const evaluator = createPrior([prior]);
    const rng = Rng.from('points');
    for (let k = 0; k < 200; k++) {
      const x = prior.lo + (prior.hi - prior.lo) * rng.uniform();
      const expected = Math.log(directKde(values, h, x));
      expect(Math.abs(evaluator.featureLogDensity(0, x) - expected)).toBeLessThan(1e-3);
    }
  });

  test('zero outside the grid', () => {
    const prior = tabulateEmpiricalPrior(bimodalSample(), 256);
    const evaluator = createPrior([prior]);
    expect(evaluator.featureLogDensity(0, prior.lo - 1e-6)).toBe(-Infinity);
    expect(evaluator.featureLogDensity(0, prior.hi + 1e-6)).toBe(-Infinity);
    expect(evaluator.featureLogDensity(0, prior.hi)).toBeCloseTo(prior.logDensity[255], 12);
  });

  test('finite in wide gaps', () => {
    const prior = tabulateEmpiricalPrior([0, 0.01, 0.02, 100, 100.01, 100.02], 1024);
    expect(prior.logDensity.every((value) => Number.isFinite(value))).toBe(true);
  });

  test('draws follow the density', () => {
    const values = bimodalSample();
    const evaluator = createPrior([tabulateEmpiricalPrior(values, 1024)]);
    const rng = Rng.from('draws');
    const rows = new Float32Array(20000);
    for (let i = 0; i < 20000; i++) evaluator.sample(rng, rows, i);
    const sampleMean = rows.reduce((sum, value) => sum + value, 0) / rows.length;
    const dataMean = values.reduce((sum, value) => sum + value, 0) / values.length;
    // The KDE has the data's mean; the draw mean has standard error below 0.02.
    expect(Math.abs(sampleMean - dataMean)).toBeLessThan(0.08);
  });
});
