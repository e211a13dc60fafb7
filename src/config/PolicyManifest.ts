import { z } from 'zod';
import { InputError } from '../core/index.js';
import { parseSpec, readJsonFile } from './parseSpec.js';

const Tensor = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(1)).min(1),
  /** The contract is float32 throughout; declared only to be checked. */
  dtype: z.string().default('float32'),
});
const Norm = (n: number) => z.strictObject({ mean: z.array(z.number()).length(n), std: z.array(z.number().positive()).length(n) });

/** Proprioception as a policy's `observation.state` input sees it, in this order. */
export const PROPRIO_FIELDS = ['x', 'y', 'z', 'yaw', 'opening', 'gripForce', 'gripper'] as const;
/** One action of a chunk, in this order. */
export const ACTION_FIELDS = ['x', 'y', 'z', 'yaw', 'gripper'] as const;

/**
 * What a policy can ask to be fed, named as LeRobot names its dataset features so that a policy
 * exported from LeRobot maps one to one. The README's "ONNX policy contract" gives each one's
 * tensor; `src/policy/onnx/observationRoles.ts` computes them.
 */
export const OBSERVATION_ROLES = [
  'observation.images.scene',
  'observation.images.wrist',
  'observation.depth.scene',
  'observation.depth.wrist',
  'observation.intrinsics.scene',
  'observation.intrinsics.wrist',
  'observation.extrinsics.scene',
  'observation.extrinsics.wrist',
  'observation.state',
  'observation.prompt.box',
  'observation.prompt.mask',
  'observation.features',
] as const;
export type ObservationRole = (typeof OBSERVATION_ROLES)[number];

/** Roles only a prompted policy (`"prompted": true`) may ask for. */
export const PROMPT_ROLES: readonly ObservationRole[] = ['observation.prompt.box', 'observation.prompt.mask'];

/** The names of the first contract (our own heads' manifests), still read. */
const LEGACY_ROLES = { features: 'observation.features', proprio: 'observation.state' } as const;

const Inputs = z.strictObject(
  Object.fromEntries([...OBSERVATION_ROLES, ...Object.keys(LEGACY_ROLES)].map((role) => [role, Tensor.optional()])) as Record<ObservationRole | keyof typeof LEGACY_ROLES, z.ZodOptional<typeof Tensor>>,
);

/**
 * The ONNX policy contract, beside the model file: which observation roles feed which of its
 * tensors, whether it is prompted, the normalisation of the state and the actions, and how its
 * chunks are executed. See the README's "ONNX policy contract".
 */
