import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/index.js';
import type { Conditioning } from '../perception/index.js';
import { DEFAULT_HEAD, headForward, initHead, styleEncoder, type HeadConfig, type HeadParams } from './ActHead.js';
import { readCaches } from './FeatureCache.js';
import { initTensorflow } from './tfBackend.js';

export interface TrainOptions {
  /** Feature caches to learn from, one per task of the demonstrations. */
  cacheDirs: string[];
  mode: Conditioning;
  cvae: boolean;
  epochs: number;
  batch: number;
  learningRate: number;
  seed: string;
  /** L1 (ACT) or MSE (the paper's Eq. 1). */
  loss: 'l1' | 'mse';
  /** The learning rate over training: constant, or cosine-decayed from `learningRate` to zero. */
  schedule: 'constant' | 'cosine';
  /** KL weight beta of the CVAE. */
  klWeight: number;
  /** Share of demos held out to report a validation loss. */
  validationShare: number;
  /** Overrides of the head's sizes (DEFAULT_HEAD). */
  head?: Partial<Omit<HeadConfig, 'grid' | 'tokenLength' | 'cvae'>>;
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void;
  /** After every batch: its epoch, batches done and in all, and the epoch's mean training loss so far. */
  onBatch?: (epoch: number, step: number, totalSteps: number, epochLoss: number) => void;
}

export const DEFAULT_TRAINING: Omit<TrainOptions, 'cacheDirs' | 'mode' | 'cvae' | 'onEpoch' | 'onBatch'> = {
  epochs: 20,
  batch: 64,
  learningRate: 3e-3,
  schedule: 'cosine',
  seed: 'sam2grasp/train/v1',
  loss: 'l1',
  klWeight: 10,
  validationShare: 0.05,
};

export interface Norm {
  mean: Float32Array;
  std: Float32Array;
}

export interface TrainedHead {
  params: HeadParams;
  config: HeadConfig;
  featureNorm: Norm;
  proprioNorm: Norm;
  actionNorm: Norm;
  losses: { epoch: number; train: number; validation: number }[];
  /** The epoch whose weights are kept: the lowest validation loss. */
  bestEpoch: number;
  rows: { train: number; validation: number };
  seconds: number;
}

/** Column means and standard deviations (floored, so constant columns normalise to 0). */
function columnNorm(data: Float32Array, width: number, rows: number[]): Norm {
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += data[r * width + j];
  for (let j = 0; j < width; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < width; j++) sq[j] += (data[r * width + j] - mean[j]) ** 2;
  return { mean: Float32Array.from(mean), std: Float32Array.from(sq, (v) => Math.max(1e-3, Math.sqrt(v / rows.length))) };
}

/** The cached rows of a training run, split and normalised, and a maker of their batch tensors. */
export interface HeadData {
  featureLength: number;
  tokenLength: number;
  trainRows: number[];
  validationRows: number[];
  featureNorm: Norm;
  proprioNorm: Norm;
  actionNorm: Norm;
  /** Normalised features [B, F], proprio [B, P] and chunk targets [B, K, A] of the given rows. */
  batchTensors: (rows: number[]) => { f: tf.Tensor2D; p: tf.Tensor2D; a: tf.Tensor3D };
}

/**
 * The rows of the caches, split by demo (a demo's rows all train or all validate), with the
 * training rows' normalisation. Each row's target is the next K expert actions of its demo, the
 * last one repeated past the demo's end.
 */
