import type { Rng } from '../core/index.js';
import type { Frame } from '../render/index.js';
import { boxWhere, clipBox, type Box } from './Box.js';

/**
 * The prompt's source: the paper's "upstream object detection model". At t = 0 it returns a box
 * around the episode's target in the scene camera's frame, or null when it misses.
 */
export interface Detector {
  detect(frame: Frame, targetSegmentId: number): Box | null;
}

/** Noise of the simulated detector. */
export interface DetectorNoise {
  /** Standard deviation of each box edge's error, pixels. */
  jitter: number;
  /** Standard deviation of the relative error of the box's size. */
  scaleError: number;
  /** Probability of returning no box at all. */
  missRate: number;
}

/**
 * A detector simulated from the frame's segment ids: the target's tight box, then seeded noise
 * (a size error about its centre, a jitter on each edge, a chance to miss). It stands in for a
 * real detector model, which would take the same place behind `Detector`.
 */
export class IdsDetector implements Detector {
  constructor(
    private readonly noise: DetectorNoise,
    private readonly rng: Rng,
  ) {}

  detect(frame: Frame, targetSegmentId: number): Box | null {
    // Draw every random number every time, so the stream stays aligned whatever happens.
    const miss = this.rng.next() < this.noise.missRate;
    const scale = 1 + this.noise.scaleError * this.rng.normal();
    const jitter = [0, 1, 2, 3].map(() => this.noise.jitter * this.rng.normal());
    const tight = boxWhere(frame.width, frame.height, (i) => frame.ids[i] === targetSegmentId);
    if (miss || !tight) return null;
    const cx = (tight.x0 + tight.x1) / 2;
    const cy = (tight.y0 + tight.y1) / 2;
    const hw = ((tight.x1 - tight.x0) / 2) * scale;
    const hh = ((tight.y1 - tight.y0) / 2) * scale;
    return clipBox({ x0: cx - hw + jitter[0], y0: cy - hh + jitter[1], x1: cx + hw + jitter[2], y1: cy + hh + jitter[3] }, frame.width, frame.height);
  }
}
