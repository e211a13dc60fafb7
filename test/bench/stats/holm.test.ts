import { describe, expect, it } from 'vitest';
import { holmAdjust, holmWithin } from '../../../src/bench/stats/holm.js';

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v, `[${i}]`).toBeCloseTo(expected[i], 12));
};

describe("Holm's step-down adjustment", () => {
  it('matches a hand-computed family of four, in the order given', () => {
    // Sorted: 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04;
    // running maximum: 0.02, 0.03, 0.06, 0.06. Back in the given order:
    close(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  });

  it("matches the gate's hand-computed family of three", () => {
    // 0.004 x3 = 0.012; 0.02 x2 = 0.04; 0.03 x1 = 0.03, raised to 0.04 by the running maximum.
    close(holmAdjust([0.03, 0.004, 0.02]), [0.04, 0.012, 0.04]);
  });

  it('leaves a single test alone, and an empty family empty', () => {
    expect(holmAdjust([0.037])).toEqual([0.037]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('gives ties equal adjusted values', () => {
    // Both 0.02: the first x2 = 0.04, the second x1 = 0.02 raised to 0.04.
    close(holmAdjust([0.02, 0.02]), [0.04, 0.04]);
    close(holmAdjust([0.01, 0.02, 0.01]), [0.03, 0.03, 0.03]);
  });

  it('caps at 1 and keeps p = 1 at 1', () => {
    close(holmAdjust([1, 0.5]), [1, 1]);
    close(holmAdjust([1, 1, 1]), [1, 1, 1]);
    close(holmAdjust([0.3, 0.001, 1]), [0.6, 0.003, 1]);
  });

  it('never lowers a p-value and keeps the raw order', () => {
    const p = [0.2, 0.0001, 0.04, 0.04, 0.9, 0.011, 0.3];
    const adjusted = holmAdjust(p);
    p.forEach((v, i) => expect(adjusted[i]).toBeGreaterThanOrEqual(v));
    for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) if (p[i] < p[j]) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]);
  });

  it('adjusts each family on its own, and leaves tests of no family raw', () => {
    const tests = [
      { p: 0.01, family: 'a' },
      { p: 0.04, family: 'b' },
      { p: 0.02, family: 'a' },
      { p: 0.5, family: undefined },
    ];
    close(
      holmWithin(tests, (t) => t.p, (t) => t.family),
      [0.02, 0.04, 0.02, 0.5],
    );
  });
});