export function headData(options: Pick<TrainOptions, 'cacheDirs' | 'mode' | 'seed' | 'validationShare'>, K: number): HeadData {
  const { index, features } = readCaches(options.cacheDirs, options.mode);
  const F = index.featureLength;
  const gridLength = DEFAULT_HEAD.grid.reduce((a, b) => a * b, 1);
  const P = DEFAULT_HEAD.proprioLength;
  const A = DEFAULT_HEAD.actionLength;
  const proprio: number[] = [];
  const chunks: number[] = [];
  const demoOfRow: number[] = [];
  index.demos.forEach((demo, d) => {
    for (let t = 0; t < demo.rows; t++) {
      proprio.push(...demo.proprio[t]);
      for (let k = 0; k < K; k++) chunks.push(...demo.actions[Math.min(t + k, demo.rows - 1)]);
      demoOfRow.push(d);
    }
  });
  const rng = new Rng(options.seed);
  const heldOut = new Set(rng.stream('validation').shuffled(index.demos.map((_, d) => d)).slice(0, Math.max(1, Math.round(options.validationShare * index.demos.length))));
  const trainRows = demoOfRow.flatMap((d, r) => (heldOut.has(d) ? [] : [r]));
  const validationRows = demoOfRow.flatMap((d, r) => (heldOut.has(d) ? [r] : []));
  const proprioData = Float32Array.from(proprio);
  const chunkData = Float32Array.from(chunks);
  const featureNorm = columnNorm(features, F, trainRows);
  const proprioNorm = columnNorm(proprioData, P, trainRows);
  const actionNorm = columnNorm(chunkData, A, trainRows.flatMap((r) => Array.from({ length: K }, (_, k) => r * K + k)));
  const batchTensors = (rows: number[]) => {
    const f = new Float32Array(rows.length * F);
    const p = new Float32Array(rows.length * P);
    const a = new Float32Array(rows.length * K * A);
    rows.forEach((r, i) => {
      for (let j = 0; j < F; j++) f[i * F + j] = (features[r * F + j] - featureNorm.mean[j]) / featureNorm.std[j];
      for (let j = 0; j < P; j++) p[i * P + j] = (proprioData[r * P + j] - proprioNorm.mean[j]) / proprioNorm.std[j];
      for (let k = 0; k < K; k++) for (let j = 0; j < A; j++) a[(i * K + k) * A + j] = (chunkData[(r * K + k) * A + j] - actionNorm.mean[j]) / actionNorm.std[j];
    });
    return { f: tf.tensor2d(f, [rows.length, F]), p: tf.tensor2d(p, [rows.length, P]), a: tf.tensor3d(a, [rows.length, K, A]) };
  };
  return { featureLength: F, tokenLength: (F - gridLength) / 2, trainRows, validationRows, featureNorm, proprioNorm, actionNorm, batchTensors };
}

/** A head's loss, for the shared training loop. */
export interface HeadObjective {
  /** The loss to minimise on one batch; `step` (1, 2, ...) seeds its random draws. */
  train: (f: tf.Tensor2D, p: tf.Tensor2D, a: tf.Tensor3D, step: number) => tf.Scalar;
  /** The held-out loss of one batch of validation rows, the same at every epoch; `batch` numbers it. */
  validate: (f: tf.Tensor2D, p: tf.Tensor2D, a: tf.Tensor3D, batch: number) => tf.Scalar;
}

/**
 * The training loop every head shares: seeded data order, Adam with the learning-rate schedule,
 * the validation loss after each epoch, and the weights of the best epoch kept.
 */
export async function fitHead(
  options: TrainOptions,
  params: HeadParams,
  data: HeadData,
  objective: HeadObjective,
): Promise<Pick<TrainedHead, 'losses' | 'bestEpoch' | 'rows'>> {
  const rng = new Rng(options.seed);
  const optimizer = new ScheduledAdam(options.learningRate);
  const totalSteps = options.epochs * Math.floor(data.trainRows.length / options.batch);
  const losses: TrainedHead['losses'] = [];
  // The weights of the epoch with the lowest validation loss are the ones kept (early stopping
  // without stopping: every head trains its full budget, then returns its best epoch).
  let best = { epoch: 0, validation: Infinity, weights: new Map<string, Float32Array>() };
  let step = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = rng.stream(`epoch/${epoch}`).shuffled(data.trainRows);
    let total = 0;
    let batches = 0;
    for (let i = 0; i + options.batch <= order.length; i += options.batch) {
      const { f, p, a } = data.batchTensors(order.slice(i, i + options.batch));
      optimizer.rate = learningRateAt(options, step / totalSteps);
      const seed = ++step; // tfjs treats a seed of 0 as none, and falls back to Math.random
      const loss = optimizer.minimize(() => objective.train(f, p, a, seed), true);
      total += (await loss!.data())[0];
      batches++;
      options.onBatch?.(epoch, step, totalSteps, total / batches);
      tf.dispose([f, p, a, loss!]);
    }
    const validation = evaluate(data, objective);
    losses.push({ epoch, train: total / batches, validation });
    options.onEpoch?.(epoch, total / batches, validation);
    if (!(validation >= best.validation)) {
      best = { epoch, validation, weights: new Map(Object.entries(params).map(([name, v]) => [name, v.dataSync().slice() as Float32Array])) };
    }
  }
  optimizer.dispose();
  for (const [name, values] of best.weights) params[name].assign(tf.tensor(values, params[name].shape));
  return { losses, bestEpoch: best.epoch, rows: { train: data.trainRows.length, validation: data.validationRows.length } };
}

