import { policyRng, type EpisodeKey } from '../../core/index.js';
import type { Env, Observation, ResetInfo } from '../../env/index.js';
import { boxIou, boxWhere, isBlackedOut, type Box, type Perception, type PromptableTracker, type TrackResult } from '../../perception/index.js';
import { isSceneObjectId, objectSegmentId, type Frame } from '../../render/index.js';
import { detectPrompt } from './detectPrompt.js';
import type { EpisodeHooks } from './EpisodeHooks.js';

/** How well perception followed the target in one episode. */
export interface TrackingMetrics {
  /** IoU of the detector's prompt box with the target's true box at t = 0 (0 on a miss). */
  promptIou: number;
  /** Mean IoU of the tracked mask with the target's true pixels, over steps where it shows. */
  trackIou: number | null;
  /** The same over the steps whose frames the policy lost (blacked out). */
  trackIouBlind: number | null;
  /** Times the mask went from lying mostly on the target to lying mostly on another object. */
  switches: number;
}

/** Steps where the target shows fewer true pixels than this are not scored. */
const MIN_TRUE_PIXELS = 5;

/**
 * Runs the prompt detector and a tracker beside the policy, on the frames the policy sees, and
 * scores the tracked mask against the ground truth's segment ids (which blackouts do not take).
 * Its tracker draws from the same stream as the policy's, so with a noisy oracle it follows what
 * the policy's tracker follows. It observes only: the episode runs exactly as without it.
 */
export class TrackingProbe implements EpisodeHooks {
  private tracker: PromptableTracker | null = null;
  private targetId = 0;
  private promptIou = 0;
  private scores: { iou: number; blind: boolean }[] = [];
  private onTarget: boolean | null = null;
  private switches = 0;
  /** Each step's tracker answer, for pictures. */
  readonly history: { prompt: Box | null; result: TrackResult | null }[] = [];

  constructor(
    private readonly env: Env,
    private readonly perception: Perception,
  ) {}

  async onReset(observation: Observation, info: ResetInfo, key: EpisodeKey): Promise<void> {
    this.targetId = objectSegmentId(info.target);
    this.scores = [];
    this.onTarget = null;
    this.switches = 0;
    this.history.length = 0;
    const truth = this.env.trueFrames().scene;
    const prompt = detectPrompt(this.env, key, info);
    const box = boxWhere(truth.width, truth.height, (i) => truth.ids[i] === this.targetId);
    this.promptIou = prompt && box ? boxIou(prompt, box) : 0;
    this.tracker = prompt ? await this.perception.tracker(policyRng(key).stream('tracker'), () => this.env.trueFrames().scene) : null;
    this.history.push({ prompt, result: this.tracker && prompt ? await this.tracker.init(observation.frames.scene, prompt) : null });
  }

  async onStep(observation: Observation): Promise<void> {
    if (observation.t === 0 || !this.tracker) return;
    const frame = observation.frames.scene;
    const result = await this.tracker.track(frame);
    this.history.push({ prompt: null, result });
    const truth = this.env.trueFrames().scene;
    const iou = maskIou(result.mask, truth, this.targetId);
    if (iou !== null) this.scores.push({ iou, blind: isBlackedOut(frame) });
    const onTarget = liesOnTarget(result.mask, truth, this.targetId);
    if (onTarget === false && this.onTarget === true) this.switches++;
    if (onTarget !== null) this.onTarget = onTarget;
  }

  metrics(): TrackingMetrics {
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return {
      promptIou: this.promptIou,
      trackIou: mean(this.scores.filter((s) => !s.blind).map((s) => s.iou)),
      trackIouBlind: mean(this.scores.filter((s) => s.blind).map((s) => s.iou)),
      switches: this.switches,
    };
  }
}

/** IoU of a mask with the target's true pixels, or null when the target hardly shows. */
export function maskIou(mask: Uint8Array, truth: Frame, id: number): number | null {
  let inter = 0, union = 0, count = 0;
  for (let i = 0; i < mask.length; i++) {
    const t = truth.ids[i] === id;
    if (t) count++;
    if (t && mask[i]) inter++;
    if (t || mask[i]) union++;
  }
  return count < MIN_TRUE_PIXELS ? null : inter / union;
}

/** Whether most of the mask's object pixels are the target's; null when it covers no object. */
function liesOnTarget(mask: Uint8Array, truth: Frame, id: number): boolean | null {
  let target = 0, other = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const seg = truth.ids[i];
    if (seg === id) target++;
    else if (isSceneObjectId(seg)) other++;
  }
  return target + other === 0 ? null : target >= other;
}
