import { describe, expect, it } from 'vitest';
import { blackedOut, centroid, frameWith, oracleOn } from './helpers.js';

const quiet = { memory: 6, boundaryNoise: 0, dropout: 0, hiddenShare: 0.3, switchRate: 0 };
const cube = (id: number, x: number, y: number) => ({ id, x0: x, y0: y, x1: x + 8, y1: y + 8 });

describe('OracleTracker', () => {
  it('tracks the object its box covers best, so a box over the wrong object tracks that one', async () => {
    const frame = frameWith([cube(16, 10, 10), cube(17, 40, 40)]);
    const o = oracleOn('t', quiet);
    const right = await o.init(frame, { x0: 9, y0: 9, x1: 19, y1: 19 });
    expect(o.tracker.trackedSegmentId).toBe(16);
    expect(right.box).toEqual({ x0: 10, y0: 10, x1: 18, y1: 18 });
    await o.init(frame, { x0: 38, y0: 39, x1: 47, y1: 50 });
    expect(o.tracker.trackedSegmentId).toBe(17);
    expect((await o.track(frame)).box).toEqual({ x0: 40, y0: 40, x1: 48, y1: 48 });
  });

  it('carries the mask from memory through blacked-out frames, near its last place, then recovers', async () => {
    const o = oracleOn('m', quiet);
    // The object moves right 2 px per frame for 4 frames, then the frames go black for 5.
    await o.init(frameWith([cube(16, 10, 20), cube(17, 40, 40)]), { x0: 10, y0: 20, x1: 18, y1: 28 });
    for (let t = 1; t <= 4; t++) await o.track(frameWith([cube(16, 10 + 2 * t, 20), cube(17, 40, 40)]));
    const lastSeen = 18;
    for (let t = 5; t <= 9; t++) {
      const result = await o.track(blackedOut(frameWith([cube(16, 10 + 2 * t, 20), cube(17, 40, 40)])));
      expect(result.fromMemory).toBe(true);
      expect(result.score).toBeLessThan(0.35);
      const [cx] = centroid(result.mask, 64);
      expect(Math.abs(cx - (lastSeen + 3.5))).toBeLessThanOrEqual(8); // near the last place, a few px of extrapolation
      expect(result.embedding[12]).toBe(1);
    }
    const back = await o.track(frameWith([cube(16, 30, 20), cube(17, 40, 40)]));
    expect(back.fromMemory).toBe(false);
    expect(back.score).toBeGreaterThan(0.9);
    expect(back.box).toEqual({ x0: 30, y0: 20, x1: 38, y1: 28 });
    expect(o.tracker.trackedSegmentId).toBe(16);
  });

  it('refuses an empty or out-of-image prompt box, as the ONNX tracker does', async () => {
    const o = oracleOn('x', quiet);
    const frame = frameWith([cube(16, 10, 10)]);
    await expect(o.init(frame, { x0: 5, y0: 5, x1: 5, y1: 9 })).rejects.toThrow(/^prompt box: is empty/);
    await expect(o.init(frame, { x0: -20, y0: 5, x1: -2, y1: 9 })).rejects.toThrow(/^prompt box: lies outside the 64 x 64 image/);
  });

  it('fills, then rolls, its memory bank', async () => {
    const o = oracleOn('b', { ...quiet, memory: 3 });
    const frame = frameWith([cube(16, 10, 10)]);
    await o.init(frame, { x0: 10, y0: 10, x1: 18, y1: 18 });
    expect(o.tracker.memorySize).toBe(1);
    await o.track(frame);
    await o.track(frame);
    expect(o.tracker.memorySize).toBe(3);
    await o.track(frame);
    expect(o.tracker.memorySize).toBe(3);
  });

  it('may switch identity to a neighbour when its object is mostly hidden', async () => {
    const o = oracleOn('s', { ...quiet, switchRate: 1 });
    await o.init(frameWith([cube(16, 10, 10), cube(17, 22, 10)]), { x0: 10, y0: 10, x1: 18, y1: 18 });
    // Only a 2 x 2 corner of object 16 still shows.
    await o.track(frameWith([{ id: 16, x0: 10, y0: 10, x1: 12, y1: 12 }, cube(17, 22, 10)]));
    expect(o.tracker.trackedSegmentId).toBe(17);
  });

  it('degrades masks with its seeded noise, the same way every time', async () => {
    const run = async () => {
      const o = oracleOn('n');
      const frame = frameWith([cube(16, 10, 10)]);
      await o.init(frame, { x0: 10, y0: 10, x1: 18, y1: 18 });
      return Promise.all([1, 2, 3, 4, 5].map(() => o.track(frame).then((r) => r.mask.reduce((a, b) => a + b, 0))));
    };
    const sizes = await run();
    expect(await run()).toEqual(sizes);
    expect(new Set(sizes).size).toBeGreaterThan(1); // erosion, dilation or dropout changed something
  });
});
