import { z } from 'zod';
import { parseSpec, readJsonFile } from './parseSpec.js';

const Tensor = z.strictObject({ name: z.string().min(1), shape: z.array(z.number().int().min(1)).min(1) });
const Norm = (n: number) => z.strictObject({ mean: z.array(z.number()).length(n), std: z.array(z.number().positive()).length(n) });

/** Proprioception as a policy's `proprio` input sees it, in this order. */
export const PROPRIO_FIELDS = ['x', 'y', 'z', 'yaw', 'opening', 'gripForce', 'gripper'] as const;
/** One action of a chunk, in this order. */
export const ACTION_FIELDS = ['x', 'y', 'z', 'yaw', 'gripper'] as const;

/**
 * The ONNX policy contract, beside the model file: which perception feeds it, its tensors, the
 * normalisation of proprio and actions, and how its chunks are executed. See the README's
 * "ONNX policy contract".
 */
export const PolicyManifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  /** ONNX file, relative to the manifest. */
  file: z.string().min(1),
  /** How the policy is told the target: none (ACT), box (ACT-Condition), tracker (SAM2Grasp). */
  conditioning: z.enum(['none', 'box', 'tracker']),
  /** The frozen encoder's manifest, relative to this one. */
  encoder: z.string().min(1),
  inputs: z.strictObject({ features: Tensor, proprio: Tensor }),
  output: Tensor,
  proprioNorm: Norm(PROPRIO_FIELDS.length),
  actionNorm: Norm(ACTION_FIELDS.length),
  /** Actions per chunk (K). */
  chunkSize: z.number().int().min(1).max(200),
  /** The control rate the policy was trained at; must equal the task's. */
  controlHz: z.number().int().min(1).max(100),
  execution: z
    .strictObject({
      /** ACT temporal ensembling: w_i = exp(-m i), the oldest prediction (i = 0) weighted most. */
      ensembleM: z.number().min(0).default(0.01),
      /** Query the policy every n control steps. */
      queryEvery: z.number().int().min(1).default(1),
      /** Steps between a query and the moment its chunk can be used (asynchronous inference). */
      latencySteps: z.number().int().min(0).default(0),
    })
    .prefault({}),
  description: z.string().default(''),
});

export type PolicyManifest = z.infer<typeof PolicyManifestSchema>;

export function loadPolicyManifest(path: string): PolicyManifest {
  return parseSpec(PolicyManifestSchema, readJsonFile(path), path);
}
