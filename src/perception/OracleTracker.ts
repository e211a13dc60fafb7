import { InputError, type Rng } from '../core/index.js';
import { SEGMENT_IDS, type Frame, type SensorFrame } from '../render/index.js';
import { boxArea, boxProblem, boxWhere, type Box } from './Box.js';
import { DESCRIPTOR_SIZE, maskDescriptor } from './maskDescriptor.js';
import type { PromptableTracker, TrackResult } from './PromptableTracker.js';

/** Noise and memory of the oracle tracker. */
export interface OracleTrackerOptions {
  /** Frames kept in the memory bank (besides the prompt frame). SAM2 keeps 6 recent ones. */
  memory: number;
  /** Probability that a frame's mask is eroded, and that it is dilated, by one pixel. */
  boundaryNoise: number;
  /** Share of mask pixels dropped at random. */
  dropout: number;
  /** When less than this share of the object's last good size is visible, it is "mostly hidden". */
  hiddenShare: number;
  /** Probability per mostly-hidden frame of jumping to the nearest other visible object. */
  switchRate: number;
}

export const DEFAULT_ORACLE_TRACKER: OracleTrackerOptions = { memory: 6, boundaryNoise: 0.3, dropout: 0.02, hiddenShare: 0.3, switchRate: 0.15 };

/** Its embedding is the mask descriptor (see maskDescriptor). */
export const ORACLE_EMBEDDING_SIZE = DESCRIPTOR_SIZE;
/** Fewer visible pixels than this and the object counts as unseen. */
const MIN_PIXELS = 4;

interface Memory {
  mask: Uint8Array;
  cx: number;
  cy: number;
  area: number;
  embedding: Float32Array;
}

/**
 * An ORACLE standing in for a video tracker: it reads the object's identity from the ground-truth
 * channel's segment ids, which no camera gives, and imitates SAM2's behaviour around it (an upper
 * bound for a learned tracker, `--tracker oracle`):
 * - `init` takes the object whose pixels best match the box (highest IoU), so a bad box tracks
 *   the wrong object, as SAM2 would;
 * - each frame returns that object's visible pixels, degraded by seeded noise (boundary erosion or
 *   dilation, pixel dropout), and, when the object is mostly hidden, sometimes jumps to the nearest
 *   other object (an identity switch);
 * - a frame that does not show the object (hidden, or blacked out: zero depth) gets the mask and
 *   embedding carried from memory, moved by the motion seen before, with a low score, as SAM2's
 *   memory attention does.
 * The sensor frame decides what is seen (a blacked-out frame shows nothing); the true frame
 * (`truth`, the same step's render with its ids) decides which pixels are which object.
 * `Sam2OnnxTracker` runs learned trackers, ours and SAM2's.
 */
export class OracleTracker implements PromptableTracker {
  readonly name = 'oracle';
  private trackedId = 0;
  private bank: Memory[] = [];
  private velocity = { x: 0, y: 0 };
  private framesUnseen = 0;

  constructor(
    private readonly rng: Rng,
    private readonly truth: () => Frame,
    private readonly options: OracleTrackerOptions = DEFAULT_ORACLE_TRACKER,
  ) {}

  async init(sensed: SensorFrame, box: Box): Promise<TrackResult> {
    const problem = boxProblem(box, sensed.width, sensed.height);
    if (problem) throw new InputError('prompt box', problem);
    this.trackedId = bestMatch(this.truth(), box);
    this.bank = [];
    this.velocity = { x: 0, y: 0 };
    this.framesUnseen = 0;
    return this.track(sensed);
  }

  async track(sensed: SensorFrame): Promise<TrackResult> {
    const o = this.options;
    // The true ids, with the sensed depth: a pixel the camera did not see (zero depth) is not visible.
    const frame: Frame = { ...sensed, ids: this.truth().ids };
    // A fixed number of draws per frame keeps the noise aligned across occlusion levels.
    const erode = this.rng.next() < o.boundaryNoise;
    const dilate = this.rng.next() < o.boundaryNoise;
    const switchDraw = this.rng.next();
    const dropoutSeed = this.rng.stream(`dropout/${this.rng.int(0, 1e9)}`);

    let visible = visiblePixels(frame, this.trackedId);
    const last = this.bank[this.bank.length - 1];
    if (last && visible.count < o.hiddenShare * last.area && switchDraw < o.switchRate) {
      const other = nearestOther(frame, this.trackedId, last.cx, last.cy);
      if (other !== null) {
        this.trackedId = other;
        visible = visiblePixels(frame, other);
      }
    }
    if (visible.count < MIN_PIXELS) return this.fromMemory(frame);

    let mask = visible.mask;
    if (erode) mask = morph(mask, frame.width, frame.height, 'erode');
    if (dilate) mask = morph(mask, frame.width, frame.height, 'dilate');
    for (let i = 0; i < mask.length; i++) if (mask[i] && dropoutSeed.next() < o.dropout) mask[i] = 0;
    if (mask.every((v) => v === 0)) mask = visible.mask;

    const { cx, cy, area } = moments(mask, frame.width);
    if (last) {
      const steps = this.framesUnseen + 1;
      this.velocity = { x: (cx - last.cx) / steps, y: (cy - last.cy) / steps };
    }
    this.framesUnseen = 0;
    const score = Math.min(1, 0.5 + 0.5 * Math.min(1, visible.count / Math.max(1, last?.area ?? visible.count)));
    const embedding = maskDescriptor(frame, mask, score, false);
    this.remember({ mask, cx, cy, area, embedding });
    return { mask, box: boxWhere(frame.width, frame.height, (i) => mask[i] === 1), score, embedding, descriptor: embedding, fromMemory: false };
  }

