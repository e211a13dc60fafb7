import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectPrompt, learnedTrackerManifest } from '../../src/bench/index.js';
import { Rng } from '../../src/core/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { loadPerception, Sam2OnnxTracker } from '../../src/perception/index.js';
import { createSensorFrame, objectSegmentId, SEGMENT_IDS, type Frame } from '../../src/render/index.js';

/** The shipped learned tracker, on the harness's own held-out renders (evaluation keys: never trained on). */
const task = loadTask('cubes');
const env = await GraspEnv.create(task);
afterAll(() => env.close());
const manifest = learnedTrackerManifest();

function iou(mask: Uint8Array, truth: Frame, wanted: (id: number) => boolean): number {
  let inter = 0, union = 0;
  for (let i = 0; i < mask.length; i++) {
    const t = wanted(truth.ids[i]);
    if (t && mask[i]) inter++;
    if (t || mask[i]) union++;
  }
  return inter / Math.max(1, union);
}

describe('the learned tracker', () => {
  it('ships four modules under 20 MB with its manifest and training record', () => {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    expect(m.name).toBe('learned');
    const files = Object.values(m.modules).map((mod) => join(manifest, '..', (mod as { file: string }).file));
    expect(files).toHaveLength(4);
    expect(files.reduce((n, f) => n + statSync(f).size, 0)).toBeLessThan(20 * 2 ** 20);
    const record = JSON.parse(readFileSync(join(manifest, '..', 'training-tracker.json'), 'utf8'));
    expect(record.validation.visibleIoU).toBeGreaterThan(0.5);
    expect(record.versions.torch).toBeTruthy();
  });

  it('segments the prompted cube from pixels, and every object as foreground, on held-out scenes', async () => {
    const perception = await loadPerception({ kind: 'learned' }, task.spec, manifest);
    const scores: number[] = [];
    const foregrounds: number[] = [];
    for (const index of [0, 1, 2, 3]) {
      const key = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index };
      const { observation, info } = env.reset(key);
      const truth = env.trueFrames().scene;
      const tracker = await perception.tracker(new Rng('unused'));
      const result = await tracker.init(observation.frames.scene, detectPrompt(env, key, info)!);
      scores.push(iou(result.mask, truth, (id) => id === objectSegmentId(info.target)));
      foregrounds.push(iou(result.foreground!, truth, (id) => id >= SEGMENT_IDS.objectBase));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(scores)).toBeGreaterThan(0.7);
    expect(mean(foregrounds)).toBeGreaterThan(0.7);
  });

  it('carries the object through a blacked-out frame from memory, and gives the same bits every time', async () => {
    const tracker = await Sam2OnnxTracker.load(manifest);
    const key = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index: 5 };
    const run = async () => {
      const { observation, info } = env.reset(key);
      const t = tracker.fresh();
      await t.init(observation.frames.scene, detectPrompt(env, key, info)!);
      const hover = { x: 0, y: 0, z: 0.3, yaw: 0, gripper: 0 };
      await t.track(env.step(hover).observation.frames.scene);
      env.step(hover);
      const black = createSensorFrame(128, 128);
      const remembered = await t.track(black);
      return { remembered, truth: env.trueFrames().scene, target: objectSegmentId(info.target) };
    };
    const a = await run();
    const b = await run();
    expect(a.remembered.fromMemory).toBe(true);
    expect(iou(a.remembered.mask, a.truth, (id) => id === a.target)).toBeGreaterThan(0.4);
    expect(Buffer.from(b.remembered.mask).equals(Buffer.from(a.remembered.mask))).toBe(true);
  });
});
