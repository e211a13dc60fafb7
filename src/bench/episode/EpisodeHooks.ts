import type { EpisodeKey } from '../../core/index.js';
import type { Observation, ResetInfo } from '../../env/index.js';

/** Hooks into the loop, for recorders and probes; they must not change what happens. */
export interface EpisodeHooks {
  /** Called once the env is reset, before the policy acts. */
  onReset?(observation: Observation, info: ResetInfo, key: EpisodeKey): void | Promise<void>;
  /** Called with each observation the policy acted on and the gripper command it chose. */
  onStep?(observation: Observation, gripperCommand: number): void | Promise<void>;
}

/** Several hooks as one, called in order. */
export function combineHooks(...all: EpisodeHooks[]): EpisodeHooks {
  return {
    async onReset(observation, info, key) {
      for (const h of all) await h.onReset?.(observation, info, key);
    },
    async onStep(observation, gripper) {
      for (const h of all) await h.onStep?.(observation, gripper);
    },
  };
}
