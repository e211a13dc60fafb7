import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/bench/index.js';

describe('wilsonInterval', () => {
  it('matches published values (8 of 10: 0.490 to 0.943)', () => {
    const { lo, hi } = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1] at 0 % and 100 %', () => {
    expect(wilsonInterval(0, 20)).toEqual({ lo: 0, hi: expect.closeTo(0.1611, 4) });
    expect(wilsonInterval(200, 200).lo).toBeCloseTo(0.9812, 4);
    expect(wilsonInterval(200, 200).hi).toBe(1);
  });
});
