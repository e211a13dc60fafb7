import type { EpisodeKey } from '../../core/index.js';
import type { Env, ResetInfo } from '../../env/index.js';
import { promptFor, type Box } from '../../perception/index.js';
import { objectSegmentId } from '../../render/index.js';

/**
 * The simulated upstream detector's box around the target in the t = 0 scene frame, seeded by the
 * scene so every policy (and every probe) gets the same one. The detector stands for the task's
 * specification of the target, so it reads the ground truth.
 */
export function detectPrompt(env: Env, key: EpisodeKey, info: ResetInfo): Box | null {
  return promptFor(env.task.spec.perception.detector, key, env.trueFrames().scene, objectSegmentId(info.target));
}
