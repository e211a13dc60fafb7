import { describe, expect, it } from 'vitest';
import { binomialUpperTail, mcnemarExact, pairedComparisons, pairedWorseP, type EpisodeRow } from '../../../src/bench/index.js';

describe('exact tests on paired outcomes', () => {
  it('binomial tails match hand-computed values', () => {
    expect(binomialUpperTail(10, 8)).toBeCloseTo((45 + 10 + 1) / 1024, 15);
    expect(binomialUpperTail(10, 0)).toBe(1);
    expect(binomialUpperTail(10, 11)).toBe(0);
    expect(binomialUpperTail(1, 1)).toBe(0.5);
    // Symmetry of Binomial(n, 1/2): P(X >= 501) + P(X >= 500) = 1 for n = 1000.
    expect(binomialUpperTail(1000, 501) + binomialUpperTail(1000, 500)).toBeCloseTo(1, 10);
  });

  it('McNemar is two-sided and only counts discordant keys', () => {
    expect(mcnemarExact(8, 2)).toBeCloseTo(2 * (56 / 1024), 15);
    expect(mcnemarExact(2, 8)).toBe(mcnemarExact(8, 2));
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(7, 0)).toBeCloseTo(2 / 128, 15);
  });

  it('the one-sided "worse" test: seven straight losses are significant at 0.01, six are not', () => {
    expect(pairedWorseP(7, 0)).toBeCloseTo(1 / 128, 15);
    expect(pairedWorseP(6, 0)).toBeGreaterThan(0.01);
    expect(pairedWorseP(0, 7)).toBe(1);
  });

  it('pairs policies on the keys both ran, per cell', () => {
    const row = (policy: string, index: number, success: boolean, occlusion = '0') =>
      ({ task: 'cubes', objects: '3-6', occlusion, occlusion_mode: 'frames', index: String(index), policy, success_target: success ? '1' : '0' }) as EpisodeRow;
    const rows = [
      ...[1, 1, 1, 0, 1].map((s, i) => row('a', i, s === 1)),
      ...[0, 0, 1, 1].map((s, i) => row('b', i, s === 1)),
      row('a', 0, false, '0.2'),
    ];
    const [pair, ...rest] = pairedComparisons(rows, () => 'one');
    expect(pair).toMatchObject({ policy_a: 'a', policy_b: 'b', occlusion: '0', n: 4, successes_a: 3, successes_b: 2, a_only: 2, b_only: 1 });
    expect(pair.p).toBe(1);
    expect(pair.p_holm).toBe(1);
    expect(rest).toEqual([]);
  });

  it('pairs on success_any when asked: grasping the wrong object counts, grasping none does not', () => {
    const row = (policy: string, index: number, target: boolean, any: boolean) =>
      ({ task: 'cubes', objects: '3-6', occlusion: '0', occlusion_mode: 'frames', index: String(index), policy, success_target: target ? '1' : '0', success_any: any ? '1' : '0' }) as EpisodeRow;
    // a grasps a wrong cube on keys 0-2; b grasps nothing there.
    const rows = [0, 1, 2, 3].flatMap((i) => [row('a', i, i === 3, true), row('b', i, i === 3, i === 3)]);
    expect(pairedComparisons(rows, () => 'one')[0]).toMatchObject({ successes_a: 1, successes_b: 1, a_only: 0, b_only: 0 });
    expect(pairedComparisons(rows, () => 'one', 'success_any')[0]).toMatchObject({ successes_a: 4, successes_b: 1, a_only: 3, b_only: 0 });
  });
});
