import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnedTrackerManifest, modelsDir, policyFor, runEpisode } from '../../src/bench/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { loadPerception } from '../../src/perception/index.js';
import { buildHeadOnnx, cacheFeatures, collectDemos, DEFAULT_OCCLUDED_SHARE, DEFAULT_START_SPREAD, DemoStore, readCache, shipHead, startPose, trainDiffusionHead, trainHead, DEFAULT_TRAINING, DEMO_INDEX_BASE } from '../../src/learn/index.js';
import { tempDir } from '../cli/helpers.js';

describe('collect, cache, train, export, evaluate (a tiny run)', () => {
  const task = loadTask('cubes');
  const work = tempDir('learn-');
  const store = new DemoStore(join(work, 'demos'));

  it('collects demonstrations deterministically and resumes where it stopped', async () => {
    const first = await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 2, singleShare: 0, noisyShare: 0.5, startSpread: DEFAULT_START_SPREAD, store });
    expect(first.stored).toBe(2);
    const resumed = await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 4, singleShare: 0, noisyShare: 0.5, startSpread: DEFAULT_START_SPREAD, store });
    expect(resumed.stored).toBe(4);
    const demos = store.read();
    expect(demos.map((d) => d.key.index)).toEqual([...new Set(demos.map((d) => d.key.index))]);
    expect(demos.every((d) => d.key.index >= DEMO_INDEX_BASE)).toBe(true);
    const other = new DemoStore(join(tempDir('learn-b-'), 'demos'));
    await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 4, singleShare: 0, noisyShare: 0.5, startSpread: DEFAULT_START_SPREAD, store: other });
    expect(other.read()).toEqual(demos.map((d) => ({ ...d })));
    const frames = store.frames(demos[0], 128, 128);
    expect(frames).toHaveLength(demos[0].actions.length);
    expect(frames[0].ids.some((v) => v === demos[0].targetSegmentId)).toBe(true);
    // Each demo starts where its key says, not at home.
    for (const demo of demos) {
      const start = startPose(demo.key, task.spec.gripper.home, DEFAULT_START_SPREAD);
      expect(Math.hypot(demo.proprio[0][0] - start.x, demo.proprio[0][1] - start.y, demo.proprio[0][2] - start.z)).toBeLessThan(1e-3);
      expect(Math.abs(demo.proprio[0][3] - start.yaw)).toBeLessThan(1e-3);
    }
    expect(new Set(demos.map((d) => d.proprio[0][0].toFixed(3))).size).toBe(demos.length);
  });

  it('refuses to resume a demo folder with other collection settings', async () => {
    await expect(collectDemos({ task, objects: { min: 3, max: 4 }, demos: 5, singleShare: 0, noisyShare: 0.5, startSpread: 0, store })).rejects.toThrow(/collected with .*startSpread":0.12.*use another folder/);
    expect(store.read()).toHaveLength(4);
  });

  it('caches one feature row per step and mode, and trains, exports and evaluates a head', async () => {
    const cacheDir = join(work, 'cache');
    const perception = await loadPerception({ kind: 'learned' }, task.spec, learnedTrackerManifest());
    const index = await cacheFeatures(store, task, join(modelsDir(), 'encoder.json'), perception, cacheDir, DEFAULT_OCCLUDED_SHARE);
    expect(index.perception).toBe('learned');
    const rows = index.demos.reduce((n, d) => n + d.rows, 0);
    expect(readCache(cacheDir, 'tracker').features.length).toBe(rows * index.featureLength);

    const head = await trainHead({ ...DEFAULT_TRAINING, cacheDirs: [cacheDir], mode: 'tracker', cvae: false, epochs: 2, batch: 16, validationShare: 0.25 });
    expect(head.losses).toHaveLength(2);
    expect(head.losses[1].train).toBeLessThan(head.losses[0].train);
    const best = head.losses.reduce((a, b) => (b.validation < a.validation ? b : a));
    expect(head.bestEpoch).toBe(best.epoch);
    const out = tempDir('heads-');
    const parity = await shipHead(head, 'tiny', 'tracker', out, join(modelsDir(), 'encoder.json'));
    expect(parity).toBeLessThan(1e-4);
    expect(existsSync(join(out, 'tiny.onnx'))).toBe(true);

    const env = await GraspEnv.create(task);
    try {
      const policy = await policyFor(`onnx:${join(out, 'tiny.json')}`, task);
      const result = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 0 });
      expect(result.steps).toBeGreaterThan(0);
      expect(result.prompt).not.toBeUndefined();
    } finally {
      env.close();
    }
    expect(JSON.parse(readFileSync(join(out, 'tiny.json'), 'utf8')).conditioning).toBe('tracker');
  });

  it('trains to the same ONNX bytes from the same seed, CVAE included', async () => {
    const cacheDir = join(work, 'cache');
    const bytes = async () => {
      const head = await trainHead({ ...DEFAULT_TRAINING, cacheDirs: [cacheDir], mode: 'none', cvae: true, epochs: 1, batch: 16, validationShare: 0.25 });
      return buildHeadOnnx(head.params, head.config, head.featureNorm);
    };
    const [a, b] = [await bytes(), await bytes()];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('trains a diffusion head to the same ONNX bytes from the same seed, ships it with its sampler block, and runs it', async () => {
    const cacheDir = join(work, 'cache');
    const train = () => trainDiffusionHead({ ...DEFAULT_TRAINING, cacheDirs: [cacheDir], mode: 'none', cvae: false, epochs: 1, batch: 16, validationShare: 0.25, denoiser: { temperature: 0.5 } });
    const [a, b] = [await train(), await train()];
    expect(Buffer.from(buildHeadOnnx(a.params, a.config, a.featureNorm)).equals(Buffer.from(buildHeadOnnx(b.params, b.config, b.featureNorm)))).toBe(true);
    const out = tempDir('dp-');
    expect(await shipHead(a, 'tiny-dp', 'none', out, join(modelsDir(), 'encoder.json'))).toBeLessThan(1e-4);
    const manifest = JSON.parse(readFileSync(join(out, 'tiny-dp.json'), 'utf8'));
    expect(manifest.diffusion).toMatchObject({ trainSteps: 100, inferenceSteps: 10, prediction: 'epsilon', clipSample: 3, temperature: 0.5, sample: { shape: [1, 10, 5] }, timestep: { shape: [1] } });
    expect(manifest.execution).toMatchObject({ ensemble: false, queryEvery: 5 });
    const env = await GraspEnv.create(task);
    try {
      const result = await runEpisode(env, await policyFor(`onnx:${join(out, 'tiny-dp.json')}`, task), { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 0 });
      expect(result.steps).toBeGreaterThan(0);
    } finally {
      env.close();
    }
  });
});