export const PolicyManifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  /** ONNX file, relative to the manifest. */
  file: z.string().min(1),
  /** It is told its target: a box at t = 0, and a tracker that follows it. Default: true with `box` or `tracker` conditioning. */
  prompted: z.boolean().optional(),
  /** How `observation.features` tells the target: none (ACT), box (ACT-Condition), tracker (SAM2Grasp). */
  conditioning: z.enum(['none', 'box', 'tracker']).default('none'),
  /** The frozen encoder's manifest, relative to this one; needed by `observation.features`. */
  encoder: z.string().min(1).optional(),
  inputs: Inputs,
  output: Tensor,
  proprioNorm: Norm(PROPRIO_FIELDS.length),
  actionNorm: Norm(ACTION_FIELDS.length),
  /** Actions per chunk (K). */
  chunkSize: z.number().int().min(1).max(200),
  /** The control rate the policy was trained at; must equal the task's. */
  controlHz: z.number().int().min(1).max(100),
  /**
   * A diffusion policy: the model is the denoiser, eps(sample, timestep | observation), and the
   * harness runs the DDIM sampler around it, drawing the starting noise from the episode's seeded
   * stream. The output tensor is the predicted noise, or the predicted clean chunk, normalised.
   */
  diffusion: z
    .strictObject({
      /** The noisy normalised chunk in, [1, chunkSize, 5]. */
      sample: Tensor,
      /** The diffusion step t in, [1], as a float in [0, trainSteps). */
      timestep: Tensor,
      /** T of the cosine (squaredcos_cap_v2) schedule the denoiser was trained with. */
      trainSteps: z.number().int().min(2).max(10_000),
      /** DDIM steps per chunk. */
      inferenceSteps: z.number().int().min(1).max(1000),
      /** What the output is (diffusers' prediction_type): the noise, the clean normalised chunk, or the velocity. */
      prediction: z.enum(['epsilon', 'sample', 'v_prediction']).default('epsilon'),
      /** Clip the predicted clean chunk to [-clipSample, clipSample] (normalised units) at every step; absent: no clipping. */
      clipSample: z.number().positive().optional(),
      /**
       * The standard deviation of the starting noise (1: the distribution the denoiser was trained
       * to invert; below 1 the samples gather nearer the modes, 0 starts every chunk from the
       * schedule's mean and makes the sampler deterministic given the observation). Chosen on keys
       * no table uses (see docs/learning.md).
       */
      temperature: z.number().min(0).max(1).default(1),
      /**
       * DDIM's eta: 0 (default) a deterministic step, 1 DDPM's ancestral sampling; above 0 each step
       * adds fresh noise from the episode's stream, scaled by the temperature too.
       */
      eta: z.number().min(0).max(1).default(0),
    })
    .optional(),
  execution: z
    .strictObject({
      /** ACT temporal ensembling of overlapping chunks; false executes the newest chunk alone (Diffusion Policy's receding horizon). */
      ensemble: z.boolean().default(true),
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

export interface PolicyTensor {
  name: string;
  shape: number[];
  dtype: string;
}

/** A policy manifest as the harness uses it: inputs by role (old names translated), `prompted` decided. */
export type PolicyManifest = Omit<z.infer<typeof PolicyManifestSchema>, 'inputs' | 'prompted'> & {
  inputs: Partial<Record<ObservationRole, PolicyTensor>>;
  prompted: boolean;
};

/**
 * Reads and checks a policy manifest: the schema, then the rules between fields. Shapes against
 * the task's cameras and the model file are checked when the policy loads.
 */
export function loadPolicyManifest(path: string): PolicyManifest {
  const raw = parseSpec(PolicyManifestSchema, readJsonFile(path), path);
  const inputs: Partial<Record<ObservationRole, PolicyTensor>> = {};
  for (const [key, tensor] of Object.entries(raw.inputs)) {
    if (!tensor) continue;
    const role = LEGACY_ROLES[key as keyof typeof LEGACY_ROLES] ?? (key as ObservationRole);
    if (inputs[role]) throw new InputError(path, `inputs.${role}: given twice (also as "${key}")`);
    inputs[role] = tensor;
  }
  const prompted = raw.prompted ?? raw.conditioning !== 'none';
  checkRoles(path, inputs, prompted, raw);
  return { ...raw, inputs, prompted };
}

function checkRoles(path: string, inputs: PolicyManifest['inputs'], prompted: boolean, raw: z.infer<typeof PolicyManifestSchema>): void {
  const fail = (message: string) => {
    throw new InputError(path, message);
  };
  const roles = Object.keys(inputs) as ObservationRole[];
  if (roles.length === 0) fail(`inputs: no role (known: ${OBSERVATION_ROLES.join(', ')})`);
  const tensorNames = roles.map((role) => inputs[role]!.name);
  const shared = roles.find((_, i) => tensorNames.indexOf(tensorNames[i]) !== i);
  if (shared) fail(`inputs.${shared}: tensor "${inputs[shared]!.name}" is fed by another role too`);
  for (const role of roles) {
    if (inputs[role]!.dtype !== 'float32') fail(`inputs.${role}: dtype ${inputs[role]!.dtype}, the contract is float32`);
    if (PROMPT_ROLES.includes(role) && !prompted) fail(`inputs.${role}: a prompt role needs "prompted": true`);
  }
  if (raw.output.dtype !== 'float32') fail(`output: dtype ${raw.output.dtype}, the contract is float32`);
  if (raw.conditioning !== 'none' && !prompted) fail(`prompted: false, but ${raw.conditioning} conditioning tells the policy its target`);
  if (raw.conditioning !== 'none' && !inputs['observation.features']) fail(`conditioning: ${raw.conditioning} conditions observation.features, which inputs does not ask for`);
  if (inputs['observation.features'] && !raw.encoder) fail('encoder: observation.features needs the frozen encoder\'s manifest');
  if (raw.diffusion) checkDiffusion(raw.diffusion, tensorNames, raw.chunkSize, fail);
}

function checkDiffusion(diffusion: NonNullable<z.infer<typeof PolicyManifestSchema>['diffusion']>, roleTensors: string[], chunkSize: number, fail: (message: string) => never): void {
  for (const field of ['sample', 'timestep'] as const) {
    if (roleTensors.includes(diffusion[field].name)) fail(`diffusion.${field}: tensor "${diffusion[field].name}" is fed by an observation role too`);
  }
  if (diffusion.sample.shape.join() !== `1,${chunkSize},${ACTION_FIELDS.length}`) fail(`diffusion.sample: shape must be [1, chunkSize = ${chunkSize}, ${ACTION_FIELDS.length}]`);
  if (diffusion.timestep.shape.join() !== '1') fail('diffusion.timestep: shape must be [1]');
  if (diffusion.inferenceSteps > diffusion.trainSteps) fail(`diffusion.inferenceSteps: ${diffusion.inferenceSteps} is more than trainSteps (${diffusion.trainSteps})`);
}
