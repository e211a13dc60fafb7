import { sceneRng, type EpisodeKey } from '../core/index.js';
import type { Env, Observation, ResetInfo } from '../env/index.js';
import { boxIou, boxWhere, isBlackedOut, type Box, type PromptableTracker, type TrackResult } from '../perception/index.js';
import { objectSegmentId, type Frame } from '../render/index.js';
import { detectPrompt, type EpisodeHooks } from './runEpisode.js';

/** How well perception followed the target in one episode. */
export interface TrackingMetrics {
  /** IoU of the detector's prompt box with the target's true box at t = 0 (0 on a miss). */
  promptIou: number;
  /** Mean IoU of the tracked mask with the target's true pixels, over steps where it shows. */
  trackIou: number | null;
  /** The same over the steps whose frames the policy lost (blacked out). */
  trackIouBlind: number | null;
}

/** Steps where the target shows fewer true pixels than this are not scored. */
const MIN_TRUE_PIXELS = 5;

/**
 * Runs the prompt detector and a tracker beside the policy, on the frames the policy sees, and
 * scores the tracked mask against the true segment ids (which blackouts keep). It observes only:
 * the episode runs exactly as without it.
 */
export class TrackingProbe implements EpisodeHooks {
  private tracker: PromptableTracker | null = null;
  private targetId = 0;
  private promptIou = 0;
  private scores: { iou: number; blind: boolean }[] = [];
  /** Each step's tracker answer, for pictures. */
  readonly history: { prompt: Box | null; result: TrackResult | null }[] = [];

  constructor(
    private readonly env: Env,
    private readonly makeTracker: (rng: ReturnType<typeof sceneRng>) => Promise<PromptableTracker>,
  ) {}

  async onReset(observation: Observation, info: ResetInfo, key: EpisodeKey): Promise<void> {
    this.targetId = objectSegmentId(info.target);
    this.scores = [];
    this.history.length = 0;
    const frame = observation.frames.scene;
    const prompt = detectPrompt(this.env, key, observation, info);
    const truth = boxWhere(frame.width, frame.height, (i) => frame.ids[i] === this.targetId);
    this.promptIou = prompt && truth ? boxIou(prompt, truth) : 0;
    this.tracker = prompt ? await this.makeTracker(sceneRng(key).stream('tracker')) : null;
    this.history.push({ prompt, result: this.tracker && prompt ? await this.tracker.init(frame, prompt) : null });
  }

  async onStep(observation: Observation): Promise<void> {
    if (observation.t === 0 || !this.tracker) return;
    const frame = observation.frames.scene;
    const result = await this.tracker.track(frame);
    this.history.push({ prompt: null, result });
    const iou = maskIou(result.mask, frame, this.targetId);
    if (iou !== null) this.scores.push({ iou, blind: isBlackedOut(frame) });
  }

  metrics(): TrackingMetrics {
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return {
      promptIou: this.promptIou,
      trackIou: mean(this.scores.map((s) => s.iou)),
      trackIouBlind: mean(this.scores.filter((s) => s.blind).map((s) => s.iou)),
    };
  }
}

/** IoU of a mask with the target's true pixels, or null when the target hardly shows. */
function maskIou(mask: Uint8Array, frame: Frame, id: number): number | null {
  let inter = 0, union = 0, truth = 0;
  for (let i = 0; i < mask.length; i++) {
    const t = frame.ids[i] === id;
    if (t) truth++;
    if (t && mask[i]) inter++;
    if (t || mask[i]) union++;
  }
  return truth < MIN_TRUE_PIXELS ? null : inter / union;
}
