import type { EpisodeKey } from '../core/index.js';
import type { Action, GraspEnv, Observation, Outcome, ResetInfo } from '../env/index.js';
import type { Policy, RobotInfo } from '../policy/index.js';

/** Everything one episode produced, before it becomes a CSV row. */
export interface EpisodeResult {
  key: EpisodeKey;
  policy: string;
  reset: ResetInfo;
  outcome: Outcome;
  /** Control steps taken. */
  steps: number;
  /** Hash of the exact physics state at the end. */
  stateHash: string;
}

const NO_ACTION: Action = { x: NaN, y: NaN, z: NaN, yaw: NaN, gripper: NaN };

/** Hooks into the loop, for recorders; they must not change what happens. */
export interface EpisodeHooks {
  /** Called with each observation the policy acted on and the gripper command it chose. */
  onStep?(observation: Observation, gripperCommand: number): void;
}

/**
 * Runs one episode: reset the env to the key, reset the policy, then query the policy at every
 * control step and execute the first action of its chunk until the env ends the episode. An
 * empty chunk counts as an invalid action.
 */
export function runEpisode(env: GraspEnv, policy: Policy, key: EpisodeKey, hooks: EpisodeHooks = {}): EpisodeResult {
  const { observation, info } = env.reset(key);
  policy.reset({
    key,
    robot: robotInfo(env),
    privileged: policy.privileged ? () => env.privileged() : undefined,
  });
  let obs = observation;
  for (;;) {
    const chunk = policy.act(obs);
    const action = chunk[0] ?? NO_ACTION;
    hooks.onStep?.(obs, action.gripper);
    const result = env.step(action);
    if (result.outcome) {
      return { key, policy: policy.name, reset: info, outcome: result.outcome, steps: result.observation.t, stateHash: env.stateHash() };
    }
    obs = result.observation;
  }
}

function robotInfo(env: GraspEnv): RobotInfo {
  const { gripper, control } = env.task.spec;
  return { controlHz: control.controlHz, maxOpening: gripper.maxOpening, maxSpeed: gripper.maxSpeed, maxYawRate: gripper.maxYawRate };
}
