import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelsDir, policyFor } from '../../src/bench/index.js';
import { loadPolicyManifest } from '../../src/config/index.js';
import { Rng } from '../../src/core/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { NoiseSchedule, robotInfoOf } from '../../src/policy/index.js';
import { sam2grasp, tempDir } from '../cli/helpers.js';

describe('NoiseSchedule (cosine schedule, DDIM with eta = 0)', () => {
  const schedule = new NoiseSchedule(100);

  it('loses signal monotonically from almost none to almost all', () => {
    const a = schedule.alphasCumprod;
    for (let t = 1; t < a.length; t++) expect(a[t]).toBeLessThan(a[t - 1]);
    expect(a[0]).toBeGreaterThan(0.999);
    expect(a[99]).toBeLessThan(1e-3);
  });

  it('spaces its inference steps evenly, noisiest first, starting from pure noise', () => {
    expect(schedule.inferenceTimesteps(10)).toEqual([99, 89, 79, 69, 59, 49, 39, 29, 19, 9]);
    expect(schedule.inferenceTimesteps(1)).toEqual([99]);
  });

  it.each(['epsilon', 'sample', 'v_prediction'] as const)('lands on the clean chunk when the model predicts it exactly (%s prediction)', (prediction) => {
    const rng = new Rng('ddim');
    const x0 = Float64Array.from({ length: 50 }, () => rng.normal());
    const noise = Float64Array.from({ length: 50 }, () => rng.normal());
    const steps = schedule.inferenceTimesteps(10);
    // x_T as the forward process makes it; a perfect model then names x0 (or the noise) at every step.
    const a = schedule.alphasCumprod[steps[0]];
    const x = Float32Array.from(x0, (v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * noise[i]);
    for (let i = 0; i < steps.length; i++) {
      const at = schedule.alphasCumprod[steps[i]];
      const eps = Float64Array.from(x, (v, j) => (v - Math.sqrt(at) * x0[j]) / Math.sqrt(1 - at));
      const v = Float64Array.from(eps, (e, j) => Math.sqrt(at) * e - Math.sqrt(1 - at) * x0[j]);
      schedule.step(x, { epsilon: eps, sample: x0, v_prediction: v }[prediction], steps[i], steps[i + 1] ?? -1, prediction);
    }
    x.forEach((v, i) => expect(v).toBeCloseTo(x0[i], 3));
  });

  it('with eta = 1 (DDPM\'s ancestral step) draws fresh noise at every step but the last, and a perfect model still lands on the clean chunk', () => {
    const rng = new Rng('ddpm');
    const x0 = Float64Array.from({ length: 20 }, () => rng.normal());
    const steps = schedule.inferenceTimesteps(10);
    const x = Float32Array.from(x0, () => rng.normal());
    let draws = 0;
    const noise = () => (draws++, rng.normal());
    for (let i = 0; i < steps.length; i++) {
      const at = schedule.alphasCumprod[steps[i]];
      const eps = Float64Array.from(x, (v, j) => (v - Math.sqrt(at) * x0[j]) / Math.sqrt(1 - at));
      schedule.step(x, eps, steps[i], steps[i + 1] ?? -1, 'epsilon', { eta: 1, noise });
    }
    expect(draws).toBe(20 * (steps.length - 1));
    x.forEach((v, i) => expect(v).toBeCloseTo(x0[i], 3));
  });

  it('clips the predicted clean chunk, and keeps the noise consistent with the clipped chunk', () => {
    // At t = T - 1 a noise prediction off by 0.1 puts x0 hundreds of units away; clipped, it lands at the bound.
    const x = Float32Array.of(0.5, -0.5);
    const t = 99;
    schedule.step(x, [0.6, -0.6], t, -1, 'epsilon', { clip: 3 });
    expect([...x]).toEqual([-3, 3]); // x0 = (0.5 - 0.6 sqrt(1 - a)) / sqrt(a): far below -3
    const unclipped = Float32Array.of(0.5, -0.5);
    schedule.step(unclipped, [0.6, -0.6], t, -1, 'epsilon');
    expect(Math.abs(unclipped[0])).toBeGreaterThan(30);
  });
});

describe('the diffusion block of a policy manifest', () => {
  const chunk = { name: 'sample', shape: [1, 10, 5] };
  const base = {
    name: 'den',
    file: 'den.onnx',
    encoder: 'encoder.json',
    inputs: { 'observation.features': { name: 'features', shape: [1, 2484] }, 'observation.state': { name: 'proprio', shape: [1, 7] } },
    output: { name: 'prediction', shape: [1, 10, 5] },
    diffusion: { sample: chunk, timestep: { name: 'timestep', shape: [1] }, trainSteps: 100, inferenceSteps: 10 },
    proprioNorm: { mean: [0, 0, 0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1, 1, 1] },
    actionNorm: { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] },
    chunkSize: 10,
    controlHz: 10,
    execution: { ensemble: false, queryEvery: 5 },
  };
  const load = (edit: (m: typeof base) => unknown) => {
    const path = join(tempDir('manifest-'), 'den.json');
    writeFileSync(path, JSON.stringify(edit(structuredClone(base))));
    return () => loadPolicyManifest(path);
  };

  it('is read with its defaults: epsilon prediction, and the receding horizon as asked', () => {
    const manifest = load((m) => m)();
    expect(manifest.diffusion).toMatchObject({ trainSteps: 100, inferenceSteps: 10, prediction: 'epsilon', temperature: 1 });
    expect(manifest.execution).toMatchObject({ ensemble: false, queryEvery: 5 });
  });

  it.each([
    ['a sample tensor that a role feeds too', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, sample: { name: 'features', shape: [1, 10, 5] } } }), /diffusion.sample: tensor "features" is fed by an observation role too/],
    ['a sample of another chunk size', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, sample: { name: 'sample', shape: [1, 8, 5] } } }), /diffusion.sample: shape must be \[1, chunkSize = 10, 5\]/],
    ['a timestep that is not [1]', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, timestep: { name: 'timestep', shape: [1, 1] } } }), /diffusion.timestep: shape must be \[1\]/],
    ['more inference steps than training steps', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, inferenceSteps: 200 } }), /diffusion.inferenceSteps: 200 is more than trainSteps \(100\)/],
    ['an unknown prediction type', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, prediction: 'v' } }), /diffusion.prediction/],
    ['a starting noise hotter than the trained one', (m: typeof base) => ({ ...m, diffusion: { ...m.diffusion, temperature: 1.5 } }), /diffusion.temperature/],
  ])('refuses %s in one line naming the field', (_what, edit, message) => {
    expect(load(edit)).toThrow(message);
  });
});

