import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskSpec } from '../config/index.js';
import { InputError } from '../core/index.js';
import type { Perception } from '../perception/index.js';
import { EnsembledPolicy } from './EnsembledPolicy.js';
import { ScriptedExpert } from './expert/ScriptedExpert.js';
import { OnnxChunkPolicy } from './onnx/OnnxChunkPolicy.js';
import type { Policy } from './Policy.js';

/** The paper's learned policies. */
export const PAPER_POLICIES = ['act', 'act-cvae', 'act-condition', 'sam2grasp'] as const;

/** Diffusion Policy, non-prompted and prompted: the baseline the paper does not have. */
export const DIFFUSION_POLICIES = ['dp', 'dp-prompted'] as const;

/** Every learned policy we ship, as `<name>.json` + `<name>.onnx` in the models folder. */
export const LEARNED_POLICIES = [...PAPER_POLICIES, ...DIFFUSION_POLICIES] as const;

export interface PolicyOptions {
  /** Folder of the shipped heads (assets/models). */
  modelsDir: string;
  /** What learned policies perceive with (from `--tracker`), loaded only when a policy reads it. */
  perception: () => Promise<Perception>;
  /** The task: its control rate and cameras, which a learned policy must have been made for. */
  spec: TaskSpec;
}

/** Makes a policy for a task; `where` names the flag or file the request came from, for errors. */
export type PolicyFactory = (options: PolicyOptions, where: string) => Promise<Policy>;

/** Where a registered policy comes from, for listings and provenance. */
export interface RegisteredPolicy {
  create: PolicyFactory;
  /** Its ONNX manifest, for the learned ones (absent for code, like the expert). */
  manifest?: (modelsDir: string) => string;
}

const REGISTRY = new Map<string, RegisteredPolicy>();

/** Adds a policy under a name. A name can be registered once. */
export function registerPolicy(name: string, entry: RegisteredPolicy): void {
  if (REGISTRY.has(name)) throw new Error(`policy "${name}" is registered twice`);
  REGISTRY.set(name, entry);
}

/**
 * Any policy that follows the ONNX contract, from its manifest. It runs under temporal ensembling
 * and the asynchronous schedule its manifest asks for.
 */
export async function loadOnnxPolicy(manifest: string, options: PolicyOptions): Promise<Policy> {
  const { controlHz } = options.spec.control;
  const policy = await OnnxChunkPolicy.load(manifest, { controlHz, cameras: options.spec.cameras }, options.perception);
  return new EnsembledPolicy(policy, policy.manifest.execution);
}

registerPolicy('expert', { create: async () => new ScriptedExpert() });
for (const name of LEARNED_POLICIES) {
  const manifest = (modelsDir: string) => join(modelsDir, `${name}.json`);
  registerPolicy(name, { manifest, create: (options) => loadOnnxPolicy(manifest(options.modelsDir), options) });
}

/** Registered names whose files are present (a shipped head may be absent from a checkout). */
export function policyNames(modelsDir: string): string[] {
  return [...REGISTRY].filter(([, entry]) => !entry.manifest || existsSync(entry.manifest(modelsDir))).map(([name]) => name);
}

/**
 * The ONNX manifest a policy reference names: `onnx:path/to/manifest.json`, or a registered learned
 * policy's own; undefined for code (the expert). An unknown name is reported against `where`.
 */
export function policyManifest(ref: string, modelsDir: string, where = '--policy'): string | undefined {
  if (ref.startsWith('onnx:')) return ref.slice('onnx:'.length);
  const entry = REGISTRY.get(ref);
  if (!entry || (entry.manifest && !existsSync(entry.manifest(modelsDir)))) {
    throw new InputError(where, `unknown policy "${ref}" (known: ${policyNames(modelsDir).join(', ')}, or onnx:path/to/manifest.json)`);
  }
  return entry.manifest?.(modelsDir);
}

/**
 * Makes the named policy: a registered one (`expert`, a shipped learned policy), or
 * `onnx:path/to/manifest.json` for any policy that follows the ONNX contract. An unknown name,
 * or a broken contract, is the user's error, reported against `where`.
 */
export async function createPolicy(ref: string, options: PolicyOptions, where = '--policy'): Promise<Policy> {
  const manifest = policyManifest(ref, options.modelsDir, where);
  const entry = REGISTRY.get(ref);
  return entry ? entry.create(options, where) : loadOnnxPolicy(manifest!, options);
}
