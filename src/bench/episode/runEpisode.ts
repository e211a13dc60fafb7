import { policyRng, type EpisodeKey } from '../../core/index.js';
import type { Action, Env, Outcome, ResetInfo } from '../../env/index.js';
import type { Box } from '../../perception/index.js';
import { groundTruthOf, robotInfoOf, type Policy } from '../../policy/index.js';
import { detectPrompt } from './detectPrompt.js';
import type { EpisodeHooks } from './EpisodeHooks.js';
import type { TrackingMetrics } from './TrackingProbe.js';

/** Everything one episode produced, before it becomes a CSV row. */
export interface EpisodeResult {
  key: EpisodeKey;
  policy: string;
  /** What perceived for the policy (`learned`, `oracle`, `sam2:<name>`), or empty (the expert). */
  perception: string;
  reset: ResetInfo;
  outcome: Outcome;
  /** The prompt box given to a prompted policy (null: the detector missed; undefined: not asked). */
  prompt?: Box | null;
  /** Control steps taken. */
  steps: number;
  /** Hash of the exact physics state at the end. */
  stateHash: string;
  /** Perception's tracking quality, when a tracking probe ran beside the policy. */
  tracking?: TrackingMetrics;
}

const NO_ACTION: Action = { x: NaN, y: NaN, z: NaN, yaw: NaN, gripper: NaN };

/**
 * Runs one episode: reset the env to the key; for a prompted policy, ask the detector for the
 * target's box in the t = 0 scene frame (a miss ends the episode as `no_prompt`); reset the policy;
 * then query it at every control step and execute the first action of its chunk until the env
 * ends the episode. An empty chunk counts as an invalid action.
 */
export async function runEpisode(env: Env, policy: Policy, key: EpisodeKey, hooks: EpisodeHooks = {}): Promise<EpisodeResult> {
  const { observation, info } = env.reset(key);
  await hooks.onReset?.(observation, info, key);
  const prompt = policy.prompted ? detectPrompt(env, key, info) : undefined;
  if (prompt === null) {
    const outcome: Outcome = { successTarget: false, successAny: false, liftedObject: null, failureReason: 'no_prompt', graspError: null, closingPoint: null, closingToNearest: null, closingToCentroid: null, closingToPrepush: null };
    return { key, policy: policy.name, perception: policy.perception ?? '', reset: info, outcome, prompt, steps: 0, stateHash: env.stateHash() };
  }
  await policy.reset({ robot: robotInfoOf(env), rng: policyRng(key), groundTruth: policy.privileged ? groundTruthOf(env) : undefined, prompt }, observation);
  let obs = observation;
  for (;;) {
    await hooks.beforeAct?.();
    const chunk = await policy.act(obs);
    const action = chunk[0] ?? NO_ACTION;
    if (hooks.onStep) await hooks.onStep(obs, action.gripper, policy.trackedBox?.());
    const result = env.step(action);
    if (result.outcome) {
      return { key, policy: policy.name, perception: policy.perception ?? '', reset: info, outcome: result.outcome, prompt, steps: result.observation.t, stateHash: env.stateHash() };
    }
    obs = result.observation;
  }
}
