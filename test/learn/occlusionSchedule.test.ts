import { describe, expect, it } from 'vitest';
import { occlusionSchedule } from '../../src/learn/index.js';

const key = (index: number) => ({ task: 'cubes', objects: { min: 1, max: 6 }, occlusion: 0, index });

describe('occlusionSchedule (occlusion augmentation of the feature cache)', () => {
  it('is a function of the demo key, never blacks out the prompt frame, and nothing at share 0', () => {
    expect(occlusionSchedule(key(7), 0.5, 40)).toEqual(occlusionSchedule(key(7), 0.5, 40));
    for (let i = 0; i < 50; i++) {
      expect(occlusionSchedule(key(i), 0.9, 40)[0]).toBe(false);
      expect(occlusionSchedule(key(i), 0, 40).some(Boolean)).toBe(false);
    }
  });

  it('occludes about half the demos, at levels up to 0.6 (mean 0.3)', () => {
    const schedules = Array.from({ length: 400 }, (_, i) => occlusionSchedule(key(i), 0.5, 200));
    const occludedDemos = schedules.filter((s) => s.some(Boolean)).length / schedules.length;
    expect(occludedDemos).toBeGreaterThan(0.4);
    expect(occludedDemos).toBeLessThan(0.6);
    const levels = schedules.map((s) => s.filter(Boolean).length / (s.length - 1)).filter((p) => p > 0);
    expect(Math.max(...levels)).toBeLessThan(0.7);
    const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.35);
  });
});
