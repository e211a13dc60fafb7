/**
 * Builds the frozen feature encoder every learned policy shares: `assets/models/encoder.onnx`
 * and its manifest. Its weights are fixed random draws from a named seed (a random-feature
 * encoder, frozen like the paper's SAM2 backbone), so this script writes the same bytes every time.
 *
 *   image [1, 5, 128, 128] (R, G, B in [0, 1] minus 0.5; depth / 2 m; mask)
 *     -> Conv 8x8 stride 8 (5 -> 24) -> ReLU -> Conv 2x2 stride 2 (24 -> 32) -> ReLU   [1, 32, 8, 8]
 *     -> concatenated with the input average-pooled to 8 x 8                             [1, 37, 8, 8]
 *     -> features [1, 2368], channel-major: 64 spatial cells of 37 numbers
 *
 * The pooled channels keep colour, depth and mask linearly readable in each cell; the random
 * convolutions add nonlinear texture and edge features. Run: `npm run build:encoder`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from '../src/core/index.js';
import { OnnxGraphBuilder } from '../src/perception/index.js';

export const ENCODER_SEED = 'sam2grasp/encoder/v1';
const SIZE = 128;
const IN = 5;
const C1 = 24;
const C2 = 32;
const GRID = 8;

/** He-normal weights for a conv layer with the given fan-in. */
function heNormal(rng: Rng, count: number, fanIn: number): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => std * rng.normal());
}

export function buildEncoder(): { onnx: Uint8Array; manifest: object } {
  const rng = new Rng(ENCODER_SEED);
  const g = new OnnxGraphBuilder('sam2grasp_encoder');
  const image = g.input('image', [1, IN, SIZE, SIZE]);
  const w1 = g.weight('conv1.weight', [C1, IN, 8, 8], heNormal(rng.stream('conv1'), C1 * IN * 64, IN * 64));
  const b1 = g.weight('conv1.bias', [C1], new Float32Array(C1));
  const h1 = g.node('Relu', [g.node('Conv', [image, w1, b1], { kernel_shape: [8, 8], strides: [8, 8] })]);
  const w2 = g.weight('conv2.weight', [C2, C1, 2, 2], heNormal(rng.stream('conv2'), C2 * C1 * 4, C1 * 4));
  const b2 = g.weight('conv2.bias', [C2], new Float32Array(C2));
  const h2 = g.node('Relu', [g.node('Conv', [h1, w2, b2], { kernel_shape: [2, 2], strides: [2, 2] })]);
  const pooled = g.node('AveragePool', [image], { kernel_shape: [SIZE / GRID, SIZE / GRID], strides: [SIZE / GRID, SIZE / GRID] });
  const grid = g.node('Concat', [h2, pooled], { axis: 1 });
  g.node('Reshape', [grid, g.ints('features.shape', [1, (C2 + IN) * GRID * GRID])], {}, ['features']);
  g.output('features', [1, (C2 + IN) * GRID * GRID]);
  const manifest = {
    file: 'encoder.onnx',
    input: { name: 'image', shape: [1, IN, SIZE, SIZE] },
    output: { name: 'features', shape: [1, (C2 + IN) * GRID * GRID] },
    grid: [C2 + IN, GRID, GRID],
    channels: ['r', 'g', 'b', 'depth', 'mask'],
    maxDepth: 2,
    seed: ENCODER_SEED,
    description: 'Frozen random-feature encoder shared by every learned policy (scripts/buildEncoder.ts).',
  };
  return { onnx: g.build(), manifest };
}

const out = process.argv[2] ?? 'assets/models';
if (process.argv[1]?.endsWith('buildEncoder.js')) {
  const { onnx, manifest } = buildEncoder();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'encoder.onnx'), onnx);
  writeFileSync(join(out, 'encoder.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${join(out, 'encoder.onnx')} (${onnx.length} bytes) and encoder.json in ${dirname(join(out, 'encoder.json'))}`);
}
