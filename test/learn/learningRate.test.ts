import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/learn/trainHead.js';

describe('learningRateAt', () => {
  it('decays from the full rate to zero along a half cosine (hand-computed)', () => {
    const cosine = { learningRate: 3e-3, schedule: 'cosine' as const };
    expect(learningRateAt(cosine, 0)).toBe(3e-3);
    expect(learningRateAt(cosine, 0.5)).toBeCloseTo(1.5e-3, 15);
    expect(learningRateAt(cosine, 0.25)).toBeCloseTo(1.5e-3 * (1 + Math.SQRT1_2), 15);
    expect(learningRateAt(cosine, 1)).toBeCloseTo(0, 15);
  });

  it('stays at the full rate when constant', () => {
    expect(learningRateAt({ learningRate: 1e-3, schedule: 'constant' }, 0.7)).toBe(1e-3);
  });
});
