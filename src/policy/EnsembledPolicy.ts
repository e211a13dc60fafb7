import type { Action, Observation } from '../env/index.js';
import type { Box } from '../perception/index.js';
import type { Policy, PolicyContext } from './Policy.js';
import { TemporalEnsembler } from './TemporalEnsembler.js';

export interface ExecutionOptions {
  ensemble: boolean;
  ensembleM: number;
  queryEvery: number;
  latencySteps: number;
}

/**
 * Executes a chunk policy as ACT does, emulating asynchronous inference: the inner policy is
 * queried every `queryEvery` control steps, each chunk becomes usable `latencySteps` later, and
 * the action of each step is the temporal ensemble of every usable chunk covering it (the paper
 * ran its policy at ~20 Hz against ~100 Hz control). Until the first chunk is usable the hand
 * holds still. Returns one action per step.
 */
export class EnsembledPolicy implements Policy {
  private readonly ensembler: TemporalEnsembler;
  private hold: Action | null = null;

  constructor(
    private readonly inner: Policy,
    private readonly options: ExecutionOptions,
  ) {
    this.ensembler = new TemporalEnsembler(options.ensembleM, options.ensemble);
  }

  get name(): string {
    return this.inner.name;
  }

  get privileged(): boolean {
    return this.inner.privileged;
  }

  get perception(): string | undefined {
    return this.inner.perception;
  }

  get prompted(): boolean | undefined {
    return this.inner.prompted;
  }

  trackedBox(): Box | null {
    return this.inner.trackedBox?.() ?? null;
  }

  async reset(ctx: PolicyContext, first: Observation): Promise<void> {
    this.ensembler.reset();
    const { x, y, z, yaw } = first.proprio.palm;
    this.hold = { x, y, z, yaw, gripper: first.proprio.gripper };
    await this.inner.reset(ctx, first);
  }

  async act(observation: Observation): Promise<Action[]> {
    const t = observation.t;
    if (t % this.options.queryEvery === 0) this.ensembler.add(t, await this.inner.act(observation), this.options.latencySteps);
    const action = this.ensembler.actionAt(t) ?? this.hold!;
    this.hold = action;
    return [action];
  }
}
