import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/random.js';
import { logUniformBelow } from '../../src/samplers/metropolis.js';

/** Returns the double next to x towards +Infinity (direction 1) or -Infinity (direction -1). */
function nextDouble(x: number, direction: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  const up = direction === 1 ? x >= 0 : x < 0;
  view.setBigInt64(0, up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

describe('logUniformBelow', () => {
  test('random draws match Math.log', () => {
    const rng = Rng.from('accept test');
    for (let i = 0; i < 20_000; i++) {
      const u = rng.uniform();
      const difference = -3 * rng.uniform();
      expect(logUniformBelow(u, difference)).toBe(Math.log(u) < difference);
    }
  });

  test('differences at the bounds and the log', () => {
    // Differences one double either side of log(u) and of each bound, where rounding could flip a shortcut.
    const us = [2 ** -53, 1e-9, 0.01, 0.3, 0.5, 0.7, 0.999999, 1 - 2 ** -40, 1 - 2 ** -53, 1];
    for (const u of us) {
      for (const edge of [Math.log(u), u - 1, 1 - 1 / u]) {
        for (const difference of [nextDouble(edge, -1), edge, nextDouble(edge, 1), edge - 1e-12, edge + 1e-12]) {
          expect(logUniformBelow(u, difference), `u ${u}, difference ${difference}`).toBe(Math.log(u) < difference);
        }
      }
    }
  });

  test('NaN and -Infinity reject', () => {
    expect(logUniformBelow(0.5, NaN)).toBe(false);
    expect(logUniformBelow(0.5, -Infinity)).toBe(false);
    expect(logUniformBelow(2 ** -53, -Infinity)).toBe(false);
  });
});
