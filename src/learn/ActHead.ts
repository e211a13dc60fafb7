import * as tf from '@tensorflow/tfjs';
import { ACTION_FIELDS, PROPRIO_FIELDS } from '../config/index.js';
import { Rng } from '../core/index.js';
import type { DiffusionPrediction } from '../policy/index.js';

type ActionField = (typeof ACTION_FIELDS)[number];
type ProprioField = (typeof PROPRIO_FIELDS)[number];

/** Sizes of the head. Shared by all four policies; `cvae` adds the style encoder and token. */
export interface HeadConfig {
  /** Encoder grid channels x rows x cols, and the length of each of the two mask tokens (scene, object). */
  grid: [number, number, number];
  tokenLength: number;
  proprioLength: number;
  actionLength: number;
  /** Grid cells pooled per side before they become tokens (8 x 8 -> 4 x 4 with 2). */
  pool: number;
  dModel: number;
  ffn: number;
  chunk: number;
  cvae: boolean;
  latent: number;
  /** Hidden units of a ReLU layer beside the linear skip (0: the skip alone). */
  directHidden: number;
  /** Action fields the ReLU layer adds to; the others come from the skip and the transformer alone. */
  directActions: ActionField[];
  /** Proprio fields the head does not see: zeroed on the way in. */
  proprioIgnored: ProprioField[];
  /**
   * Null for a regression head. For a denoiser (Diffusion Policy, with ACT's transformer as its
   * network, as Diffusion Policy's transformer variant is): each of the chunk's K queries also
   * reads its noisy action, and all read the diffusion step's sinusoidal embedding; the head then
   * predicts the clean chunk (or the noise) instead of the chunk.
   */
  denoiser: DenoiserConfig | null;
}

export interface DenoiserConfig {
  /** Length of the sinusoidal step embedding (even). */
  stepEmbedding: number;
  /** T: diffusion steps of training (the cosine schedule's length). */
  trainSteps: number;
  /** DDIM steps per chunk at test time. */
  inferenceSteps: number;
  prediction: DiffusionPrediction;
  /** The sampler clips the predicted clean chunk to [-clipSample, clipSample] (normalised units). */
  clipSample: number;
  /** The standard deviation of the sampler's starting noise (1: the trained distribution's). */
  temperature: number;
  /**
   * Min-SNR loss weighting (Hang et al., 2023): each row's loss times min(SNR_t, gamma) / SNR_t
   * for noise prediction, so steps of little noise weigh less. null: every step weighs the same.
   */
  minSnrGamma: number | null;
}

export const DEFAULT_HEAD: Omit<HeadConfig, 'cvae'> = {
  grid: [37, 8, 8],
  tokenLength: 58,
  proprioLength: PROPRIO_FIELDS.length,
  actionLength: ACTION_FIELDS.length,
  pool: 2,
  dModel: 32,
  ffn: 64,
  chunk: 10,
  latent: 8,
  // Where to grasp (x, y, yaw) depends on which token to trust (the scene token locates a lone
  // object exactly, several only as their centroid): a ReLU layer can gate on that, a linear skip
  // cannot. When (z, gripper) stays with the skip and the transformer: given those too, the ReLU
  // layer learned closing cues that fired above the cube (sam2grasp 73 % against 93 %, 100 keys).
  directHidden: 128,
  directActions: ['x', 'y', 'yaw'],
  // The last gripper command is the previous action: a head that sees it learns to copy it (the
  // copycat problem of behaviour cloning), and one premature twitch then closes the hand on air.
  // The fingers' opening and force still tell it whether the hand has closed.
  proprioIgnored: ['gripper'],
  denoiser: null,
};

/** The frequencies of the step embedding: exp(-ln(10000) i / (n/2)), i = 0 .. n/2 - 1 (the transformer's). */
export function stepFrequencies(length: number): Float32Array {
  const half = length / 2;
  return Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
}

/** The trainable tensors, by name; the ONNX export reads them by the same names. */
export type HeadParams = Record<string, tf.Variable>;

export const LN_EPSILON = 1e-5;

