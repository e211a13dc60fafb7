import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTask, modelsDir, policyFor, runEpisode } from '../../src/bench/index.js';
import { GraspEnv } from '../../src/env/index.js';
import { buildHeadOnnx, cacheFeatures, collectDemos, DemoStore, readCache, shipHead, trainHead, DEFAULT_TRAINING, DEMO_INDEX_BASE } from '../../src/learn/index.js';
import { tempDir } from '../cli/helpers.js';

describe('collect, cache, train, export, evaluate (a tiny run)', () => {
  const task = loadTask('cubes');
  const work = tempDir('learn-');
  const store = new DemoStore(join(work, 'demos'));

  it('collects demonstrations deterministically and resumes where it stopped', async () => {
    const first = await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 2, noisyShare: 0.5, store });
    expect(first.stored).toBe(2);
    const resumed = await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 4, noisyShare: 0.5, store });
    expect(resumed.stored).toBe(4);
    const demos = store.read();
    expect(demos.map((d) => d.key.index)).toEqual([...new Set(demos.map((d) => d.key.index))]);
    expect(demos.every((d) => d.key.index >= DEMO_INDEX_BASE)).toBe(true);
    const other = new DemoStore(join(tempDir('learn-b-'), 'demos'));
    await collectDemos({ task, objects: { min: 3, max: 4 }, demos: 4, noisyShare: 0.5, store: other });
    expect(other.read()).toEqual(demos.map((d) => ({ ...d })));
    const frames = store.frames(demos[0], 128, 128);
    expect(frames).toHaveLength(demos[0].actions.length);
    expect(frames[0].ids.some((v) => v === demos[0].targetSegmentId)).toBe(true);
  });

  it('caches one feature row per step and mode, and trains, exports and evaluates a head', async () => {
    const cacheDir = join(work, 'cache');
    const index = await cacheFeatures(store, task, join(modelsDir(), 'encoder.json'), cacheDir);
    const rows = index.demos.reduce((n, d) => n + d.rows, 0);
    expect(readCache(cacheDir, 'tracker').features.length).toBe(rows * index.featureLength);

    const head = await trainHead({ ...DEFAULT_TRAINING, cacheDir, mode: 'tracker', cvae: false, epochs: 2, batch: 16, validationShare: 0.25 });
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
      const head = await trainHead({ ...DEFAULT_TRAINING, cacheDir, mode: 'none', cvae: true, epochs: 1, batch: 16, validationShare: 0.25 });
      return buildHeadOnnx(head.params, head.config, head.featureNorm);
    };
    const [a, b] = [await bytes(), await bytes()];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
