import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { tabulateEmpiricalPrior } from '../../src/priors/empirical.js';
import { createPrior } from '../../src/priors/prior.js';
import { Rng } from '../../src/random.js';
import { runMetropolis } from '../../src/samplers/metropolis.js';
import { reconstruct, type ReconstructOptions } from '../../src/samplers/reconstruct.js';
import { runRejection } from '../../src/samplers/rejection.js';
import { LogisticModel, StepModel } from './models.js';

function stepOptions(sampler: 'mh' | 'rejection', seed: string, d = 3): ReconstructOptions {
  return {
    classifier: new StepModel(d),
    prior: createPrior(Array.from({ length: d }, () => ({ kind: 'gaussian' as const, mean: 0, sd: 1 }))),
    classCounts: [40, 60],
    alpha: 1e-3,
    temperature: 1,
    rng: Rng.from(seed),
    sampler,
    steps: 300,
    burnIn: 150,
    maxDraws: 100_000,
    classNames: ['neg', 'pos'],
  };
}

describe('reconstruct', () => {
  test('same seed byte-identical', () => {
    for (const sampler of ['mh', 'rejection'] as const) {
      const first = JSON.stringify(reconstruct(stepOptions(sampler, 'a')).samples);
      const second = JSON.stringify(reconstruct(stepOptions(sampler, 'a')).samples);
      expect(second).toBe(first);
    }
  });

  test('different seed differs', () => {
    for (const sampler of ['mh', 'rejection'] as const) {
      const first = JSON.stringify(reconstruct(stepOptions(sampler, 'a')).samples);
      const second = JSON.stringify(reconstruct(stepOptions(sampler, 'b')).samples);
      expect(second).not.toBe(first);
    }
  });

  test('class counts and grouping', () => {
    const { samples } = reconstruct(stepOptions('mh', 'a'));
    expect(samples.n).toBe(100);
    expect(samples.d).toBe(3);
    expect(samples.x).toHaveLength(300);
    expect(samples.y.filter((c) => c === 0)).toHaveLength(40);
    expect(samples.y.slice(0, 40).every((c) => c === 0)).toBe(true);
  });

  test('exact 0 and 1 stay finite', () => {
    for (const sampler of ['mh', 'rejection'] as const) {
      const { samples, diagnostics } = reconstruct(stepOptions(sampler, 'finite'));
      expect(samples.x.every(Number.isFinite)).toBe(true);
      expect(diagnostics.acceptance.every((rate) => rate > 0.05)).toBe(true);
      expect(diagnostics.rhat.flat().every(Number.isFinite)).toBe(true);
      expect(diagnostics.ess.flat().every(Number.isFinite)).toBe(true);
      expect(JSON.stringify(diagnostics)).not.toContain('null');
      // With α = 1e-3 the wrong side of the step keeps about 0.1% of the mass.
      const positives = samples.y.flatMap((c, i) => (c === 1 ? [samples.x[i * 3]] : []));
      expect(positives.filter((value) => value <= 0).length).toBeLessThanOrEqual(2);
    }
  });

  test('mh chains move from their starts', () => {
    const options = stepOptions('mh', 'move');
    const run = runMetropolis(options);
    const starts = new Float32Array(100 * 3);
    const rng = Rng.from('move');
    for (let i = 0; i < 100; i++) options.prior.sample(rng, starts, i);
    let moved = 0;
    for (let i = 0; i < 300; i++) if (run.x[i] !== starts[i]) moved++;
    expect(moved).toBeGreaterThan(290);
  });

  test('separated modes warn on R-hat', () => {
    // A KDE prior with modes at -5 and 5 and a bandwidth near 0.01 (from the narrow quartiles of
    // the larger mode): chains cannot cross between modes, so R-hat is large.
    const values = Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? 5 : -5) + 0.01 * (i % 7));
    const { diagnostics } = reconstruct({
      ...stepOptions('mh', 'modes', 1),
      classifier: new LogisticModel(0),
      prior: createPrior([tabulateEmpiricalPrior(values, 1024)]),
      featureNames: ['x'],
    });
    expect(diagnostics.rhat[0][0]).toBeGreaterThan(1.5);
    expect(diagnostics.warnings.some((warning) => warning.startsWith('class "neg": R-hat above 1.01 for x'))).toBe(true);
  });

  test('diagnostics shapes and warnings', () => {
    const { diagnostics } = reconstruct({ ...stepOptions('mh', 'short'), steps: 40, burnIn: 20 });
    expect(diagnostics.rhat).toHaveLength(2);
    expect(diagnostics.rhat[0]).toHaveLength(3);
    expect(diagnostics.stepSize).toHaveLength(2);
    // 20 kept draws per chain give too little ESS (under 100 per class is a warning).
    expect(diagnostics.warnings.some((warning) => warning.includes('bulk ESS below 100'))).toBe(true);
  });
});

describe('rejection budget', () => {
  test('raises InputError past maxDraws', () => {
    const options = { ...stepOptions('rejection', 'budget', 1), classifier: new StepModel(1, 3), maxDraws: 2000 };
    let error: unknown;
    try {
      runRejection(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const inputError = error as InputError;
    expect(inputError.message).toContain('budget of 2000 prior draws');
    expect(inputError.message).toMatch(/"pos" \d+ of 60 rows \(acceptance [0-9.e+-]+\)/);
    expect(inputError.hint).toContain('sampler: mh');
  });
});

describe('metropolis', () => {
  test('zero likelihood start raises', () => {
    // α = 0 and a class the model never predicts: no start has a finite log target.
    const options = { ...stepOptions('mh', 'start', 1), classifier: new StepModel(1, 100), alpha: 0 };
    expect(() => runMetropolis(options)).toThrow(InputError);
    expect(() => runMetropolis(options)).toThrow('No chain start with a finite log target for class "pos" after 100 draws from the gaussian prior');
  });

  test('abort stops the run', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => runMetropolis({ ...stepOptions('mh', 'abort'), signal: controller.signal })).toThrow();
  });

  test('progress every 50 steps', () => {
    const reports: number[] = [];
    runMetropolis({ ...stepOptions('mh', 'progress'), steps: 120, burnIn: 60, onProgress: (done) => reports.push(done) });
    expect(reports).toEqual([50, 100, 120]);
  });

  test('one model call per step', () => {
    const classifier = new LogisticModel();
    const options = { ...stepOptions('mh', 'calls', 1), classifier };
    runMetropolis(options);
    expect(classifier.calls).toBe(301);
    expect(classifier.rows).toBe(301 * 100);
  });

  test('trace thinned to 100 draws', () => {
    const run = runMetropolis({ ...stepOptions('mh', 'trace'), steps: 700, burnIn: 300 });
    expect(run.trace.length).toBe(100);
    expect(run.trace.draws).toHaveLength(100 * 100 * 3);
    // The last recorded draw is the final state, because 400 kept steps thin by 4.
    expect(run.trace.draws.slice((99 * 100 + 99) * 3, (99 * 100 + 99) * 3 + 3)).toEqual(run.x.slice(99 * 3, 99 * 3 + 3));
  });
});
