import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ACTION_FIELDS, PROPRIO_FIELDS } from '../config/index.js';
import type { Conditioning } from '../perception/index.js';
import { buildHeadOnnx, checkParity } from './exportHead.js';
import type { TrainedHead } from './trainHead.js';

/** What a policy's training was: everything needed to reproduce it, and what it cost. */
export interface TrainingRecord {
  policy: string;
  conditioning: Conditioning;
  cvae: boolean;
  data: Record<string, unknown>;
  training: Record<string, unknown>;
  losses: TrainedHead['losses'];
  bestEpoch: number;
  wallSeconds: number;
  parityMaxAbsDiff: number;
  packages: Record<string, string>;
}

/**
 * Exports a trained head as `<name>.onnx` + `<name>.json` (the policy contract) in `dir`, after
 * checking that onnxruntime and tfjs agree on 100 random inputs; returns the largest difference.
 */
export async function shipHead(head: TrainedHead, name: string, conditioning: Conditioning, dir: string, encoderManifest: string): Promise<number> {
  const onnx = buildHeadOnnx(head.params, head.config, head.featureNorm);
  const parity = await checkParity(onnx, head.params, head.config, head.featureNorm);
  writeFileSync(join(dir, `${name}.onnx`), onnx);
  const featureLength = head.featureNorm.mean.length;
  const manifest = {
    name,
    file: `${name}.onnx`,
    conditioning,
    encoder: relative(dir, encoderManifest) || encoderManifest,
    inputs: {
      'observation.features': { name: 'features', shape: [1, featureLength] },
      'observation.state': { name: 'proprio', shape: [1, PROPRIO_FIELDS.length] },
    },
    output: { name: 'actions', shape: [1, head.config.chunk, ACTION_FIELDS.length] },
    proprioNorm: { mean: [...head.proprioNorm.mean], std: [...head.proprioNorm.std] },
    actionNorm: { mean: [...head.actionNorm.mean], std: [...head.actionNorm.std] },
    chunkSize: head.config.chunk,
    controlHz: 10,
    execution: { ensembleM: 0.01, queryEvery: 1, latencySteps: 0 },
    description: `ACT-style head (${head.config.cvae ? 'CVAE, ' : ''}${conditioning} conditioning) trained by sam2grasp train`,
  };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return parity;
}
