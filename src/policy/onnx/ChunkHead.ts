import ort from 'onnxruntime-node';
import { ACTION_FIELDS, type PolicyManifest } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import type { Action } from '../../env/index.js';
import { checkSession, openSession } from '../../perception/index.js';

/**
 * The ONNX model of a policy: named tensors in, a chunk of K normalised actions out, returned as
 * actions in the world (de-normalised with the manifest's actionNorm).
 */
export class ChunkHead {
  private constructor(
    private readonly manifest: PolicyManifest,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Opens the model and checks it against its manifest: every input and the output, by name, shape and dtype. */
  static async load(manifest: PolicyManifest, file: string, manifestPath: string): Promise<ChunkHead> {
    if (manifest.output.shape.join() !== `1,${manifest.chunkSize},${ACTION_FIELDS.length}`) {
      throw new InputError(manifestPath, `output: shape must be [1, chunkSize = ${manifest.chunkSize}, ${ACTION_FIELDS.length}] (${ACTION_FIELDS.join(', ')})`);
    }
    const session = await openSession(file);
    checkSession(session, file, Object.values(manifest.inputs), [manifest.output]);
    const fed = new Set(Object.values(manifest.inputs).map((t) => t.name));
    const unfed = session.inputNames.find((name) => !fed.has(name));
    if (unfed) throw new InputError(file, `input "${unfed}" is fed by no role of ${manifestPath}'s inputs (roles: ${Object.keys(manifest.inputs).join(', ')})`);
    const wrongType = [...session.inputMetadata, ...session.outputMetadata].find((m) => m.isTensor && m.type !== 'float32');
    if (wrongType) throw new InputError(file, `tensor "${wrongType.name}" is ${wrongType.isTensor ? wrongType.type : '?'}, the contract is float32`);
    return new ChunkHead(manifest, session);
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Action[]> {
    const out = await this.session.run(feeds);
    const data = out[this.manifest.output.name].data as Float32Array;
    const norm = this.manifest.actionNorm;
    const actions: Action[] = [];
    for (let k = 0; k < this.manifest.chunkSize; k++) {
      const v = (j: number) => data[k * ACTION_FIELDS.length + j] * norm.std[j] + norm.mean[j];
      actions.push({ x: v(0), y: v(1), z: v(2), yaw: v(3), gripper: v(4) });
    }
    return actions;
  }
}
