import type { Rng } from '../core/index.js';
import type { Action, Env, Observation, PrivilegedState } from '../env/index.js';
import type { Box } from '../perception/index.js';

/** What every policy may know of the robot: public facts of the hardware and the control loop. */
export interface RobotInfo {
  controlHz: number;
  maxOpening: number;
  /** Palm speed limits (m/s, rad/s). */
  maxSpeed: number;
  maxYawRate: number;
}

/**
 * The ground-truth channel: the scene's true state and the true frames (segment ids included) of
 * the current step. Only policies that declare `privileged` get it: the scripted expert, and
 * policies whose perception is an oracle.
 */
export interface GroundTruth {
  state(): PrivilegedState;
  frames(): ReturnType<Env['trueFrames']>;
}

/** What every policy may know of the robot: public facts of the task's hardware and control loop. */
export function robotInfoOf(env: Env): RobotInfo {
  const { gripper, control } = env.task.spec;
  return { controlHz: control.controlHz, maxOpening: gripper.maxOpening, maxSpeed: gripper.maxSpeed, maxYawRate: gripper.maxYawRate };
}

/** The env's ground-truth channel, for the policies that declare `privileged`. */
export function groundTruthOf(env: Env): GroundTruth {
  return { state: () => env.privileged(), frames: () => env.trueFrames() };
}

/** Handed to a policy at the start of each episode. */
export interface PolicyContext {
  robot: RobotInfo;
  /**
   * The policy's own random stream for this episode (a tracker's noise, a sampler's draws): seeded
   * from the episode's scene, so every run replays it, but opaque: it does not name the episode.
   */
  rng: Rng;
  /** Given only to policies that declare `privileged`. */
  groundTruth?: GroundTruth;
  /** The detector's box around the target in the t = 0 scene frame, for policies that declare `prompted`. */
  prompt?: Box;
}

/**
 * A policy, LeRobot-style: `reset` at every episode start, then `act` returns a chunk of future
 * actions (K x action, the first to be executed now). Learned policies and the scripted expert
 * share this face and the same control loop.
 */
export interface Policy {
  readonly name: string;
  /** Reads the ground-truth channel: the scripted expert, and policies with an oracle perception. */
  readonly privileged: boolean;
  /** What perceives for it, for the results' `perception` column: `learned`, `oracle`, `sam2:<name>`, or empty. */
  readonly perception?: string;
  /** Needs a prompt box at t = 0; without one the episode fails as `no_prompt`. */
  readonly prompted?: boolean;
  reset(ctx: PolicyContext, first: Observation): void | Promise<void>;
  act(observation: Observation): Action[] | Promise<Action[]>;
  /** Prompted policies with a tracker: the box it follows now (null: lost), for recordings only. */
  trackedBox?(): Box | null;
}
