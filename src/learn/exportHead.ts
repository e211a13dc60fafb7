import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { Rng } from '../core/index.js';
import { DETERMINISTIC_SESSION, OnnxGraphBuilder } from '../perception/index.js';
import { directMask, headForward, LN_EPSILON, proprioMask, stepFrequencies, type HeadConfig, type HeadParams } from './ActHead.js';

/** Per-feature normalisation baked into the exported graph. */
export interface FeatureNorm {
  mean: Float32Array;
  std: Float32Array;
}

/** The head's tensor names, as its manifest names them (a denoiser's output is its prediction). */
export const HEAD_TENSORS = { features: 'features', proprio: 'proprio', sample: 'sample', timestep: 'timestep', actions: 'actions', prediction: 'prediction' } as const;

/**
 * The head as an ONNX graph (opset 17), built from the trained tensors: raw features [1, F] and
 * normalised proprio [1, P] in (for a denoiser also the noisy chunk [1, K, A] and the step [1]),
 * normalised actions [1, K, A] out (a denoiser's prediction). Feature normalisation is part of
 * the graph; the CVAE's style is its test-time value, z = 0. A denoiser's sampler loop is not in
 * the graph: the harness runs it, seeded from the episode.
 */
export function buildHeadOnnx(params: HeadParams, config: HeadConfig, norm: FeatureNorm): Uint8Array {
  const g = new OnnxGraphBuilder('act_head');
  const value = (name: string) => g.weight(name, params[name].shape as number[], params[name].dataSync());
  const [c, rows, cols] = config.grid;
  const s = config.pool;
  const d = config.dModel;
  const tokens = (rows / s) * (cols / s);
  const gridLength = c * rows * cols;
  const featureLength = gridLength + 2 * config.tokenLength;

  const features = g.input(HEAD_TENSORS.features, [1, featureLength]);
  const rawProprio = g.input(HEAD_TENSORS.proprio, [1, config.proprioLength]);
  const proprio = config.proprioIgnored.length ? g.node('Mul', [rawProprio, g.weight('proprio.mask', [config.proprioLength], proprioMask(config).dataSync())]) : rawProprio;
  const fn = g.node('Div', [g.node('Sub', [features, g.weight('norm.mean', [featureLength], norm.mean)]), g.weight('norm.std', [featureLength], norm.std)]);
  const slice = (start: number, end: number) => g.node('Slice', [fn, g.ints(`s${start}.${end}`, [start]), g.ints(`e${start}.${end}`, [end]), g.ints(`a${start}.${end}`, [1])]);
  const linear = (name: string, x: string) => g.node('Add', [g.node('MatMul', [x, value(`${name}.w`)]), value(`${name}.b`)]);
  const layerNorm = (name: string, x: string) => g.node('LayerNormalization', [x, value(`${name}.g`), value(`${name}.b`)], { axis: -1, epsilon: LN_EPSILON });
  const attention = (name: string, queries: string, memory: string) => {
    const q = linear(`${name}.q`, queries);
    const k = linear(`${name}.k`, memory);
    const v = linear(`${name}.v`, memory);
    const scores = g.node('Div', [g.node('MatMul', [q, g.node('Transpose', [k], { perm: [0, 2, 1] })]), g.weight(`${name}.scale`, [1], [Math.sqrt(d)])]);
    return linear(`${name}.o`, g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), v]));
  };
  const feedForward = (name: string, x: string) => linear(`${name}.ff2`, g.node('Relu', [linear(`${name}.ff1`, x)]));
  const reshape = (x: string, shape: number[], tag: string) => g.node('Reshape', [x, g.ints(`shape.${tag}`, shape)]);

  const grid = reshape(slice(0, gridLength), [1, c, rows / s, s, cols / s, s], 'grid');
  const pooled = g.node('Transpose', [reshape(g.node('ReduceMean', [grid], { axes: [3, 5], keepdims: 0 }), [1, c, tokens], 'pooled')], { perm: [0, 2, 1] });
  const gridTokens = g.node('Add', [linear('grid', pooled), value('gridPos')]);
  const tokenFeatures = slice(gridLength, featureLength);
  const sceneToken = reshape(linear('scene', slice(gridLength, gridLength + config.tokenLength)), [1, 1, d], 'scene');
  const objectToken = reshape(linear('object', slice(gridLength + config.tokenLength, featureLength)), [1, 1, d], 'object');
  const proprioToken = reshape(linear('proprio', proprio), [1, 1, d], 'proprio');
  const parts = [gridTokens, sceneToken, objectToken, proprioToken];
  if (config.cvae) parts.push(g.weight('style.atZero', [1, 1, d], params['style.b'].dataSync()));
  const x = g.node('Concat', parts, { axis: 1 });
  const xn = layerNorm('enc.ln1', x);
  const h1 = g.node('Add', [x, attention('enc', xn, xn)]);
  const h = g.node('Add', [h1, feedForward('enc', layerNorm('enc.ln2', h1))]);
  const learnedQueries = g.weight('queries.batch', [1, config.chunk, d], params.queries.dataSync());
  let queries = learnedQueries;
  if (config.denoiser) {
    const sample = g.input(HEAD_TENSORS.sample, [1, config.chunk, config.actionLength]);
    const timestep = g.input(HEAD_TENSORS.timestep, [1]);
    const half = config.denoiser.stepEmbedding / 2;
    const angles = g.node('MatMul', [reshape(timestep, [1, 1], 'step'), g.weight('step.frequencies', [1, half], stepFrequencies(config.denoiser.stepEmbedding))]);
    const step = reshape(linear('step', g.node('Concat', [g.node('Sin', [angles]), g.node('Cos', [angles])], { axis: 1 })), [1, 1, d], 'stepEmbedding');
    queries = g.node('Add', [g.node('Add', [learnedQueries, linear('noisy', sample)]), step]);
  }
  const y1 = g.node('Add', [queries, attention('dec', layerNorm('dec.ln1', queries), layerNorm('dec.ln2', h))]);
  const y = g.node('Add', [y1, feedForward('dec', layerNorm('dec.ln3', y1))]);
  const readOut = g.node('Add', [g.node('MatMul', [layerNorm('dec.lnOut', y), value('action.w')]), value('action.b')]);
  const directInput = g.node('Concat', [tokenFeatures, proprio], { axis: 1 });
  const skip = linear('skip', directInput);
  const directSum = config.directHidden > 0 ? g.node('Add', [skip, g.node('Mul', [linear('direct.out', g.node('Relu', [linear('direct.hidden', directInput)])), g.weight('direct.mask', [config.chunk * config.actionLength], directMask(config).dataSync())])]) : skip;
  const direct = reshape(directSum, [1, config.chunk, config.actionLength], 'skip');
  const output = config.denoiser ? HEAD_TENSORS.prediction : HEAD_TENSORS.actions;
  g.node('Add', [readOut, direct], {}, [output]);
  g.output(output, [1, config.chunk, config.actionLength]);
  return g.build();
}

