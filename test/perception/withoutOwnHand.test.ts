import { afterAll, describe, expect, it } from 'vitest';
import { runEpisode } from '../../src/bench/index.js';
import { GraspEnv, handBoxesAt, loadTask, type Observation } from '../../src/env/index.js';
import { objectGeometry, withoutOwnHand } from '../../src/perception/index.js';
import { ScriptedExpert } from '../../src/policy/index.js';
import { SEGMENT_IDS, type Frame } from '../../src/render/index.js';

const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());
const maxOpening = env.task.spec.gripper.maxOpening;

const handOf = (obs: Observation) => handBoxesAt(obs.proprio.palm, obs.proprio.opening, maxOpening);
const pixelsWhere = (truth: Frame, keep: (id: number) => boolean) => Uint8Array.from(truth.ids, (id) => (keep(id) ? 1 : 0));

describe('withoutOwnHand', () => {
  it('takes the rendered hand out of a mask and leaves the objects, over a whole grasp', async () => {
    const counts = { hand: 0, handLeft: 0, objects: 0, objectsTaken: 0 };
    await runEpisode(env, new ScriptedExpert(), { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index: 4 }, {
      onStep(obs) {
        const frame = obs.frames.scene;
        const truth = env.trueFrames().scene;
        const everything = new Uint8Array(frame.width * frame.height).fill(1);
        const kept = withoutOwnHand(everything, frame, obs.cameras.scene, handOf(obs));
        for (let i = 0; i < kept.length; i++) {
          if (!(frame.depth[i] > 0 && Number.isFinite(frame.depth[i]))) continue;
          if (truth.ids[i] === SEGMENT_IDS.gripper) {
            counts.hand++;
            counts.handLeft += kept[i];
          }
          if (truth.ids[i] >= SEGMENT_IDS.objectBase) {
            counts.objects++;
            counts.objectsTaken += 1 - kept[i];
          }
        }
      },
    });
    expect(counts.hand).toBeGreaterThan(5000);
    expect(counts.handLeft / counts.hand).toBeLessThan(0.02);
    expect(counts.objectsTaken / counts.objects).toBeLessThan(0.01);
  });

  it('keeps a finger taken for an object from moving the object: its geometry is the clean mask\'s', async () => {
    let worst = { before: 0, after: 0 };
    await runEpisode(env, new ScriptedExpert(), { task: 'cubes', objects: { min: 1, max: 1 }, occlusion: 0, index: 2 }, {
      onStep(obs) {
        const frame = obs.frames.scene;
        const truth = env.trueFrames().scene;
        const camera = obs.cameras.scene;
        const objects = pixelsWhere(truth, (id) => id >= SEGMENT_IDS.objectBase);
        const withHand = pixelsWhere(truth, (id) => id >= SEGMENT_IDS.objectBase || id === SEGMENT_IDS.gripper);
        const clean = objectGeometry(frame, objects, camera);
        const before = objectGeometry(frame, withHand, camera);
        const after = objectGeometry(frame, withoutOwnHand(withHand, frame, camera, handOf(obs)), camera);
        if (!clean || !before || !after) return;
        const off = (g: Float32Array) => Math.hypot(g[0] - clean[0], g[1] - clean[1], g[2] - clean[2]);
        worst = { before: Math.max(worst.before, off(before)), after: Math.max(worst.after, off(after)) };
      },
    });
    // The hand stands above the cube, so the mask's top is the hand's until it is taken out.
    expect(worst.before).toBeGreaterThan(0.02);
    expect(worst.after).toBeLessThan(0.003);
  });

  it('changes nothing without a hand to remove', () => {
    const { observation } = env.reset({ task: 'cubes', objects: { min: 1, max: 1 }, occlusion: 0, index: 0 });
    const mask = new Uint8Array(observation.frames.scene.width * observation.frames.scene.height).fill(1);
    expect(withoutOwnHand(mask, observation.frames.scene, observation.cameras.scene, [])).toBe(mask);
  });
});
