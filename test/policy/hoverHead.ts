import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../../src/perception/index.js';
import { ROOT } from '../cli/helpers.js';

export const F = 2484;
export const K = 4;
const ENCODER = join(ROOT, 'assets', 'models', 'encoder.json');

/**
 * A head that follows the contract and ignores its inputs: every action of every chunk is the
 * normalised `bias` (0 everywhere by default, i.e. the action norm's mean).
 */
export function writeHead(dir: string, options: { bias?: number[]; proprioType?: 'float' | 'double'; edit?: (m: any) => void; brokenAtRun?: boolean } = {}): string {
  // A broken head passes every check at load (its declared shapes are right) and fails inside
  // onnxruntime at its first run: its flat output has one value too many to reshape.
  const width = K * 5 + (options.brokenAtRun ? 1 : 0);
  const g = new OnnxGraphBuilder('head');
  const features = g.input('features', [1, F]);
  const proprio = g.input('proprio', [1, 7], options.proprioType);
  const zero = g.node('Mul', [g.node('ReduceSum', [features], { keepdims: 1 }), g.weight('z', [1], [0])]);
  const p = options.proprioType === 'double' ? g.node('Cast', [proprio], { to: 1 }) : proprio;
  const flat = g.node('Add', [g.node('Add', [g.node('MatMul', [p, g.weight('w', [7, width], new Float32Array(7 * width))]), zero]), g.weight('b', [width], options.bias ?? new Array(width).fill(0))]);
  g.node('Reshape', [flat, g.ints('shape', [1, K, 5])], {}, ['actions']);
  g.output('actions', [1, K, 5]);
  writeFileSync(join(dir, 'head.onnx'), g.build());
  const manifest = {
    name: 'hover',
    file: 'head.onnx',
    conditioning: 'none',
    encoder: ENCODER,
    inputs: { features: { name: 'features', shape: [1, F] }, proprio: { name: 'proprio', shape: [1, 7] } },
    output: { name: 'actions', shape: [1, K, 5] },
    proprioNorm: { mean: [0, 0, 0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1, 1, 1] },
    actionNorm: { mean: [0.05, -0.02, 0.22, 0.3, 0], std: [0.1, 0.1, 0.1, 1, 1] },
    chunkSize: K,
    controlHz: 10,
  };
  options.edit?.(manifest);
  const path = join(dir, 'head.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

