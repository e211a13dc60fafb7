import * as tf from '@tensorflow/tfjs';
import { ACTION_FIELDS, PROPRIO_FIELDS } from '../config/index.js';
import { Rng } from '../core/index.js';
import type { DiffusionPrediction } from '../policy/index.js';
import { DEFAULT_HEAD, directMask, proprioMask, type HeadConfig, type HeadParams } from './ActHead.js';

/**
 * Sizes of the diffusion head (Diffusion Policy's denoiser, as an MLP): the observation (the grid
 * pooled as the ACT heads pool it, the two mask tokens, proprio) becomes one conditioning vector;
 * with the noisy chunk and a sinusoidal embedding of the diffusion step it goes through residual
 * ReLU layers to the predicted noise.
 */
export interface DiffusionConfig extends Pick<HeadConfig, 'grid' | 'tokenLength' | 'proprioLength' | 'actionLength' | 'pool' | 'chunk' | 'proprioIgnored'> {
  /** Width of the conditioning vector and of the residual layers. */
  hidden: number;
  /** Residual layers after the first. */
  layers: number;
  /** Hidden units of the ReLU layer beside the linear skip from tokens and proprio to the chunk (0: the skip alone). */
  directHidden: number;
  /** Action fields the ReLU layer adds to. */
  directActions: HeadConfig['directActions'];
  /** Length of the sinusoidal step embedding (even). */
  stepEmbedding: number;
  /** T: diffusion steps of training (the cosine schedule's length). */
  trainSteps: number;
  /** DDIM steps per chunk at test time. */
  inferenceSteps: number;
  prediction: DiffusionPrediction;
}

export const DEFAULT_DIFFUSION: Omit<DiffusionConfig, 'tokenLength'> = {
  grid: DEFAULT_HEAD.grid,
  proprioLength: PROPRIO_FIELDS.length,
  actionLength: ACTION_FIELDS.length,
  pool: DEFAULT_HEAD.pool,
  chunk: DEFAULT_HEAD.chunk,
  proprioIgnored: DEFAULT_HEAD.proprioIgnored,
  hidden: 256,
  layers: 2,
  // As in the ACT heads: where the objects are is nearly linear in the mask tokens, and a path
  // straight from them to the chunk need not squeeze through the denoiser's layers (without it,
  // the denoiser's clean-chunk guess from pure noise reached a lone cube in 28 % of 50 episodes).
  directHidden: DEFAULT_HEAD.directHidden,
  directActions: DEFAULT_HEAD.directActions,
  stepEmbedding: 32,
  // Diffusion Policy trains with 100 steps and samples with DDIM in 10 or fewer.
  trainSteps: 100,
  inferenceSteps: 10,
  // The clean chunk rather than the noise: at a high noise level it is the ACT heads' regression
  // target, which a small MLP learns within their budget (predicting the noise, 20 epochs left
  // the denoiser near its starting loss, and a lone cube out of reach).
  prediction: 'sample',
};

/** Length of the observation vector the conditioning layer reads: pooled grid, both tokens, proprio. */
export function observationLength(config: DiffusionConfig): number {
  const [c, rows, cols] = config.grid;
  return c * (rows / config.pool) * (cols / config.pool) + 2 * config.tokenLength + config.proprioLength;
}

/** Seeded initialisation: Glorot-uniform weights, zero biases. */
export function initDiffusion(config: DiffusionConfig, seed: string): HeadParams {
  const rng = new Rng(seed);
  const p: HeadParams = {};
  const dense = (name: string, fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const r = rng.stream(name);
    p[`${name}.w`] = tf.variable(tf.tensor2d(Float32Array.from({ length: fanIn * fanOut }, () => r.uniform(-limit, limit)), [fanIn, fanOut]));
    p[`${name}.b`] = tf.variable(tf.zeros([fanOut]));
  };
  const h = config.hidden;
  const chunk = config.chunk * config.actionLength;
  dense('obs', observationLength(config), h);
  dense('in', h + config.stepEmbedding + chunk, h);
  for (let i = 0; i < config.layers; i++) dense(`res${i}`, h, h);
  dense('out', h, chunk);
  const direct = 2 * config.tokenLength + config.proprioLength;
  dense('skip', direct, chunk);
  if (config.directHidden > 0) {
    dense('direct.hidden', direct, config.directHidden);
    dense('direct.out', config.directHidden, chunk);
  }
  return p;
}

/** The frequencies of the step embedding: exp(-ln(10000) i / (n/2)), i = 0 .. n/2 - 1 (the transformer's). */
export function stepFrequencies(config: DiffusionConfig): Float32Array {
  const half = config.stepEmbedding / 2;
  return Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
}

const linear = (p: HeadParams, name: string, x: tf.Tensor2D) => tf.add(tf.matMul(x, p[`${name}.w`] as tf.Tensor2D), p[`${name}.b`]) as tf.Tensor2D;

/**
 * The denoiser: normalised features [B, F], normalised proprio [B, P], the noisy normalised chunk
 * [B, K, A] and the diffusion step [B] to the prediction [B, K, A] (the noise, or the clean chunk).
 */
export function diffusionForward(p: HeadParams, config: DiffusionConfig, features: tf.Tensor2D, rawProprio: tf.Tensor2D, sample: tf.Tensor3D, step: tf.Tensor1D): tf.Tensor3D {
  const [c, rows, cols] = config.grid;
  const s = config.pool;
  const b = features.shape[0];
  const gridLength = c * rows * cols;
  const proprio = config.proprioIgnored.length ? tf.mul(rawProprio, proprioMask(config)) : rawProprio;
  const grid = tf.reshape(tf.slice(features, [0, 0], [b, gridLength]), [b, c, rows / s, s, cols / s, s]);
  const pooled = tf.reshape(tf.mean(grid, [3, 5]), [b, c * (rows / s) * (cols / s)]);
  const tokens = tf.slice(features, [0, gridLength], [b, 2 * config.tokenLength]);
  const observation = tf.relu(linear(p, 'obs', tf.concat([pooled, tokens, proprio], 1) as tf.Tensor2D));
  const angles = tf.matMul(tf.reshape(step, [b, 1]), tf.tensor2d(stepFrequencies(config), [1, config.stepEmbedding / 2]));
  const embedding = tf.concat([tf.sin(angles), tf.cos(angles)], 1);
  const flat = tf.reshape(sample, [b, config.chunk * config.actionLength]);
  let h = tf.relu(linear(p, 'in', tf.concat([observation, embedding, flat], 1) as tf.Tensor2D));
  for (let i = 0; i < config.layers; i++) h = tf.add(h, tf.relu(linear(p, `res${i}`, h)));
  const directInput = tf.concat([tokens, proprio], 1) as tf.Tensor2D;
  let out = tf.add(linear(p, 'out', h), linear(p, 'skip', directInput));
  if (config.directHidden > 0) out = tf.add(out, tf.mul(linear(p, 'direct.out', tf.relu(linear(p, 'direct.hidden', directInput))), directMask(config)));
  return tf.reshape(out, [b, config.chunk, config.actionLength]) as tf.Tensor3D;
}
