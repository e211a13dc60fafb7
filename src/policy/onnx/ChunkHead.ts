import ort from 'onnxruntime-node';
import { ACTION_FIELDS, type PolicyManifest, type PolicyTensor } from '../../config/index.js';
import { InputError, type Rng } from '../../core/index.js';
import type { Action } from '../../env/index.js';
import { checkSession, openSession, type OnnxSession } from '../../perception/index.js';

/**
 * The ONNX model of a policy: named tensors in, a chunk of K normalised actions out, returned as
 * actions in the world (de-normalised with the manifest's actionNorm).
 */
export class ChunkHead {
  protected constructor(
    protected readonly manifest: PolicyManifest,
    protected readonly session: OnnxSession,
  ) {}

  static async load(manifest: PolicyManifest, file: string, manifestPath: string): Promise<ChunkHead> {
    return new ChunkHead(manifest, await openHeadSession(manifest, file, manifestPath));
  }

  /** A regression head draws nothing; a sampler keeps the episode's stream. */
  reset(_rng: Rng): void {}

  async run(feeds: Record<string, ort.Tensor>): Promise<Action[]> {
    const out = await this.session.run(feeds);
    return this.toActions(out[this.manifest.output.name].data as Float32Array);
  }

  /** A normalised chunk [K x 5] as actions in the world. */
  protected toActions(data: ArrayLike<number>): Action[] {
    const norm = this.manifest.actionNorm;
    const actions: Action[] = [];
    for (let k = 0; k < this.manifest.chunkSize; k++) {
      const v = (j: number) => data[k * ACTION_FIELDS.length + j] * norm.std[j] + norm.mean[j];
      actions.push({ x: v(0), y: v(1), z: v(2), yaw: v(3), gripper: v(4) });
    }
    return actions;
  }
}

/**
 * Opens a policy's model and checks it against its manifest: every input (the observation roles'
 * tensors, and a denoiser's sample and timestep) and the output, by name, shape and dtype; an
 * input of the model that nothing feeds is refused.
 */
export async function openHeadSession(manifest: PolicyManifest, file: string, manifestPath: string): Promise<OnnxSession> {
  if (manifest.output.shape.join() !== `1,${manifest.chunkSize},${ACTION_FIELDS.length}`) {
    throw new InputError(manifestPath, `output: shape must be [1, chunkSize = ${manifest.chunkSize}, ${ACTION_FIELDS.length}] (${ACTION_FIELDS.join(', ')})`);
  }
  const session = await openSession(file);
  const inputs: PolicyTensor[] = [...Object.values(manifest.inputs), ...(manifest.diffusion ? [manifest.diffusion.sample, manifest.diffusion.timestep] : [])];
  checkSession(session, file, inputs, [manifest.output]);
  const fed = new Set(inputs.map((t) => t.name));
  const unfed = session.inputNames.find((name) => !fed.has(name));
  if (unfed) throw new InputError(file, `input "${unfed}" is fed by no role of ${manifestPath}'s inputs (roles: ${Object.keys(manifest.inputs).join(', ')})`);
  const wrongType = [...session.inputMetadata, ...session.outputMetadata].find((m) => m.isTensor && m.type !== 'float32');
  if (wrongType) throw new InputError(file, `tensor "${wrongType.name}" is ${wrongType.isTensor ? wrongType.type : '?'}, the contract is float32`);
  return session;
}
