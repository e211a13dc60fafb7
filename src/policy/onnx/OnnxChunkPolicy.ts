import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { ACTION_FIELDS, loadPolicyManifest, PROPRIO_FIELDS, type PolicyManifest } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import type { Action, Observation } from '../../env/index.js';
import {
  checkSession,
  conditionedFeatures,
  conditionedLength,
  DETERMINISTIC_SESSION,
  FeatureEncoder,
  type Perception,
  type PromptableTracker,
  type TrackResult,
  type TrueSceneFrame,
} from '../../perception/index.js';
import type { Policy, PolicyContext } from '../Policy.js';

/**
 * Any policy that follows the ONNX policy contract (see the README): perception (the foreground
 * segmenter and the frozen encoder, and for `box` and `tracker` conditioning the prompt and a
 * tracker) turns the scene frame into features; the ONNX head maps features and normalised
 * proprio to a chunk of K normalised actions. Loading checks the contract and fails with one line
 * naming the problem. It reads sensors only, unless its perception is an oracle: then it declares
 * itself `privileged` and is handed the ground-truth channel, for the oracle alone.
 */
export class OnnxChunkPolicy implements Policy {
  readonly privileged: boolean;
  readonly prompted: boolean;
  private tracker: PromptableTracker | null = null;
  private track: TrackResult | null = null;
  private truth: TrueSceneFrame | undefined;
  private readonly proprio = new Float32Array(PROPRIO_FIELDS.length);

  private constructor(
    readonly manifest: PolicyManifest,
    private readonly session: ort.InferenceSession,
    private readonly encoder: FeatureEncoder,
    private readonly vision: Perception,
  ) {
    this.prompted = manifest.conditioning !== 'none';
    this.privileged = vision.oracle;
  }

  get name(): string {
    return this.manifest.name;
  }

  get perception(): string {
    return this.vision.name;
  }

  static async load(manifestPath: string, perception: Perception, controlHz: number): Promise<OnnxChunkPolicy> {
    const manifest = loadPolicyManifest(manifestPath);
    const file = resolve(dirname(manifestPath), manifest.file);
    if (!existsSync(file)) throw new InputError(manifestPath, `file: ${file} does not exist`);
    if (manifest.controlHz !== controlHz) throw new InputError(manifestPath, `controlHz: trained at ${manifest.controlHz} Hz, the task runs at ${controlHz} Hz`);
    const encoder = await FeatureEncoder.load(resolve(dirname(manifestPath), manifest.encoder));
    const want = conditionedLength(encoder);
    if (manifest.inputs.features.shape.join() !== `1,${want}`) {
      throw new InputError(manifestPath, `inputs.features: shape [${manifest.inputs.features.shape.join(', ')}], but the encoder (${manifest.encoder}) with ${manifest.conditioning} conditioning gives [1, ${want}]`);
    }
    if (manifest.inputs.proprio.shape.join() !== `1,${PROPRIO_FIELDS.length}`) {
      throw new InputError(manifestPath, `inputs.proprio: shape must be [1, ${PROPRIO_FIELDS.length}] (${PROPRIO_FIELDS.join(', ')})`);
    }
    if (manifest.output.shape.join() !== `1,${manifest.chunkSize},${ACTION_FIELDS.length}`) {
      throw new InputError(manifestPath, `output: shape must be [1, chunkSize = ${manifest.chunkSize}, ${ACTION_FIELDS.length}] (${ACTION_FIELDS.join(', ')})`);
    }
    const session = await ort.InferenceSession.create(file, DETERMINISTIC_SESSION);
    checkSession(session, file, [manifest.inputs.features, manifest.inputs.proprio], [manifest.output]);
    const wrongType = [...session.inputMetadata, ...session.outputMetadata].find((m) => m.isTensor && m.type !== 'float32');
    if (wrongType) throw new InputError(file, `tensor "${wrongType.name}" is ${wrongType.isTensor ? wrongType.type : '?'}, the contract is float32`);
    return new OnnxChunkPolicy(manifest, session, encoder, perception);
  }

  async reset(ctx: PolicyContext, first: Observation): Promise<void> {
    this.track = null;
    this.tracker = null;
    const groundTruth = ctx.groundTruth;
    this.truth = this.vision.oracle && groundTruth ? () => groundTruth.frames().scene : undefined;
    if (!this.prompted) return;
    if (!ctx.prompt) throw new Error(`${this.name} needs a prompt box`);
    this.tracker = await this.vision.tracker(ctx.rng.stream('tracker'), this.truth);
    this.track = await this.tracker.init(first.frames.scene, ctx.prompt);
  }

  async act(observation: Observation): Promise<Action[]> {
    const frame = observation.frames.scene;
    if (this.tracker && observation.t > 0) this.track = await this.tracker.track(frame);
    // The tracker's image encoder has segmented this frame already when it gives a foreground.
    const foreground = this.track?.foreground ?? (await this.vision.foreground(frame, this.truth));
    const features = await conditionedFeatures(this.manifest.conditioning, this.encoder, frame, this.track, foreground, observation.cameras.scene);
    const { palm, opening, gripForce, gripper } = observation.proprio;
    const raw = [palm.x, palm.y, palm.z, palm.yaw, opening, gripForce, gripper];
    const { mean, std } = this.manifest.proprioNorm;
    raw.forEach((v, i) => (this.proprio[i] = (v - mean[i]) / std[i]));
    const out = await this.session.run({
      [this.manifest.inputs.features.name]: new ort.Tensor('float32', features, [1, features.length]),
      [this.manifest.inputs.proprio.name]: new ort.Tensor('float32', this.proprio, [1, this.proprio.length]),
    });
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