/** Seeded initialisation: Glorot-uniform weights, zero biases, unit LayerNorm gains. */
export function initHead(config: HeadConfig, seed: string): HeadParams {
  const rng = new Rng(seed);
  const d = config.dModel;
  const p: HeadParams = {};
  const dense = (name: string, fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const r = rng.stream(name);
    p[`${name}.w`] = tf.variable(tf.tensor2d(Float32Array.from({ length: fanIn * fanOut }, () => r.uniform(-limit, limit)), [fanIn, fanOut]));
    p[`${name}.b`] = tf.variable(tf.zeros([fanOut]));
  };
  const norm = (name: string) => {
    p[`${name}.g`] = tf.variable(tf.ones([d]));
    p[`${name}.b`] = tf.variable(tf.zeros([d]));
  };
  const table = (name: string, rows: number) => {
    const r = rng.stream(name);
    p[name] = tf.variable(tf.tensor2d(Float32Array.from({ length: rows * d }, () => 0.02 * r.normal()), [rows, d]));
  };
  const tokens = (config.grid[1] / config.pool) * (config.grid[2] / config.pool);
  dense('grid', config.grid[0], d);
  table('gridPos', tokens);
  dense('scene', config.tokenLength, d);
  dense('object', config.tokenLength, d);
  dense('proprio', config.proprioLength, d);
  if (config.cvae) {
    dense('style', config.latent, d);
    dense('cvae.hidden', config.proprioLength + config.chunk * config.actionLength, 64);
    dense('cvae.out', 64, 2 * config.latent);
  }
  for (const n of ['enc.ln1', 'enc.ln2', 'dec.ln1', 'dec.ln2', 'dec.ln3', 'dec.lnOut']) norm(n);
  for (const n of ['enc.q', 'enc.k', 'enc.v', 'enc.o', 'dec.q', 'dec.k', 'dec.v', 'dec.o']) dense(n, d, d);
  dense('enc.ff1', d, config.ffn);
  dense('enc.ff2', config.ffn, d);
  dense('dec.ff1', d, config.ffn);
  dense('dec.ff2', config.ffn, d);
  table('queries', config.chunk);
  if (config.denoiser) {
    dense('noisy', config.actionLength, d);
    dense('step', config.denoiser.stepEmbedding, d);
  }
  dense('action', d, config.actionLength);
  dense('skip', 2 * config.tokenLength + config.proprioLength, config.chunk * config.actionLength);
  if (config.directHidden > 0) {
    dense('direct.hidden', 2 * config.tokenLength + config.proprioLength, config.directHidden);
    dense('direct.out', config.directHidden, config.chunk * config.actionLength);
  }
  return p;
}

const linear = (p: HeadParams, name: string, x: tf.Tensor) => {
  const w = p[`${name}.w`];
  const shape = x.shape;
  const flat = tf.reshape(x, [-1, shape[shape.length - 1]]);
  return tf.reshape(tf.add(tf.matMul(flat, w), p[`${name}.b`]), [...shape.slice(0, -1), w.shape[1] as number]);
};

const layerNorm = (p: HeadParams, name: string, x: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPSILON))), p[`${name}.g`]), p[`${name}.b`]);
};

/** Single-head scaled dot-product attention of queries over keys/values, with its projections. */
const attention = (p: HeadParams, name: string, queries: tf.Tensor, memory: tf.Tensor, d: number) => {
  const q = linear(p, `${name}.q`, queries);
  const k = linear(p, `${name}.k`, memory);
  const v = linear(p, `${name}.v`, memory);
  const weights = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)));
  return linear(p, `${name}.o`, tf.matMul(weights, v));
};

const feedForward = (p: HeadParams, name: string, x: tf.Tensor) => linear(p, `${name}.ff2`, tf.relu(linear(p, `${name}.ff1`, x)));

/** A denoiser's further inputs: the noisy normalised chunk [B, K, A] and the diffusion step [B]. */
export interface NoisyChunk {
  sample: tf.Tensor3D;
  step: tf.Tensor1D;
}

/**
 * The forward pass: normalised features [B, F] and proprio [B, P] (and, for the CVAE, a style
 * z [B, L]; zeros at test time; for a denoiser, the noisy chunk) to normalised action chunks
 * [B, K, A] (a denoiser's prediction: the clean chunk, or the noise).
 */
