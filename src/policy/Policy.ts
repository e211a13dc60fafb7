import type { EpisodeKey } from '../core/index.js';
import type { Action, Observation, PrivilegedState } from '../env/index.js';
import type { Box } from '../perception/index.js';

/** What every policy may know of the robot: public facts of the hardware and the control loop. */
export interface RobotInfo {
  controlHz: number;
  maxOpening: number;
  /** Palm speed limits (m/s, rad/s). */
  maxSpeed: number;
  maxYawRate: number;
}

/** Handed to a policy at the start of each episode. */
export interface PolicyContext {
  key: EpisodeKey;
  robot: RobotInfo;
  /** The scene's true state, given only to policies that declare `privileged` (the expert). */
  privileged?: () => PrivilegedState;
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
  /** Reads privileged state: only the scripted expert may. */
  readonly privileged: boolean;
  /** Needs a prompt box at t = 0; without one the episode fails as `no_prompt`. */
  readonly prompted?: boolean;
  reset(ctx: PolicyContext, first: Observation): void | Promise<void>;
  act(observation: Observation): Action[] | Promise<Action[]>;
}
