import { episodeRng, InputError, type EpisodeKey, type Rng } from '../core/index.js';
import { createSensorFrame, type Frame, type SensorFrame } from '../render/index.js';
import type { Task } from '../sim/index.js';
import type { Action, Env, GraspEnvLike, Observation, PerCamera, PrivilegedState, ResetInfo, StepResult } from './types.js';

/**
 * How frames are taken from the policy (the paper's Table III and two harder tests):
 * - `frames`: each control step independently, with probability p, both cameras go black;
 * - `windows`: contiguous blackouts of `length` steps, starting so that a share p of steps is black;
 * - `distractor`: no blackout; a render-only card passes between the scene camera and the target
 *   in windows of `length` steps (a share p of steps), hiding it while it passes;
 * - `push`: the windows of `windows`, and at p > 0 one more, of `length` steps from the step a
 *   task's pusher is planned to strike: the camera is blind while the target moves, so a policy
 *   must re-acquire it from memory where it went, not where it was.
 */
export type OcclusionMode = { kind: 'frames' } | { kind: 'windows' | 'distractor' | 'push'; length: number };

/** `frames`, `windows:L` or `distractor:L`, as the CLI and CSV write it. */
export function formatOcclusionMode(mode: OcclusionMode): string {
  return mode.kind === 'frames' ? 'frames' : `${mode.kind}:${mode.length}`;
}

export function parseOcclusionMode(text: string, where = '--occlusion-mode'): OcclusionMode {
  if (text === 'frames') return { kind: 'frames' };
  const match = /^(windows|distractor|push):(\d+)$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 1000) {
    throw new InputError(where, `expected frames, windows:L, distractor:L or push:L with L from 1 to 1000, got "${text}"`);
  }
  return { kind: match[1] as 'windows' | 'distractor' | 'push', length: Number(match[2]) };
}

/** The random stream of the occlusion schedule: from the whole key, occlusion level included. */
const STREAM = 'occlusion';
/** The card flies this far along the line from the target to the scene camera. */
const CARD_ALONG_SIGHT_LINE = 0.35;
/** ... and sweeps this far across it during a pass, metres. */
const CARD_SWEEP = 0.12;

/**
 * Takes frames away from the policy, Gymnasium-wrapper style: forwards everything, overrides the
 * observation's frames. The schedule is drawn at reset from the episode key's own stream, so it
 * replays exactly and is the same for every policy. Blacked-out frames have zero RGB and depth,
 * and no ids at all; the ground-truth channel (`trueFrames`) still shows the scene, for the
 * metrics. Step 0, whose scene frame the prompt comes from, is never taken.
 */
export class OcclusionWrapper implements Env {
  private schedule: boolean[] = [];
  private readonly black: PerCamera<SensorFrame>;
  private sweep: { from: number } | null = null;

  constructor(
    private readonly env: Env,
    readonly level: number,
    readonly mode: OcclusionMode,
  ) {
    if (!(level >= 0 && level < 1)) throw new InputError('--occlusion', `must be at least 0 and below 1, got ${level}`);
    const { scene, wrist } = env.task.spec.cameras;
    this.black = { scene: createSensorFrame(scene.width, scene.height), wrist: createSensorFrame(wrist.width, wrist.height) };
  }

  get task(): Task {
    return this.env.task;
  }

  get unwrapped(): GraspEnvLike {
    return this.env.unwrapped;
  }

  reset(key: EpisodeKey): { observation: Observation; info: ResetInfo } {
    const { control } = this.env.task.spec;
    this.schedule = drawSchedule(episodeRng(key).stream(STREAM), this.level, this.mode, Math.round(control.horizon * control.controlHz) + 1);
    this.sweep = null;
    const result = this.env.reset(key);
    if (this.mode.kind === 'push') this.coverPush(this.env.privileged().pushPlannedStep);
    return { ...result, observation: this.occlude(result.observation) };
  }

  step(action: Action): StepResult {
    const result = this.env.step(action);
    return { ...result, observation: this.occlude(result.observation) };
  }

  /** Blacks out the `push` window from the pusher's planned stroke (no push planned: nothing more). */
  private coverPush(start: number | undefined): void {
    if (this.level === 0 || start === undefined || this.mode.kind !== 'push') return;
    for (let t = Math.max(1, start); t < Math.min(this.schedule.length, start + this.mode.length); t++) this.schedule[t] = true;
  }

  /** Whether step t's frames are taken (or, for the distractor, the card passes). */
  isOccluded(t: number): boolean {
    return this.schedule[t] ?? false;
  }

  private occlude(observation: Observation): Observation {
    const t = observation.t;
    if (this.mode.kind === 'distractor') {
      this.placeCard(t);
      return observation;
    }
    if (!this.isOccluded(t)) return observation;
    return { ...observation, frames: this.black };
  }

  /** Flies the card across the line of sight from the scene camera to the target while a pass lasts. */
  private placeCard(t: number): void {
    const base = this.env.unwrapped;
    if (!this.isOccluded(t)) {
      this.sweep = null;
      base.setDistractor(null);
      return;
    }
    this.sweep ??= { from: t };
    const length = this.mode.kind === 'distractor' ? this.mode.length : 1;
    const progress = length > 1 ? (t - this.sweep.from) / (length - 1) - 0.5 : 0;
    const state = base.privileged();
    const target = state.objects[state.target].position;
    const eye = base.sceneCameraPosition();
    const k = CARD_ALONG_SIGHT_LINE;
    const x = target.x + k * (eye.x - target.x) + progress * CARD_SWEEP;
    base.setDistractor({ position: { x, y: target.y + k * (eye.y - target.y), z: target.z + k * (eye.z - target.z) }, yaw: 0 });
  }

  privileged(): PrivilegedState {
    return this.env.privileged();
  }

  trueFrames(): PerCamera<Frame> {
    return this.env.trueFrames();
  }

  stateHash(): string {
    return this.env.stateHash();
  }

  close(): void {
    this.env.close();
  }
}

/**
 * Which steps are occluded. One draw per step whatever happens, so schedules at different levels
 * of the same episode stay comparable. Windows start with probability q = p / (L (1 - p) + p) at
 * steps outside a window, which makes the long-run share of occluded steps p.
 */
function drawSchedule(rng: Rng, p: number, mode: OcclusionMode, steps: number): boolean[] {
  const out: boolean[] = [];
  if (mode.kind === 'frames') {
    for (let t = 0; t < steps; t++) out.push(rng.next() < p && t > 0);
    return out;
  }
  const q = p / (mode.length * (1 - p) + p);
  let remaining = 0;
  for (let t = 0; t < steps; t++) {
    const u = rng.next();
    if (remaining === 0 && t > 0 && u < q) remaining = mode.length;
    out.push(remaining > 0);
    if (remaining > 0) remaining--;
  }
  return out;
}
