import { afterAll, describe, expect, it } from 'vitest';
import { GraspEnv, loadTask, OcclusionWrapper, parseOcclusionMode, type Action } from '../../src/env/index.js';
import { objectSegmentId } from '../../src/render/index.js';

const base = await GraspEnv.create(loadTask('cubes'));
afterAll(() => base.close());
const key = (index: number, occlusion: number) => ({ task: 'cubes', objects: { min: 3, max: 3 }, occlusion, index });
const HORIZON = 120;
const hover: Action = { x: 0, y: 0, z: 0.3, yaw: 0, gripper: 0 };

/** Occluded flags of steps 1..HORIZON over enough episodes to pass `steps` steps. */
function occludedSteps(wrapper: OcclusionWrapper, p: number, steps: number): boolean[] {
  const out: boolean[] = [];
  for (let index = 0; out.length < steps; index++) {
    wrapper.reset(key(index, p));
    for (let t = 1; t <= HORIZON; t++) out.push(wrapper.isOccluded(t));
  }
  return out.slice(0, steps);
}

describe('OcclusionWrapper', () => {
  it.each([0.2, 0.4, 0.6])('frames mode: blacks out a share p = %s of 10 000 steps, within the binomial 99-percent bound', (p) => {
    const flags = occludedSteps(new OcclusionWrapper(base, p, { kind: 'frames' }), p, 10_000);
    const k = flags.filter(Boolean).length;
    const bound = 2.576 * Math.sqrt(10_000 * p * (1 - p));
    expect(Math.abs(k - 10_000 * p)).toBeLessThanOrEqual(bound);
  });

  it('windows mode: blackouts come in runs of L steps, and about a share p of steps is black', () => {
    const flags = occludedSteps(new OcclusionWrapper(base, 0.4, parseOcclusionMode('windows:5')), 0.4, 12_000);
    const runs: number[] = [];
    let run = 0;
    for (const [i, f] of flags.entries()) {
      if (f) run++;
      if ((!f || i % HORIZON === HORIZON - 1) && run > 0) {
        runs.push(run);
        run = 0;
      }
    }
    // Runs are whole windows (adjacent ones merge), but a window cut by the episode's end.
    expect(runs.filter((r, i) => r % 5 !== 0 && i < runs.length - 1).length).toBeLessThan(runs.length * 0.15);
    expect(Math.abs(flags.filter(Boolean).length / flags.length - 0.4)).toBeLessThan(0.05);
  });

  it('hands the policy black RGB and depth and no ids on occluded steps, keeps the true ids on the ground-truth channel, and leaves others alone', () => {
    const wrapper = new OcclusionWrapper(base, 0.5, { kind: 'frames' });
    let { observation } = wrapper.reset(key(3, 0.5));
    expect(wrapper.isOccluded(0)).toBe(false); // the prompt's frame
    let checked = { black: 0, clear: 0 };
    for (let t = 1; t <= 20; t++) {
      observation = wrapper.step(hover).observation;
      const frame = observation.frames.scene;
      if (wrapper.isOccluded(t)) {
        expect(frame.rgb.every((v) => v === 0)).toBe(true);
        expect(frame.depth.every((v) => v === 0)).toBe(true);
        expect('ids' in frame).toBe(false);
        expect(wrapper.trueFrames().scene.ids.some((v) => v >= 16)).toBe(true);
        checked.black++;
      } else {
        expect(frame.rgb.some((v) => v > 0)).toBe(true);
        checked.clear++;
      }
    }
    expect(checked.black).toBeGreaterThan(3);
    expect(checked.clear).toBeGreaterThan(3);
  });

  it('draws its schedule from the key: the same for the same key, another for another level', () => {
    const wrapper = new OcclusionWrapper(base, 0.4, { kind: 'frames' });
    const schedule = (p: number) => {
      const w = new OcclusionWrapper(base, p, { kind: 'frames' });
      w.reset(key(1, p));
      return Array.from({ length: 50 }, (_, t) => w.isOccluded(t));
    };
    void wrapper;
    expect(schedule(0.4)).toEqual(schedule(0.4));
    expect(schedule(0.4)).not.toEqual(schedule(0.6));
    expect(schedule(0).some(Boolean)).toBe(false);
  });

  it('distractor mode: a card hides the target from the scene camera while it passes, and moves no physics', () => {
    const wrapper = new OcclusionWrapper(base, 0.5, parseOcclusionMode('distractor:6'));
    const { info } = wrapper.reset(key(2, 0.5));
    const target = objectSegmentId(info.target);
    const seen: { occluded: boolean; pixels: number }[] = [];
    for (let t = 1; t <= 30; t++) {
      wrapper.step(hover);
      seen.push({ occluded: wrapper.isOccluded(t), pixels: wrapper.trueFrames().scene.ids.filter((v) => v === target).length });
    }
    const during = seen.filter((s) => s.occluded).map((s) => s.pixels);
    const outside = seen.filter((s) => !s.occluded).map((s) => s.pixels);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(during.length).toBeGreaterThan(3);
    expect(mean(during)).toBeLessThan(0.6 * mean(outside));
    const withCard = wrapper.stateHash();
    base.reset(key(2, 0.5));
    for (let t = 1; t <= 30; t++) base.step(hover);
    expect(base.stateHash()).toBe(withCard);
  });

  it('rejects a level outside [0, 1) and a malformed mode', () => {
    expect(() => new OcclusionWrapper(base, 1, { kind: 'frames' })).toThrow(/--occlusion: must be at least 0 and below 1/);
    expect(() => parseOcclusionMode('windows')).toThrow(/--occlusion-mode: expected frames, windows:L, distractor:L or push:L/);
  });

  it('push mode: the camera is blind from the pusher\'s planned stroke for L steps, at any level above 0', async () => {
    const nudge = await GraspEnv.create(loadTask('nudge'));
    try {
      const wrapper = new OcclusionWrapper(nudge, 0.2, parseOcclusionMode('push:8'));
      let covered = 0;
      for (let index = 0; index < 6; index++) {
        wrapper.reset({ task: 'nudge', objects: { min: 3, max: 6 }, occlusion: 0.2, index });
        const start = nudge.privileged().pushPlannedStep;
        if (start === undefined) continue;
        covered++;
        for (let t = start; t < start + 8; t++) expect(wrapper.isOccluded(t), `key ${index}, step ${t}`).toBe(true);
      }
      expect(covered).toBeGreaterThanOrEqual(4);
      const clear = new OcclusionWrapper(nudge, 0, parseOcclusionMode('push:8'));
      clear.reset({ task: 'nudge', objects: { min: 3, max: 6 }, occlusion: 0, index: 0 });
      expect(Array.from({ length: 120 }, (_, t) => clear.isOccluded(t)).some(Boolean)).toBe(false);
    } finally {
      nudge.close();
    }
  });
});
