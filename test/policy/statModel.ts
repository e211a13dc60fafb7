import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../../src/perception/index.js';

export const STAT_K = 2;

/**
 * A policy that reads one role and reports two statistics of it as its actions: x is the mean of
 * the tensor, y its mean weighted by a ramp over the flat, row-major index (0 at the first
 * element, 1 at the last), so that a transposed or flipped tensor gives another y. The action
 * norm is the identity, so the harness hands the statistics back unchanged.
 */
export function writeStatModel(dir: string, role: string, shape: number[], extra: Record<string, unknown> = {}): string {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = new OnnxGraphBuilder('stat');
  const input = g.input('x', shape);
  const flat = g.node('Reshape', [input, g.ints('flat', [1, n])]);
  const weights = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    weights[2 * i] = 1 / n;
    weights[2 * i + 1] = n > 1 ? i / (n - 1) / n : 1;
  }
  const stats = g.node('MatMul', [flat, g.weight('w', [n, 2], weights)]);
  const action = g.node('MatMul', [stats, g.weight('pick', [2, 5], [1, 0, 0, 0, 0, 0, 1, 0, 0, 0])]);
  const chunk = g.node('Add', [g.node('Reshape', [action, g.ints('one', [1, 1, 5])]), g.weight('zeros', [1, STAT_K, 5], new Float32Array(STAT_K * 5))], {}, ['actions']);
  g.output(chunk, [1, STAT_K, 5]);
  writeFileSync(join(dir, 'stat.onnx'), g.build());
  const manifest = {
    name: 'stat',
    file: 'stat.onnx',
    inputs: { [role]: { name: 'x', shape } },
    output: { name: 'actions', shape: [1, STAT_K, 5] },
    proprioNorm: { mean: [0, 0, 0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1, 1, 1] },
    actionNorm: { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] },
    chunkSize: STAT_K,
    controlHz: 10,
    ...extra,
  };
  const path = join(dir, 'stat.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

/** The two statistics of `writeStatModel`, computed here in double precision from the flat values. */
export function stats(values: ArrayLike<number>): { mean: number; ramp: number } {
  const n = values.length;
  let mean = 0;
  let ramp = 0;
  for (let i = 0; i < n; i++) {
    mean += values[i] / n;
    ramp += (values[i] * (n > 1 ? i / (n - 1) : 1)) / n;
  }
  return { mean, ramp };
}