describe('the shipped diffusion policies sample deterministically from the episode key', () => {
  const dir = tempDir('dp-workers-');
  const run = (workers: string) => {
    const out = join(dir, workers);
    const result = sam2grasp(['eval', '--task', 'cubes', '--objects', '3-6', '--policy', 'dp', '--episodes', '4', '--workers', workers, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    return readFileSync(join(out, 'episodes.csv'));
  };

  it('gives the same bytes with 1 and 2 workers', () => {
    expect(run('1').equals(run('2'))).toBe(true);
  });

  // The shipped manifest with another starting-noise temperature, its paths made absolute.
  const dpAt = (temperature: number) => {
    const shipped = join(modelsDir(), 'dp.json');
    const manifest = JSON.parse(readFileSync(shipped, 'utf8'));
    const path = join(dir, `dp-${temperature}.json`);
    writeFileSync(path, JSON.stringify({ ...manifest, file: resolve(modelsDir(), manifest.file), encoder: resolve(modelsDir(), manifest.encoder), diffusion: { ...manifest.diffusion, temperature } }));
    return `onnx:${path}`;
  };

  it('draws its noise from the stream it is given: the same stream, the same chunk; another, another, unless the temperature is 0', async () => {
    const task = loadTask('cubes');
    const env = await GraspEnv.create(task);
    try {
      const { observation } = env.reset({ task: 'cubes', objects: { min: 4, max: 4 }, occlusion: 0, index: 0 });
      const firstAction = async (ref: string, seed: string) => {
        const policy = await policyFor(ref, task);
        await policy.reset({ robot: robotInfoOf(env), rng: new Rng(seed) }, observation);
        const [a] = await policy.act(observation);
        return [a.x, a.y, a.z, a.yaw, a.gripper];
      };
      const warm = dpAt(1);
      const first = await firstAction(warm, 'episode-a');
      expect(await firstAction(warm, 'episode-a')).toEqual(first);
      expect(await firstAction(warm, 'episode-b')).not.toEqual(first);
      expect(first.every(Number.isFinite)).toBe(true);
      const cold = dpAt(0);
      expect(await firstAction(cold, 'episode-b')).toEqual(await firstAction(cold, 'episode-a'));
    } finally {
      env.close();
    }
  });
});
