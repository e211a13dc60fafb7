import type { EpisodeKey } from '../../core/index.js';
import type { Observation, ResetInfo } from '../../env/index.js';
import type { Box } from '../../perception/index.js';

/** Hooks into the loop, for recorders and probes; they must not change what happens. */
export interface EpisodeHooks {
  /** Called once the env is reset, before the policy acts. */
  onReset?(observation: Observation, info: ResetInfo, key: EpisodeKey): void | Promise<void>;
  /** Called before each query of the policy: where episodes stepped together wait for each other (Lockstep). */
  beforeAct?(): void | Promise<void>;
  /**
   * Called with each observation the policy acted on, the gripper command it chose and, for a
   * prompted policy, the box its tracker follows (null: none).
   */
  onStep?(observation: Observation, gripperCommand: number, trackedBox?: Box | null): void | Promise<void>;
}

/** Several hooks as one, called in order. */
export function combineHooks(...all: EpisodeHooks[]): EpisodeHooks {
  return {
    async onReset(observation, info, key) {
      for (const h of all) await h.onReset?.(observation, info, key);
    },
    async beforeAct() {
      for (const h of all) await h.beforeAct?.();
    },
    async onStep(observation, gripper, trackedBox) {
      for (const h of all) await h.onStep?.(observation, gripper, trackedBox);
    },
  };
}
