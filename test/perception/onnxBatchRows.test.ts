import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { DETERMINISTIC_SESSION, OnnxGraphBuilder } from '../../src/perception/index.js';

/**
 * Issue 19's question before batching episodes: does ONNX Runtime compute a row differently when
 * it shares a batch (a matrix-vector kernel for one row, a matrix-matrix kernel for many)? A graph
 * with the operators our models use (MatMul, Gemm, Conv, attention's batched MatMul and Softmax,
 * LayerNormalization) runs each row alone and in batches of 2 to 16; every output value must be
 * the same bits. If an upgrade of onnxruntime-node breaks this, batching would change results
 * with the batch size, and this test says so first.
 */
const FEATURES = 2484;
const IMAGE = [5, 64, 64];
const TOKENS = [12, 32];

function probeModel(rng: Rng): Uint8Array {
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.normal() * scale);
  const g = new OnnxGraphBuilder('batch-rows');
  const x = g.input('x', ['batch', FEATURES]);
  const image = g.input('image', ['batch', ...IMAGE]);
  const tokens = g.input('tokens', ['batch', ...TOKENS]);
  const hidden = g.node('Relu', [g.node('Gemm', [x, g.weight('w1', [FEATURES, 64], rand(FEATURES * 64, 0.02)), g.weight('b1', [64], rand(64, 0.1))])]);
  g.node('MatMul', [hidden, g.weight('w2', [64, 50], rand(64 * 50, 0.1))], {}, ['mlp']);
  const conv = g.node('Relu', [g.node('Conv', [image, g.weight('k1', [16, 5, 3, 3], rand(16 * 45, 0.2)), g.weight('c1', [16], rand(16, 0.1))], { strides: [2, 2], pads: [1, 1, 1, 1] })]);
  g.node('Conv', [conv, g.weight('k2', [8, 16, 3, 3], rand(8 * 144, 0.2)), g.weight('c2', [8], rand(8, 0.1))], { strides: [2, 2], pads: [1, 1, 1, 1] }, ['conv']);
  const [n, d] = TOKENS;
  const project = (name: string) => g.node('MatMul', [tokens, g.weight(name, [d, d], rand(d * d, 0.2))]);
  const scores = g.node('MatMul', [project('q'), g.node('Transpose', [project('k')], { perm: [0, 2, 1] })]);
  const attended = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), project('v')]);
  g.node('LayerNormalization', [attended, g.weight('gamma', [d], rand(d, 1)), g.weight('beta', [d], rand(d, 0.1))], { axis: -1 }, ['attention']);
  g.output('mlp', ['batch', 50]);
  g.output('conv', ['batch', 8, IMAGE[1] / 4, IMAGE[2] / 4]);
  g.output('attention', ['batch', n, d]);
  return g.build();
}

describe('ONNX Runtime rows in a batch', () => {
  it('are computed to the same bits as each row alone, for batches of 1 to 16', async () => {
    const rng = new Rng('test/onnx-batch-rows');
    const session = await ort.InferenceSession.create(probeModel(rng), DETERMINISTIC_SESSION);
    const shapes = { x: [FEATURES], image: IMAGE, tokens: TOKENS };
    const rows = 16;
    const inputs = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, Float32Array.from({ length: rows * shape.reduce((a, b) => a * b) }, () => rng.normal())]));
    const run = (first: number, batch: number) =>
      session.run(Object.fromEntries(Object.entries(shapes).map(([name, shape]) => {
        const size = shape.reduce((a, b) => a * b);
        return [name, new ort.Tensor('float32', inputs[name].slice(first * size, (first + batch) * size), [batch, ...shape])];
      })));
    const alone = await Promise.all(Array.from({ length: rows }, (_, r) => run(r, 1)));
    for (const batch of [2, 4, 8, 16]) {
      const together = await run(0, batch);
      for (const output of ['mlp', 'conv', 'attention']) {
        const values = together[output].data as Float32Array;
        const size = values.length / batch;
        for (let r = 0; r < batch; r++) {
          const row = values.subarray(r * size, (r + 1) * size);
          expect(Buffer.from(row.buffer, row.byteOffset, row.byteLength).equals(Buffer.from((alone[r][output].data as Float32Array).buffer)), `${output}, row ${r} of ${batch}`).toBe(true);
        }
      }
    }
  });
});
