import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ACTION_FIELDS, PROPRIO_FIELDS } from '../config/index.js';
import type { Conditioning } from '../perception/index.js';
import { buildHeadOnnx, checkParity, HEAD_TENSORS } from './exportHead.js';
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
 * A denoiser's manifest has the `diffusion` block that makes the harness run the DDIM sampler
 * around it, executing the first half of each chunk and then sampling the next (Diffusion
 * Policy's receding horizon, no ensembling).
 */
export async function shipHead(head: TrainedHead, name: string, conditioning: Conditioning, dir: string, encoderManifest: string): Promise<number> {
  const onnx = buildHeadOnnx(head.params, head.config, head.featureNorm);
  const parity = await checkParity(onnx, head.params, head.config, head.featureNorm);
  writeFileSync(join(dir, `${name}.onnx`), onnx);
  const chunk = [1, head.config.chunk, ACTION_FIELDS.length];
  const denoiser = head.config.denoiser;
  writeManifest(head, name, conditioning, dir, encoderManifest, denoiser
    ? {
        output: { name: HEAD_TENSORS.prediction, shape: chunk },
        diffusion: { sample: { name: HEAD_TENSORS.sample, shape: chunk }, timestep: { name: HEAD_TENSORS.timestep, shape: [1] }, trainSteps: denoiser.trainSteps, inferenceSteps: denoiser.inferenceSteps, prediction: denoiser.prediction, clipSample: denoiser.clipSample, temperature: denoiser.temperature },
        execution: { ensemble: false, ensembleM: 0, queryEvery: Math.max(1, Math.floor(head.config.chunk / 2)), latencySteps: 0 },
        description: `Diffusion Policy (ACT's transformer as the denoiser; DDPM, ${denoiser.trainSteps} steps, ${denoiser.prediction === 'v_prediction' ? 'v' : denoiser.prediction} prediction${denoiser.minSnrGamma === null ? '' : `, Min-SNR-${denoiser.minSnrGamma} weighted`}; DDIM, ${denoiser.inferenceSteps} steps; ${conditioning} conditioning) trained by sam2grasp train`,
      }
    : {
        output: { name: HEAD_TENSORS.actions, shape: chunk },
        execution: { ensembleM: 0.01, queryEvery: 1, latencySteps: 0 },
        description: `ACT-style head (${head.config.cvae ? 'CVAE, ' : ''}${conditioning} conditioning) trained by sam2grasp train`,
      });
  return parity;
}

/** The policy contract beside a head: the features and state it reads, its norms, and what `extra` says of its output and execution. */
function writeManifest(head: TrainedHead, name: string, conditioning: Conditioning, dir: string, encoderManifest: string, extra: Record<string, unknown>): void {
  const manifest = {
    name,
    file: `${name}.onnx`,
    conditioning,
    encoder: relative(dir, encoderManifest) || encoderManifest,
    inputs: {
      'observation.features': { name: 'features', shape: [1, head.featureNorm.mean.length] },
      'observation.state': { name: 'proprio', shape: [1, PROPRIO_FIELDS.length] },
    },
    output: extra.output,
    ...(extra.diffusion ? { diffusion: extra.diffusion } : {}),
    proprioNorm: { mean: [...head.proprioNorm.mean], std: [...head.proprioNorm.std] },
    actionNorm: { mean: [...head.actionNorm.mean], std: [...head.actionNorm.std] },
    chunkSize: head.config.chunk,
    controlHz: 10,
    execution: extra.execution,
    description: extra.description,
  };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
}
