import { afterAll, describe, expect, it } from 'vitest';
import { runEpisode } from '../../src/bench/index.js';
import { sha256Hex } from '../../src/core/index.js';
import { CLOSING_COMMAND, GraspEnv, loadTask, type Observation } from '../../src/env/index.js';
import { ScriptedExpert } from '../../src/policy/index.js';
import { objectSegmentId, pixelToWorld, SEGMENT_IDS, type Frame } from '../../src/render/index.js';

const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());
const key = (index: number, min = 3, max = 6) => ({ task: 'cubes', objects: { min, max }, occlusion: 0, index });

function frameHash(frame: Frame): string {
  return sha256Hex(Buffer.concat([frame.rgb, Buffer.from(frame.depth.buffer), Buffer.from(frame.ids.buffer)])).slice(0, 16);
}

/** Golden hashes of the t = 0 frames of cubes/3-6/0/0. Update them with the scene or the renderer, saying why. */
const GOLDEN_FRAMES = { scene: '157d6b651b147db5', wrist: 'd939147951803aab' };

describe('observation frames', () => {
  it('pins the t = 0 frames of a fixed episode (golden hashes)', () => {
    env.reset(key(0));
    const truth = env.trueFrames();
    const hashes = { scene: frameHash(truth.scene), wrist: frameHash(truth.wrist) };
    expect(hashes).toEqual(GOLDEN_FRAMES);
  });

  it('gives the policy sensors only: RGB and depth, the same bytes as the ground truth renders, and no ids', () => {
    const { observation } = env.reset(key(0));
    const truth = env.trueFrames();
    for (const camera of ['scene', 'wrist'] as const) {
      const frame = observation.frames[camera];
      expect(Object.keys(frame).sort()).toEqual(['depth', 'height', 'rgb', 'width']);
      expect(frame.rgb).toEqual(truth[camera].rgb);
      expect(frame.depth).toEqual(truth[camera].depth);
    }
  });

  it('shows the wrist camera the target between the fingers just before they close', async () => {
    for (const index of [0, 1, 2]) {
      const { info } = env.reset(key(index, 1, 1));
      let seen: { target: number; left: boolean; right: boolean } | undefined;
      await runEpisode(env, new ScriptedExpert(), key(index, 1, 1), {
        onStep(obs: Observation, gripper: number) {
          if (seen || gripper < CLOSING_COMMAND) return;
          void obs;
          const frame = env.trueFrames().wrist;
          const id = objectSegmentId(info.target);
          // The row through the target's pixels: gripper pixels must flank them on both sides.
          let sum = 0, n = 0;
          frame.ids.forEach((v, i) => { if (v === id) { sum += Math.floor(i / frame.width); n++; } });
          const row = Math.round(sum / n);
          const cols = [...Array(frame.width).keys()];
          const rowIds = cols.map((u) => frame.ids[row * frame.width + u]);
          const first = rowIds.indexOf(id);
          const last = rowIds.lastIndexOf(id);
          seen = {
            target: n / (frame.width * frame.height),
            left: rowIds.slice(0, first).includes(SEGMENT_IDS.gripper),
            right: rowIds.slice(last + 1).includes(SEGMENT_IDS.gripper),
          };
        },
      });
      expect(seen, `episode ${index}`).toBeDefined();
      expect(seen!.target).toBeGreaterThan(0.05);
      expect(seen!.left && seen!.right, `episode ${index}: fingers on both sides`).toBe(true);
    }
  });

  it('chooses a target the scene camera sees, and can place its pixels in the world', () => {
    const { observation, info } = env.reset(key(4));
    expect(info.targetPixels).toBeGreaterThanOrEqual(20);
    expect(info.targetVisible).toBeGreaterThan(0.5);
    const frame = { ...observation.frames.scene, ids: env.trueFrames().scene.ids };
    const id = objectSegmentId(info.target);
    const i = frame.ids.indexOf(id);
    const [x, y] = pixelToWorld(observation.cameras.scene, i % frame.width, Math.floor(i / frame.width), frame.depth[i]);
    const target = env.privileged().objects[info.target].position;
    expect(Math.hypot(x - target.x, y - target.y)).toBeLessThan(0.035);
  });

  it('refuses to show the frames of a step that has passed', () => {
    const { observation } = env.reset(key(5));
    const action = { x: 0, y: 0, z: 0.3, yaw: 0, gripper: 0 };
    const next = env.step(action).observation;
    expect(() => observation.frames.scene).toThrow(/frames of step 0 are gone/);
    expect(next.frames.wrist.width).toBe(128);
  });
});
