import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/index.js';
import { NoiseSchedule } from '../policy/index.js';
import { DEFAULT_DIFFUSION, diffusionForward, initDiffusion, type DiffusionConfig } from './DiffusionHead.js';
import { initTensorflow } from './tfBackend.js';
import { fitHead, headData, type TrainedHead, type TrainOptions } from './trainHead.js';

/**
 * Trains a diffusion head (DDPM; Ho et al., 2020) on the same cached features, rows and budget as
 * the ACT heads: for each row a diffusion step t and a noise draw, x_t = sqrt(a_t) a +
 * sqrt(1 - a_t) eps, and the MSE between the prediction and its target (the clean chunk a, or the
 * noise eps, as the config's `prediction` says). The steps come from a named stream, the noise from tfjs seeded by the batch's
 * number; the validation rows get the same steps and noise at every epoch.
 */
export async function trainDiffusionHead(options: TrainOptions & { diffusion?: Partial<Omit<DiffusionConfig, 'tokenLength'>> }): Promise<TrainedHead<DiffusionConfig>> {
  await initTensorflow();
  const started = Date.now();
  const data = headData(options, options.diffusion?.chunk ?? DEFAULT_DIFFUSION.chunk);
  const config: DiffusionConfig = { ...DEFAULT_DIFFUSION, ...options.diffusion, tokenLength: data.tokenLength };
  const params = initDiffusion(config, `${options.seed}/init/${options.mode}/diffusion`);
  const schedule = new NoiseSchedule(config.trainSteps);
  const rootRates = { signal: Float32Array.from(schedule.alphasCumprod, Math.sqrt), noise: Float32Array.from(schedule.alphasCumprod, (a) => Math.sqrt(1 - a)) };
  const trainSteps = new Rng(options.seed).stream('diffusion/steps');

  const loss = (f: tf.Tensor2D, p: tf.Tensor2D, a: tf.Tensor3D, steps: number[], seed: number) => {
    const b = steps.length;
    const signal = tf.tensor3d(steps.map((t) => rootRates.signal[t]), [b, 1, 1]);
    const noiseRate = tf.tensor3d(steps.map((t) => rootRates.noise[t]), [b, 1, 1]);
    const noise = tf.randomNormal(a.shape, 0, 1, 'float32', seed);
    const noisy = tf.add(tf.mul(signal, a), tf.mul(noiseRate, noise)) as tf.Tensor3D;
    const target = config.prediction === 'sample' ? a : noise;
    return tf.mean(tf.square(tf.sub(diffusionForward(params, config, f, p, noisy, tf.tensor1d(steps)), target))) as tf.Scalar;
  };
  const drawSteps = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, config.trainSteps - 1));
  const fitted = await fitHead(options, params, data, {
    train: (f, p, a, step) => loss(f, p, a, drawSteps(trainSteps, f.shape[0]), step),
    validate: (f, p, a, batch) => loss(f, p, a, drawSteps(new Rng(options.seed).stream(`diffusion/validation/${batch}`), f.shape[0]), 1_000_000 + batch),
  });
  return { params, config, featureNorm: data.featureNorm, proprioNorm: data.proprioNorm, actionNorm: data.actionNorm, ...fitted, seconds: (Date.now() - started) / 1000 };
}
