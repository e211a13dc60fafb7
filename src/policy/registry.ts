import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/index.js';
import { EnsembledPolicy } from './EnsembledPolicy.js';
import { ScriptedExpert } from './expert/ScriptedExpert.js';
import type { Perception } from '../perception/index.js';
import { OnnxChunkPolicy } from './onnx/OnnxChunkPolicy.js';
import type { Policy } from './Policy.js';

/** The paper's learned policies, shipped as `<name>.json` + `<name>.onnx` in the models folder. */
export const LEARNED_POLICIES = ['act', 'act-cvae', 'act-condition', 'sam2grasp'] as const;

export interface PolicyOptions {
  /** Folder of the shipped heads (assets/models). */
  modelsDir: string;
  /** What learned policies perceive with (from `--tracker`), loaded only when one is made. */
  perception: () => Promise<Perception>;
  /** The task's control rate; a head trained at another one is refused. */
  controlHz: number;
}

/** Policy names the CLI accepts besides `onnx:<manifest.json>`. */
export function policyNames(modelsDir: string): string[] {
  return ['expert', ...LEARNED_POLICIES.filter((n) => existsSync(join(modelsDir, `${n}.json`)))];
}

/**
 * Makes the named policy: `expert`, a shipped learned policy, or `onnx:path/to/manifest.json`
 * for any policy that follows the ONNX contract. Learned policies run under temporal
 * ensembling and the asynchronous schedule their manifest asks for. An unknown name, or a
 * broken contract, is the user's error, reported against `where`.
 */
export async function createPolicy(name: string, options: PolicyOptions, where = '--policy'): Promise<Policy> {
  if (name === 'expert') return new ScriptedExpert();
  const manifest = name.startsWith('onnx:') ? name.slice(5) : join(options.modelsDir, `${name}.json`);
  if (!name.startsWith('onnx:') && !existsSync(manifest)) {
    throw new InputError(where, `unknown policy "${name}" (known: ${policyNames(options.modelsDir).join(', ')}, or onnx:path/to/manifest.json)`);
  }
  const policy = await OnnxChunkPolicy.load(manifest, await options.perception(), options.controlHz);
  return new EnsembledPolicy(policy, policy.manifest.execution);
}
