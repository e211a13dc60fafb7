import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadPolicyManifest, type PolicyManifest } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import type { Action, Observation } from '../../env/index.js';
import type { Box, Perception } from '../../perception/index.js';
import type { Policy, PolicyContext } from '../Policy.js';
import type { ChunkHead } from './ChunkHead.js';
import { loadChunkHead } from './DiffusionChunkHead.js';
import { ObservationEncoder } from './ObservationEncoder.js';
import type { CameraSizes } from './observationRoles.js';

/**
 * Any policy that follows the ONNX policy contract (see the README): an observation encoder makes
 * the tensors its manifest asks for, by role, and the ONNX chunk head maps them to K actions (a
 * diffusion policy's denoiser, with the DDIM sampler around it).
 * Loading checks the contract and fails with one line naming the problem. It reads sensors only,
 * unless its perception is an oracle: then it declares itself `privileged` and is handed the
 * ground-truth channel, for the oracle alone.
 */
export class OnnxChunkPolicy implements Policy {
  readonly privileged: boolean;
  readonly prompted: boolean;
  readonly perception: string | undefined;

  private constructor(
    readonly manifest: PolicyManifest,
    private readonly observations: ObservationEncoder,
    private readonly head: ChunkHead,
  ) {
    this.prompted = manifest.prompted;
    this.privileged = observations.vision?.oracle ?? false;
    this.perception = observations.vision?.name;
  }

  get name(): string {
    return this.manifest.name;
  }

  /** `perception` is loaded only if the model reads something it makes. */
  static async load(manifestPath: string, task: { controlHz: number; cameras: CameraSizes }, perception: () => Promise<Perception>): Promise<OnnxChunkPolicy> {
    const manifest = loadPolicyManifest(manifestPath);
    const file = resolve(dirname(manifestPath), manifest.file);
    if (!existsSync(file)) throw new InputError(manifestPath, `file: ${file} does not exist`);
    if (manifest.controlHz !== task.controlHz) throw new InputError(manifestPath, `controlHz: trained at ${manifest.controlHz} Hz, the task runs at ${task.controlHz} Hz`);
    const observations = await ObservationEncoder.create(manifest, manifestPath, task.cameras, perception);
    return new OnnxChunkPolicy(manifest, observations, await loadChunkHead(manifest, file, manifestPath));
  }

  reset(ctx: PolicyContext, first: Observation): Promise<void> {
    this.head.reset(ctx.rng.stream('sampler'));
    return this.observations.reset(ctx, first);
  }

  async act(observation: Observation): Promise<Action[]> {
    return this.head.run(await this.observations.encode(observation));
  }

  trackedBox(): Box | null {
    return this.observations.trackedBox();
  }
}
