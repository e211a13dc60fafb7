import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ACTION_FIELDS, PROPRIO_FIELDS } from '../../src/config/index.js';
import { buildHeadOnnx, DEFAULT_HEAD, initHead, initTensorflow, type HeadConfig, type HeadParams } from '../../src/learn/index.js';

const FEATURES = 37 * 8 * 8 + 2 * 58;
const config: HeadConfig = { ...DEFAULT_HEAD, cvae: false };
const norm = { mean: new Float32Array(FEATURES), std: new Float32Array(FEATURES).fill(1) };
const features = Float32Array.from({ length: FEATURES }, (_, i) => Math.sin(i));

/** The exported head's chunk for one input, by action field. */
async function chunkOf(params: HeadParams, proprio: number[]): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(buildHeadOnnx(params, config, norm));
  const out = await session.run({
    features: new ort.Tensor('float32', features, [1, FEATURES]),
    proprio: new ort.Tensor('float32', Float32Array.from(proprio), [1, PROPRIO_FIELDS.length]),
  });
  const actions = out.actions.data as Float32Array;
  return Object.fromEntries(ACTION_FIELDS.map((field, j) => [field, Array.from({ length: config.chunk }, (_, k) => actions[k * ACTION_FIELDS.length + j])]));
}

describe('the ACT-style head', () => {
  it('does not see the last gripper command, and sees every other proprio field', async () => {
    await initTensorflow();
    const params = initHead(config, 'test/head');
    const proprio = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, -1];
    const base = await chunkOf(params, proprio);
    expect(await chunkOf(params, proprio.with(PROPRIO_FIELDS.indexOf('gripper'), 2))).toEqual(base);
    expect(await chunkOf(params, proprio.with(PROPRIO_FIELDS.indexOf('opening'), 2))).not.toEqual(base);
  });

  it('adds its ReLU layer to x, y and yaw only', async () => {
    await initTensorflow();
    const params = initHead(config, 'test/head');
    const proprio = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, -1];
    const base = await chunkOf(params, proprio);
    params['direct.out.b'].assign(tf.fill(params['direct.out.b'].shape, 5));
    const shifted = await chunkOf(params, proprio);
    for (const field of ACTION_FIELDS) {
      const moved = shifted[field].every((v, k) => Math.abs(v - base[field][k] - 5) < 1e-4);
      expect([field, moved]).toEqual([field, config.directActions.includes(field)]);
    }
  });
});
