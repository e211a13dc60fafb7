import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { Rng } from '../core/index.js';
import { DETERMINISTIC_SESSION, OnnxGraphBuilder } from '../perception/index.js';
import { directMask, proprioMask } from './ActHead.js';
import { diffusionForward, stepFrequencies, type DiffusionConfig } from './DiffusionHead.js';
import type { FeatureNorm } from './exportHead.js';
import type { HeadParams } from './ActHead.js';

/** The denoiser's tensor names, as its manifest's inputs, diffusion block and output name them. */
export const DENOISER_TENSORS = { features: 'features', proprio: 'proprio', sample: 'sample', timestep: 'timestep', prediction: 'prediction' } as const;

/**
 * The denoiser as an ONNX graph (opset 17): raw features [1, F], normalised proprio [1, P], the
 * noisy normalised chunk [1, K, A] and the step [1] in, the predicted noise [1, K, A] out. The
 * sampler loop is not in the graph: the harness runs it, seeded from the episode.
 */
export function buildDiffusionOnnx(params: HeadParams, config: DiffusionConfig, norm: FeatureNorm): Uint8Array {
  const g = new OnnxGraphBuilder('diffusion_denoiser');
  const value = (name: string) => g.weight(name, params[name].shape as number[], params[name].dataSync());
  const [c, rows, cols] = config.grid;
  const s = config.pool;
  const gridLength = c * rows * cols;
  const featureLength = gridLength + 2 * config.tokenLength;
  const chunk = config.chunk * config.actionLength;
  const T = DENOISER_TENSORS;

  const features = g.input(T.features, [1, featureLength]);
  const rawProprio = g.input(T.proprio, [1, config.proprioLength]);
  const sample = g.input(T.sample, [1, config.chunk, config.actionLength]);
  const timestep = g.input(T.timestep, [1]);
  const proprio = config.proprioIgnored.length ? g.node('Mul', [rawProprio, g.weight('proprio.mask', [config.proprioLength], proprioMask(config).dataSync())]) : rawProprio;
  const fn = g.node('Div', [g.node('Sub', [features, g.weight('norm.mean', [featureLength], norm.mean)]), g.weight('norm.std', [featureLength], norm.std)]);
  const slice = (start: number, end: number) => g.node('Slice', [fn, g.ints(`s${start}.${end}`, [start]), g.ints(`e${start}.${end}`, [end]), g.ints(`a${start}.${end}`, [1])]);
  const linear = (name: string, x: string) => g.node('Add', [g.node('MatMul', [x, value(`${name}.w`)]), value(`${name}.b`)]);
  const reshape = (x: string, shape: number[], tag: string) => g.node('Reshape', [x, g.ints(`shape.${tag}`, shape)]);

  const grid = reshape(slice(0, gridLength), [1, c, rows / s, s, cols / s, s], 'grid');
  const pooled = reshape(g.node('ReduceMean', [grid], { axes: [3, 5], keepdims: 0 }), [1, c * (rows / s) * (cols / s)], 'pooled');
  const tokens = slice(gridLength, featureLength);
  const observation = g.node('Relu', [linear('obs', g.node('Concat', [pooled, tokens, proprio], { axis: 1 }))]);
  const angles = g.node('MatMul', [reshape(timestep, [1, 1], 'step'), g.weight('step.frequencies', [1, config.stepEmbedding / 2], stepFrequencies(config))]);
  const embedding = g.node('Concat', [g.node('Sin', [angles]), g.node('Cos', [angles])], { axis: 1 });
  let h = g.node('Relu', [linear('in', g.node('Concat', [observation, embedding, reshape(sample, [1, chunk], 'sample')], { axis: 1 }))]);
  for (let i = 0; i < config.layers; i++) h = g.node('Add', [h, g.node('Relu', [linear(`res${i}`, h)])]);
  const directInput = g.node('Concat', [tokens, proprio], { axis: 1 });
  let out = g.node('Add', [linear('out', h), linear('skip', directInput)]);
  if (config.directHidden > 0) out = g.node('Add', [out, g.node('Mul', [linear('direct.out', g.node('Relu', [linear('direct.hidden', directInput)])), g.weight('direct.mask', [chunk], directMask(config).dataSync())])]);
  g.node('Reshape', [out, g.ints('shape.prediction', [1, config.chunk, config.actionLength])], {}, [T.prediction]);
  g.output(T.prediction, [1, config.chunk, config.actionLength]);
  return g.build();
}

/**
 * The export checks itself: onnxruntime and the tfjs forward pass must agree to `tolerance` on
 * `samples` random inputs (features, proprio, noisy chunk and step), or the export fails.
 */
export async function checkDiffusionParity(onnx: Uint8Array, params: HeadParams, config: DiffusionConfig, norm: FeatureNorm, samples = 100, tolerance = 1e-4): Promise<number> {
  const session = await ort.InferenceSession.create(onnx, DETERMINISTIC_SESSION);
  const rng = new Rng('parity/diffusion');
  const featureLength = norm.mean.length;
  const chunk = config.chunk * config.actionLength;
  let worst = 0;
  for (let n = 0; n < samples; n++) {
    const raw = Float32Array.from({ length: featureLength }, (_, i) => norm.mean[i] + norm.std[i] * rng.normal());
    const proprio = Float32Array.from({ length: config.proprioLength }, () => rng.normal());
    const sample = Float32Array.from({ length: chunk }, () => rng.normal());
    const step = rng.int(0, config.trainSteps - 1);
    const out = await session.run({
      [DENOISER_TENSORS.features]: new ort.Tensor('float32', raw, [1, featureLength]),
      [DENOISER_TENSORS.proprio]: new ort.Tensor('float32', proprio, [1, config.proprioLength]),
      [DENOISER_TENSORS.sample]: new ort.Tensor('float32', sample, [1, config.chunk, config.actionLength]),
      [DENOISER_TENSORS.timestep]: new ort.Tensor('float32', Float32Array.of(step), [1]),
    });
    const expected = tf.tidy(() => {
      const normalised = tf.div(tf.sub(tf.tensor2d(raw, [1, featureLength]), tf.tensor1d(norm.mean)), tf.tensor1d(norm.std)) as tf.Tensor2D;
      return diffusionForward(params, config, normalised, tf.tensor2d(proprio, [1, config.proprioLength]), tf.tensor3d(sample, [1, config.chunk, config.actionLength]), tf.tensor1d([step])).dataSync();
    });
    const got = out[DENOISER_TENSORS.prediction].data as Float32Array;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - got[i]));
  }
  if (!(worst <= tolerance)) throw new Error(`ONNX export of the denoiser disagrees with the tfjs forward pass by ${worst} (tolerance ${tolerance})`);
  return worst;
}