  /** The last good mask, moved by the motion seen before it was lost, with a fading score. */
  private fromMemory(frame: SensorFrame): TrackResult {
    this.framesUnseen++;
    const last = this.bank[this.bank.length - 1];
    const empty = new Uint8Array(frame.width * frame.height);
    if (!last) {
      const none = new Float32Array(ORACLE_EMBEDDING_SIZE);
      return { mask: empty, box: null, score: 0, embedding: none, descriptor: none, fromMemory: true };
    }
    // Extrapolate, damped: objects in a bin stop more often than they keep going.
    const k = Math.min(this.framesUnseen, 3);
    const dx = Math.round(this.velocity.x * k);
    const dy = Math.round(this.velocity.y * k);
    const mask = shift(last.mask, frame.width, frame.height, dx, dy);
    const score = Math.max(0.05, 0.3 * 0.85 ** (this.framesUnseen - 1));
    const embedding = last.embedding.slice();
    embedding[0] += dx / frame.width;
    embedding[1] += dy / frame.height;
    embedding[11] = score;
    embedding[12] = 1;
    return { mask, box: boxWhere(frame.width, frame.height, (i) => mask[i] === 1), score, embedding, descriptor: embedding, fromMemory: true };
  }

  private remember(entry: Memory): void {
    this.bank.push(entry);
    if (this.bank.length > this.options.memory) this.bank.shift();
  }

  /** Memory bank size now (for tests and diagnostics). */
  get memorySize(): number {
    return this.bank.length;
  }

  /** The segment id the tracker follows now; it changes on an identity switch. */
  get trackedSegmentId(): number {
    return this.trackedId;
  }
}

/** The segment whose pixels best fill the box: highest IoU between the box and the pixel set. */
function bestMatch(frame: Frame, box: Box): number {
  const inside = new Map<number, number>();
  const total = new Map<number, number>();
  for (let y = 0, i = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++, i++) {
      const id = frame.ids[i];
      if (id < SEGMENT_IDS.objectBase) continue;
      total.set(id, (total.get(id) ?? 0) + 1);
      if (x + 0.5 >= box.x0 && x + 0.5 < box.x1 && y + 0.5 >= box.y0 && y + 0.5 < box.y1) inside.set(id, (inside.get(id) ?? 0) + 1);
    }
  }
  let best = 0;
  let bestIou = 0;
  for (const [id, n] of inside) {
    const iou = n / (boxArea(box) + total.get(id)! - n);
    if (iou > bestIou || (iou === bestIou && id < best)) {
      best = id;
      bestIou = iou;
    }
  }
  return best;
}

/** Pixels of the segment that this frame really shows: blacked-out pixels (zero depth) do not count. */
function visiblePixels(frame: Frame, id: number): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(frame.width * frame.height);
  let count = 0;
  if (id === 0) return { mask, count };
  for (let i = 0; i < mask.length; i++) {
    if (frame.ids[i] === id && frame.depth[i] > 0) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count };
}

/** The other object whose visible pixels' centroid is nearest to (cx, cy), if any shows. */
function nearestOther(frame: Frame, id: number, cx: number, cy: number): number | null {
  const sums = new Map<number, { x: number; y: number; n: number }>();
  for (let i = 0; i < frame.ids.length; i++) {
    const other = frame.ids[i];
    if (other < SEGMENT_IDS.objectBase || other === id || !(frame.depth[i] > 0)) continue;
    const s = sums.get(other) ?? { x: 0, y: 0, n: 0 };
    s.x += i % frame.width;
    s.y += Math.floor(i / frame.width);
    s.n++;
    sums.set(other, s);
  }
  let best: number | null = null;
  let bestDistance = Infinity;
  for (const [other, s] of [...sums].sort((a, b) => a[0] - b[0])) {
    if (s.n < MIN_PIXELS) continue;
    const d = Math.hypot(s.x / s.n - cx, s.y / s.n - cy);
    if (d < bestDistance) {
      best = other;
      bestDistance = d;
    }
  }
  return best;
}

function moments(mask: Uint8Array, width: number): { cx: number; cy: number; area: number } {
  let sx = 0, sy = 0, n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    sx += i % width;
    sy += Math.floor(i / width);
    n++;
  }
  return n ? { cx: sx / n, cy: sy / n, area: n } : { cx: 0, cy: 0, area: 0 };
}

/** One-pixel erosion or dilation with a 4-neighbourhood. */
function morph(mask: Uint8Array, width: number, height: number, op: 'erode' | 'dilate'): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const n = [x > 0 ? mask[i - 1] : 0, x < width - 1 ? mask[i + 1] : 0, y > 0 ? mask[i - width] : 0, y < height - 1 ? mask[i + width] : 0];
      out[i] = op === 'erode' ? (mask[i] && n.every(Boolean) ? 1 : 0) : mask[i] || n.some(Boolean) ? 1 : 0;
    }
  }
  return out;
}

function shift(mask: Uint8Array, width: number, height: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < width) out[y * width + x] = mask[sy * width + sx];
    }
  }
  return out;
}
