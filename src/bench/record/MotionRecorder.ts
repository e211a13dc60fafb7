import type { Env, Observation, ResetInfo } from '../../env/index.js';
import type { Box } from '../../perception/index.js';
import type { EpisodeHooks } from '../episode/EpisodeHooks.js';
import { POSE_STRIDE } from './EpisodeMotion.js';
import { encodeMotion } from './motionCodec.js';

/**
 * Records an episode's motion beside the policy: every body's pose at each step it acts on, its
 * gripper command and, for a prompted policy, its tracker's box; then the exact state at the end.
 * It reads the live world (ground truth, for the record, never for the policy) and changes nothing.
 */
export class MotionRecorder implements EpisodeHooks {
  private frames: Float32Array[] = [];
  private gripper: number[] = [];
  private boxes: number[] = [];
  private objects: string[] = [];
  private target = 0;

  constructor(
    private readonly env: Env,
    private readonly prompted: boolean,
  ) {}

  onReset(_observation: Observation, info: ResetInfo): void {
    this.frames = [];
    this.gripper = [];
    this.boxes = [];
    this.objects = this.env.privileged().objects.map((o) => o.desc.name);
    this.target = info.target;
  }

  onStep(_observation: Observation, gripperCommand: number, trackedBox?: Box | null): void {
    this.frames.push(this.env.unwrapped.bodyPoses());
    this.gripper.push(gripperCommand);
    if (!this.prompted) return;
    if (trackedBox) this.boxes.push(trackedBox.x0, trackedBox.y0, trackedBox.x1, trackedBox.y1);
    else this.boxes.push(NaN, NaN, NaN, NaN);
  }

  /** The episode's record, once it has ended: `unit` names its row. */
  finish(unit: string): Uint8Array {
    const last = this.env.unwrapped.bodyPoses();
    const bodies = last.length / POSE_STRIDE;
    const poses = new Float32Array((this.frames.length + 1) * last.length);
    [...this.frames, last].forEach((frame, t) => poses.set(frame, t * last.length));
    return encodeMotion({
      unit,
      objects: this.objects,
      target: this.target,
      bodies,
      hasPusher: bodies > this.objects.length + 3,
      steps: this.frames.length,
      poses,
      gripper: Float32Array.from(this.gripper),
      boxes: this.prompted ? Float32Array.from(this.boxes) : null,
    });
  }
}
