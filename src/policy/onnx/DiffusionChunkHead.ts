import ort from 'onnxruntime-node';
import type { PolicyManifest } from '../../config/index.js';
import type { Rng } from '../../core/index.js';
import type { Action } from '../../env/index.js';
import type { OnnxSession } from '../../perception/index.js';
import { ChunkHead, openHeadSession } from './ChunkHead.js';
import { NoiseSchedule, type StepOptions } from './NoiseSchedule.js';

/**
 * A diffusion policy's head: the ONNX model is the denoiser, and this is the DDIM sampler around
 * it (Diffusion Policy's inference). Each chunk starts from Gaussian noise drawn from the episode's
 * own stream, so the same key gives the same chunk on any worker, and is denoised in a fixed
 * number of steps with the observation's tensors held fixed.
 */
export class DiffusionChunkHead extends ChunkHead {
  private readonly diffusion: NonNullable<PolicyManifest['diffusion']>;
  private readonly schedule: NoiseSchedule;
  private readonly timesteps: number[];
  private readonly sample: Float32Array;
  private readonly step = new Float32Array(1);
  /** The sample and step tensors wrap the two buffers above: the loop rewrites them in place. */
  private readonly loopTensors: Record<string, ort.Tensor>;
  private rng: Rng | null = null;
  /** The DDIM step's clip and eta, and its fresh noise (eta > 0) from the episode's stream, scaled like the start's. */
  private readonly stepOptions: StepOptions;

  private constructor(manifest: PolicyManifest, session: OnnxSession) {
    super(manifest, session);
    this.diffusion = manifest.diffusion!;
    const { trainSteps, inferenceSteps, sample } = this.diffusion;
    this.schedule = new NoiseSchedule(trainSteps);
    this.timesteps = this.schedule.inferenceTimesteps(inferenceSteps);
    this.sample = new Float32Array(sample.shape.reduce((a, b) => a * b, 1));
    const { timestep } = this.diffusion;
    const { clipSample, eta, temperature } = this.diffusion;
    this.stepOptions = { clip: clipSample, eta, noise: () => temperature * this.rng!.normal() };
    this.loopTensors = { [sample.name]: new ort.Tensor('float32', this.sample, sample.shape), [timestep.name]: new ort.Tensor('float32', this.step, timestep.shape) };
  }

  static override async load(manifest: PolicyManifest, file: string, manifestPath: string): Promise<DiffusionChunkHead> {
    return new DiffusionChunkHead(manifest, await openHeadSession(manifest, file, manifestPath));
  }

  override reset(rng: Rng): void {
    this.rng = rng;
  }

  override async run(feeds: Record<string, ort.Tensor>): Promise<Action[]> {
    if (!this.rng) throw new Error(`${this.manifest.name}: run before reset`);
    const { prediction, temperature } = this.diffusion;
    // Drawn at every temperature, 0 included: the stream's position never depends on it.
    for (let i = 0; i < this.sample.length; i++) this.sample[i] = temperature * this.rng.normal();
    const options = this.stepOptions;
    const inputs = { ...feeds, ...this.loopTensors };
    for (let i = 0; i < this.timesteps.length; i++) {
      this.step[0] = this.timesteps[i];
      const out = await this.session.run(inputs);
      this.schedule.step(this.sample, out[this.manifest.output.name].data as Float32Array, this.timesteps[i], this.timesteps[i + 1] ?? -1, prediction, options);
    }
    return this.toActions(this.sample);
  }
}

/** The head a manifest describes: the DDIM sampler around a denoiser, or a regression head. */
export function loadChunkHead(manifest: PolicyManifest, file: string, manifestPath: string): Promise<ChunkHead> {
  return manifest.diffusion ? DiffusionChunkHead.load(manifest, file, manifestPath) : ChunkHead.load(manifest, file, manifestPath);
}
