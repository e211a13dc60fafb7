import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/index.js';
import { NoiseSchedule } from '../policy/index.js';
import { DEFAULT_HEAD, headForward, initHead, type DenoiserConfig, type HeadConfig } from './ActHead.js';
import { initTensorflow } from './tfBackend.js';
import { fitHead, headData, type TrainedHead, type TrainOptions } from './trainHead.js';

export const DEFAULT_DENOISER: DenoiserConfig = {
  stepEmbedding: 32,
  // Diffusion Policy trains with 100 steps and samples with DDIM in 10 or fewer.
  trainSteps: 100,
  inferenceSteps: 10,
  // The noise, as Diffusion Policy predicts it. Predicting the clean chunk instead learnt faster
  // (a lone cube in 64 % of 50 episodes after 20 epochs) but did not commit: its samples at t = 0
  // scattered around the cubes' centroid, the averaging this head is here to avoid. The velocity
  // (`train --prediction v_prediction`) lifts a lone cube more often (88 % against 82.5) and averages
  // in part among several (docs/learning.md).
  prediction: 'epsilon',
  // Without clipping, a noise prediction's error is multiplied by 1 / sqrt(a_t), about 1000 at the
  // cosine schedule's end, and the chunks left the bin. Actions are z-scored: 3 spans the bin.
  clipSample: 3,
  // The trained distribution's own noise; a shipped head's is chosen after training (cli/train.ts).
  temperature: 1,
  // None by default; the shipped `dp`'s spec sets 5 (src/cli/train.ts; measured in docs/learning.md).
  minSnrGamma: null,
};

/**
 * The diffusion heads' epochs, three times the ACT heads' 20: the denoiser learns a score at every
 * noise level, and Diffusion Policy trains for thousands of epochs. At 20 the shipped `dp` reached
 * a lone cube in 47 % of 30 episodes, at 60 in 72 % of 50 (about 2.2 times an ACT head's wall time).
 */
export const DEFAULT_DIFFUSION_EPOCHS = 60;

/**
 * Trains a diffusion head (DDPM; Ho et al., 2020): the ACT head's transformer as the denoiser (see
 * HeadConfig.denoiser), on the same cached rows, loop and budget as the ACT heads, so that the
 * policy class is the one difference. For each row a diffusion step t and a noise draw give
 * x_t = sqrt(a_t) a + sqrt(1 - a_t) eps, and the loss is the MSE between the prediction and its
 * target (the clean chunk a, eps, or v = sqrt(a_t) eps - sqrt(1 - a_t) a). Steps come from a
 * named stream and noise from tfjs seeded by the batch's number; the validation rows get the same
 * steps and noise at every epoch.
 */
export async function trainDiffusionHead(options: TrainOptions & { denoiser?: Partial<DenoiserConfig> }): Promise<TrainedHead> {
  await initTensorflow();
  const started = Date.now();
  const data = headData(options, DEFAULT_HEAD.chunk);
  const denoiser = { ...DEFAULT_DENOISER, ...options.denoiser };
  const config: HeadConfig = { ...DEFAULT_HEAD, ...options.head, tokenLength: data.tokenLength, cvae: false, denoiser };
  const params = initHead(config, `${options.seed}/init/${options.mode}/diffusion`);
  const schedule = new NoiseSchedule(denoiser.trainSteps);
  const signal = Float32Array.from(schedule.alphasCumprod, (a) => Math.sqrt(a));
  const noiseLevel = Float32Array.from(schedule.alphasCumprod, (a) => Math.sqrt(1 - a));
  const stepWeight = Float32Array.from(schedule.alphasCumprod, (a) => minSnrWeight(a / (1 - a), denoiser));
  const trainSteps = new Rng(options.seed).stream('diffusion/steps');
  const drawSteps = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, denoiser.trainSteps - 1));

  const loss = (f: tf.Tensor2D, p: tf.Tensor2D, a: tf.Tensor3D, steps: number[], seed: number) => {
    const b = steps.length;
    const noise = tf.randomNormal(a.shape, 0, 1, 'float32', seed);
    const sa = tf.tensor3d(steps.map((t) => signal[t]), [b, 1, 1]);
    const sb = tf.tensor3d(steps.map((t) => noiseLevel[t]), [b, 1, 1]);
    const sample = tf.add(tf.mul(sa, a), tf.mul(sb, noise)) as tf.Tensor3D;
    const prediction = headForward(params, config, f, p, undefined, { sample, step: tf.tensor1d(steps) });
    const target = { sample: () => a, epsilon: () => noise, v_prediction: () => tf.sub(tf.mul(sa, noise), tf.mul(sb, a)) }[denoiser.prediction]();
    const squared = tf.square(tf.sub(prediction, target));
    if (denoiser.minSnrGamma === null) return tf.mean(squared) as tf.Scalar;
    return tf.mean(tf.mul(tf.tensor3d(steps.map((t) => stepWeight[t]), [b, 1, 1]), squared)) as tf.Scalar;
  };
  const fitted = await fitHead(options, params, data, {
    train: (f, p, a, step) => loss(f, p, a, drawSteps(trainSteps, f.shape[0]), step),
    validate: (f, p, a, batch) => loss(f, p, a, drawSteps(new Rng(options.seed).stream(`diffusion/validation/${batch}`), f.shape[0]), 1_000_000 + batch),
  });
  return { params, config, featureNorm: data.featureNorm, proprioNorm: data.proprioNorm, actionNorm: data.actionNorm, ...fitted, seconds: (Date.now() - started) / 1000 };
}

/** Min-SNR-gamma's weight of a step of signal-to-noise ratio `snr`, for the head's target. */
export function minSnrWeight(snr: number, denoiser: DenoiserConfig): number {
  if (denoiser.minSnrGamma === null) return 1;
  const clipped = Math.min(snr, denoiser.minSnrGamma);
  return { epsilon: clipped / snr, sample: clipped, v_prediction: clipped / (snr + 1) }[denoiser.prediction];
}