export function headForward(p: HeadParams, config: HeadConfig, features: tf.Tensor2D, rawProprio: tf.Tensor2D, z?: tf.Tensor2D, noisy?: NoisyChunk): tf.Tensor3D {
  const [c, rows, cols] = config.grid;
  const proprio = config.proprioIgnored.length ? tf.mul(rawProprio, proprioMask(config)) : rawProprio;
  const b = features.shape[0];
  const d = config.dModel;
  const s = config.pool;
  const gridLength = c * rows * cols;
  const grid = tf.reshape(tf.slice(features, [0, 0], [b, gridLength]), [b, c, rows / s, s, cols / s, s]);
  const pooled = tf.transpose(tf.reshape(tf.mean(grid, [3, 5]), [b, c, (rows / s) * (cols / s)]), [0, 2, 1]);
  const gridTokens = tf.add(linear(p, 'grid', pooled), p.gridPos);
  const tokens = tf.slice(features, [0, gridLength], [b, 2 * config.tokenLength]);
  const sceneToken = tf.reshape(linear(p, 'scene', tf.slice(tokens, [0, 0], [b, config.tokenLength])), [b, 1, d]);
  const objectToken = tf.reshape(linear(p, 'object', tf.slice(tokens, [0, config.tokenLength], [b, config.tokenLength])), [b, 1, d]);
  const proprioToken = tf.reshape(linear(p, 'proprio', proprio), [b, 1, d]);
  const parts = [gridTokens, sceneToken, objectToken, proprioToken];
  if (config.cvae) parts.push(tf.reshape(linear(p, 'style', z ?? tf.zeros([b, config.latent])), [b, 1, d]));
  const x = tf.concat(parts, 1);
  const h1 = tf.add(x, attention(p, 'enc', layerNorm(p, 'enc.ln1', x), layerNorm(p, 'enc.ln1', x), d));
  const h = tf.add(h1, feedForward(p, 'enc', layerNorm(p, 'enc.ln2', h1)));
  const queries = config.denoiser ? noisyQueries(p, config, config.denoiser, b, noisy) : tf.tile(tf.reshape(p.queries, [1, config.chunk, d]), [b, 1, 1]);
  const y1 = tf.add(queries, attention(p, 'dec', layerNorm(p, 'dec.ln1', queries), layerNorm(p, 'dec.ln2', h), d));
  const y = tf.add(y1, feedForward(p, 'dec', layerNorm(p, 'dec.ln3', y1)));
  // A linear path from the mask tokens' and proprio's inputs straight to the chunk: what is nearly
  // linear in them (where the objects are) need not squeeze through attention.
  const directInput = tf.concat([tokens, proprio], 1);
  const skip = linear(p, 'skip', directInput);
  const direct = tf.reshape(config.directHidden > 0 ? tf.add(skip, tf.mul(linear(p, 'direct.out', tf.relu(linear(p, 'direct.hidden', directInput))), directMask(config))) : skip, [b, config.chunk, config.actionLength]);
  return tf.add(linear(p, 'action', layerNorm(p, 'dec.lnOut', y)), direct) as tf.Tensor3D;
}

/** A denoiser's queries: the learned ones, plus each step's noisy action and the diffusion step, embedded. */
function noisyQueries(p: HeadParams, config: HeadConfig, denoiser: DenoiserConfig, b: number, noisy?: NoisyChunk): tf.Tensor {
  if (!noisy) throw new Error('a denoiser head needs the noisy chunk and its step');
  const d = config.dModel;
  const angles = tf.matMul(tf.reshape(noisy.step, [b, 1]), tf.tensor2d(stepFrequencies(denoiser.stepEmbedding), [1, denoiser.stepEmbedding / 2]));
  const step = tf.reshape(linear(p, 'step', tf.concat([tf.sin(angles), tf.cos(angles)], 1)), [b, 1, d]);
  return tf.add(tf.add(tf.reshape(p.queries, [1, config.chunk, d]), linear(p, 'noisy', noisy.sample)), step);
}

/** 1 for each proprio field the head sees, 0 for the ignored ones. */
export function proprioMask(config: HeadConfig): tf.Tensor1D {
  return tf.tensor1d(PROPRIO_FIELDS.map((field) => (config.proprioIgnored.includes(field) ? 0 : 1)));
}

/** Over a flattened chunk: 1 where the ReLU layer predicts the action field, 0 elsewhere. */
export function directMask(config: HeadConfig): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: config.chunk }, () => ACTION_FIELDS.map((field) => (config.directActions.includes(field) ? 1 : 0))).flat());
}

/** The CVAE's style posterior from proprio and the true chunk: mean and log-variance [B, L]. */
export function styleEncoder(p: HeadParams, config: HeadConfig, proprio: tf.Tensor2D, actions: tf.Tensor3D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  const b = proprio.shape[0];
  const input = tf.concat([proprio, tf.reshape(actions, [b, config.chunk * config.actionLength])], 1);
  const out = linear(p, 'cvae.out', tf.relu(linear(p, 'cvae.hidden', input))) as tf.Tensor2D;
  return { mu: tf.slice(out, [0, 0], [b, config.latent]), logVar: tf.slice(out, [0, config.latent], [b, config.latent]) };
}