/**
 * The export checks itself: the ONNX graph under onnxruntime and the tfjs forward pass must agree
 * to `tolerance` on `samples` random inputs, or the export fails. Returns the largest difference.
 */
export async function checkParity(onnx: Uint8Array, params: HeadParams, config: HeadConfig, norm: FeatureNorm, samples = 100, tolerance = 1e-4): Promise<number> {
  const session = await ort.InferenceSession.create(onnx, DETERMINISTIC_SESSION);
  const rng = new Rng('parity');
  const featureLength = norm.mean.length;
  let worst = 0;
  for (let n = 0; n < samples; n++) {
    const raw = Float32Array.from({ length: featureLength }, (_, i) => norm.mean[i] + norm.std[i] * rng.normal());
    const proprio = Float32Array.from({ length: config.proprioLength }, () => rng.normal());
    const chunkShape = [1, config.chunk, config.actionLength] as [number, number, number];
    // A regression head's check draws what it drew before denoisers existed: the same inputs.
    const sample = Float32Array.from({ length: config.denoiser ? config.chunk * config.actionLength : 0 }, () => rng.normal());
    const step = config.denoiser ? rng.int(0, config.denoiser.trainSteps - 1) : 0;
    const out = await session.run({
      [HEAD_TENSORS.features]: new ort.Tensor('float32', raw, [1, featureLength]),
      [HEAD_TENSORS.proprio]: new ort.Tensor('float32', proprio, [1, config.proprioLength]),
      ...(config.denoiser ? { [HEAD_TENSORS.sample]: new ort.Tensor('float32', sample, chunkShape), [HEAD_TENSORS.timestep]: new ort.Tensor('float32', Float32Array.of(step), [1]) } : {}),
    });
    const expected = tf.tidy(() => {
      const normalised = tf.div(tf.sub(tf.tensor2d(raw, [1, featureLength]), tf.tensor1d(norm.mean)), tf.tensor1d(norm.std)) as tf.Tensor2D;
      const noisy = config.denoiser ? { sample: tf.tensor3d(sample, chunkShape), step: tf.tensor1d([step]) } : undefined;
      return headForward(params, config, normalised, tf.tensor2d(proprio, [1, config.proprioLength]), undefined, noisy).dataSync();
    });
    const got = out[config.denoiser ? HEAD_TENSORS.prediction : HEAD_TENSORS.actions].data as Float32Array;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - got[i]));
  }
  if (!(worst <= tolerance)) throw new Error(`ONNX export disagrees with the tfjs forward pass by ${worst} (tolerance ${tolerance})`);
  return worst;
}
