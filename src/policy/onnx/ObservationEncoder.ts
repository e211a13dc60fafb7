import { dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import type { ObservationRole, PolicyManifest } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import { handBoxesAt, type Observation } from '../../env/index.js';
import { conditionedFeatures, conditionedLength, FeatureEncoder, type Box, type Perception, type PromptableTracker, type TrackResult, type TrueSceneFrame } from '../../perception/index.js';
import type { PolicyContext } from '../Policy.js';
import { ROLES, type CameraSizes, type RoleInput } from './observationRoles.js';

/**
 * Turns each observation into the named tensors a policy's manifest asks for, one role at a time,
 * and nothing more: the tracker runs only for a model that reads its mask (or features conditioned
 * on it), the frozen encoder only for one that reads `observation.features`.
 */
export class ObservationEncoder {
  private tracker: PromptableTracker | null = null;
  private track: TrackResult | null = null;
  private prompt: Box | null = null;
  private truth: TrueSceneFrame | undefined;
  private maxOpening = 0;

  private constructor(
    private readonly manifest: PolicyManifest,
    private readonly roles: ObservationRole[],
    private readonly encoder: FeatureEncoder | null,
    /** Null when the model reads nothing our perception makes (pixels, depth, state and the box only). */
    readonly vision: Perception | null,
  ) {}

  /**
   * Checks every role's declared shape against the task's cameras (and the frozen encoder, for
   * features), in one line naming the role, and loads only the perception the roles need.
   */
  static async create(manifest: PolicyManifest, manifestPath: string, cameras: CameraSizes, perception: () => Promise<Perception>): Promise<ObservationEncoder> {
    const roles = Object.keys(manifest.inputs) as ObservationRole[];
    const encoder = manifest.inputs['observation.features'] ? await FeatureEncoder.load(resolve(dirname(manifestPath), manifest.encoder!)) : null;
    const featureLength = encoder ? conditionedLength(encoder) : 0;
    for (const role of roles) {
      const expected = ROLES[role].shape(cameras, featureLength);
      const found = manifest.inputs[role]!.shape;
      if (found.join() !== expected.join()) {
        throw new InputError(manifestPath, `inputs.${role}: shape [${found.join(', ')}], expected [${expected.join(', ')}] (${shapeSource(role, manifest, cameras)})`);
      }
    }
    const readsPerception = encoder !== null || roles.includes('observation.prompt.mask');
    return new ObservationEncoder(manifest, roles, encoder, readsPerception ? await perception() : null);
  }

  /** The tracker follows the target only for models that read where it is. */
  private get readsTrack(): boolean {
    return this.roles.includes('observation.prompt.mask') || (this.encoder !== null && this.manifest.conditioning !== 'none');
  }

  async reset(ctx: PolicyContext, first: Observation): Promise<void> {
    this.track = null;
    this.tracker = null;
    this.prompt = ctx.prompt ?? null;
    this.maxOpening = ctx.robot.maxOpening;
    const groundTruth = ctx.groundTruth;
    this.truth = this.vision?.oracle && groundTruth ? () => groundTruth.frames().scene : undefined;
    if (!this.manifest.prompted) return;
    if (!ctx.prompt) throw new Error(`${this.manifest.name} needs a prompt box`);
    if (!this.vision || !this.readsTrack) return;
    this.tracker = await this.vision.tracker(ctx.rng.stream('tracker'), this.truth);
    this.track = await this.tracker.init(first.frames.scene, ctx.prompt);
  }

  /** The tracker's box now: null before a prompt, when lost, or for a model that does not track. */
  trackedBox(): Box | null {
    return this.track?.box ?? null;
  }

  /** The model's feeds for this step, by its tensor names. */
  async encode(observation: Observation): Promise<Record<string, ort.Tensor>> {
    if (this.tracker && observation.t > 0) this.track = await this.tracker.track(observation.frames.scene);
    const input: RoleInput = { observation, manifest: this.manifest, prompt: this.prompt, track: this.track, features: () => this.features(observation) };
    const feeds: Record<string, ort.Tensor> = {};
    for (const role of this.roles) {
      const { name, shape } = this.manifest.inputs[role]!;
      feeds[name] = new ort.Tensor('float32', await ROLES[role].encode(input), shape);
    }
    return feeds;
  }

  private async features(observation: Observation): Promise<Float32Array> {
    const frame = observation.frames.scene;
    // The tracker's image encoder has segmented this frame already when it gives a foreground.
    const foreground = this.track?.foreground ?? (await this.vision!.foreground(frame, this.truth));
    const { palm, opening } = observation.proprio;
    return conditionedFeatures(this.manifest.conditioning, this.encoder!, frame, this.track, foreground, observation.cameras.scene, handBoxesAt(palm, opening, this.maxOpening));
  }
}

/** Where a role's expected shape comes from, for the error line. */
function shapeSource(role: ObservationRole, manifest: PolicyManifest, cameras: CameraSizes): string {
  if (role === 'observation.features') return `the encoder ${manifest.encoder} with ${manifest.conditioning} conditioning`;
  const camera = role.endsWith('.wrist') ? 'wrist' : 'scene';
  if (/images|depth|mask/.test(role)) return `the task's ${camera} camera is ${cameras[camera].width} x ${cameras[camera].height}`;
  return 'the contract';
}