/**
 * Trains an ACT-style head on cached features: seeded initialisation, seeded data order, Adam,
 * L1 (or MSE) on normalised action chunks, the CVAE's KL term when asked.
 */
export async function trainHead(options: TrainOptions): Promise<TrainedHead> {
  await initTensorflow();
  const started = Date.now();
  const data = headData(options, DEFAULT_HEAD.chunk);
  const config: HeadConfig = { ...DEFAULT_HEAD, ...options.head, tokenLength: data.tokenLength, cvae: options.cvae };
  const params = initHead(config, `${options.seed}/init/${options.mode}/${options.cvae ? 'cvae' : 'plain'}`);
  const regression = (pred: tf.Tensor, target: tf.Tensor) => (options.loss === 'l1' ? tf.mean(tf.abs(tf.sub(pred, target))) : tf.mean(tf.square(tf.sub(pred, target)))) as tf.Scalar;
  const fitted = await fitHead(options, params, data, {
    train: (f, p, a, seed) => {
      if (!options.cvae) return regression(headForward(params, config, f, p), a);
      const { mu, logVar } = styleEncoder(params, config, p, a);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape, 0, 1, 'float32', seed))) as tf.Tensor2D;
      const kl = tf.mean(tf.sum(tf.sub(tf.add(tf.exp(logVar), tf.square(mu)), tf.add(logVar, 1)), 1));
      return tf.add(regression(headForward(params, config, f, p, z), a), tf.mul(kl, 0.5 * options.klWeight)) as tf.Scalar;
    },
    // The test-time CVAE: z = 0.
    validate: (f, p, a) => regression(headForward(params, config, f, p), a),
  });
  return { params, config, featureNorm: data.featureNorm, proprioNorm: data.proprioNorm, actionNorm: data.actionNorm, ...fitted, seconds: (Date.now() - started) / 1000 };
}

/**
 * The learning rate at a fraction of training done. A cosine decay lets training start at a rate a
 * constant schedule could not keep (3e-3: the heads are under-trained at 20 epochs) and end with
 * small steps, the last weights settling in a minimum instead of jittering around it.
 */
export function learningRateAt(options: Pick<TrainOptions, 'learningRate' | 'schedule'>, done: number): number {
  if (options.schedule === 'constant') return options.learningRate;
  return 0.5 * options.learningRate * (1 + Math.cos(Math.PI * Math.min(1, done)));
}

/** Adam whose learning rate can be changed between steps (tfjs reads it at every update). */
class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  set rate(value: number) {
    this.learningRate = value;
  }
}

/** The mean held-out loss over the validation rows, in batches of 256. */
function evaluate(data: HeadData, objective: HeadObjective): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < data.validationRows.length; i += 256) {
    const rows = data.validationRows.slice(i, i + 256);
    const { f, p, a } = data.batchTensors(rows);
    total += tf.tidy(() => objective.validate(f, p, a, i / 256).dataSync()[0]) * rows.length;
    n += rows.length;
    tf.dispose([f, p, a]);
  }
  return n ? total / n : NaN;
}
