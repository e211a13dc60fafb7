import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { boxIou, boxProblem, IdsDetector } from '../../src/perception/index.js';
import { frameWith } from './helpers.js';

const frame = frameWith([{ id: 16, x0: 10, y0: 12, x1: 20, y1: 18 }, { id: 17, x0: 40, y0: 40, x1: 50, y1: 52 }]);
// A target of the size cubes have in the scene camera (about 100 pixels).
const typical = frameWith([{ id: 16, x0: 20, y0: 20, x1: 30, y1: 30 }]);

describe('IdsDetector', () => {
  it('returns exactly the target\'s pixel box when the noise is off', () => {
    const detector = new IdsDetector({ jitter: 0, scaleError: 0, missRate: 0 }, new Rng('d'));
    expect(detector.detect(frame, 16)).toEqual({ x0: 10, y0: 12, x1: 20, y1: 18 });
    expect(detector.detect(frame, 17)).toEqual({ x0: 40, y0: 40, x1: 50, y1: 52 });
    expect(detector.detect(frame, 18)).toBeNull();
  });

  it('jitters the box within its noise and misses at its rate, reproducibly', () => {
    const noise = { jitter: 1, scaleError: 0.05, missRate: 0.2 };
    const run = () => {
      const detector = new IdsDetector(noise, new Rng('seed'));
      return Array.from({ length: 2000 }, () => detector.detect(typical, 16));
    };
    const boxes = run();
    expect(run()).toEqual(boxes);
    const misses = boxes.filter((b) => b === null).length;
    expect(misses).toBeGreaterThan(2000 * 0.2 - 3 * Math.sqrt(2000 * 0.16));
    expect(misses).toBeLessThan(2000 * 0.2 + 3 * Math.sqrt(2000 * 0.16));
    const ious = boxes.filter((b) => b !== null).map((b) => boxIou(b!, { x0: 20, y0: 20, x1: 30, y1: 30 }));
    const sorted = ious.slice().sort((a, b) => a - b);
    expect(sorted[Math.floor(0.05 * sorted.length)]).toBeGreaterThan(0.5);
    expect(ious.reduce((a, b) => a + b) / ious.length).toBeGreaterThan(0.7);
  });

  it('names what is wrong with an unusable box', () => {
    expect(boxProblem({ x0: 5, y0: 5, x1: 5, y1: 9 }, 64, 64)).toMatch(/is empty/);
    expect(boxProblem({ x0: 70, y0: 5, x1: 80, y1: 9 }, 64, 64)).toMatch(/lies outside the 64 x 64 image/);
    expect(boxProblem({ x0: 1, y0: 1, x1: 9, y1: 9 }, 64, 64)).toBeNull();
  });
});
