import type { Action } from '../env/index.js';

/** A chunk predicted from the observation of step `start`, usable from step `usableFrom`. */
interface Chunk {
  start: number;
  usableFrom: number;
  actions: Action[];
}

/**
 * ACT's temporal ensembling. Every chunk predicted at step s covers steps s .. s + K - 1; the
 * action executed at step t averages every available chunk's prediction for t with weights
 * w_i = exp(-m i), i = 0 for the oldest prediction, so older predictions weigh most (ACT's
 * choice, m = 0.01 by default). With latency, a chunk queried at s becomes usable at s + latency,
 * still indexed from s: its first `latency` actions are already in the past. Without ensembling
 * (Diffusion Policy's receding horizon) the newest usable chunk alone is executed: averaging two
 * samples of a multimodal policy would bring back the very averaging it is there to avoid.
 *
 * Runs every control step, so it allocates nothing but the action it returns: the chunks are
 * kept in start order as they arrive (oldest first, ties in arrival order) instead of filtered
 * and sorted at each step.
 */
export class TemporalEnsembler {
  /** Oldest first: ordered by start, chunks of equal start in the order they were added. */
  private readonly chunks: Chunk[] = [];

  constructor(
    readonly m = 0.01,
    readonly ensemble = true,
  ) {}

  reset(): void {
    this.chunks.length = 0;
  }

  /** Records the chunk predicted from the observation of step `start`. */
  add(start: number, actions: Action[], latency = 0): void {
    const chunk = { start, usableFrom: start + latency, actions };
    // Chunks arrive in increasing start order, so this is a push; an earlier start moves back to its place.
    let at = this.chunks.push(chunk) - 1;
    for (; at > 0 && this.chunks[at - 1].start > start; at--) this.chunks[at] = this.chunks[at - 1];
    this.chunks[at] = chunk;
  }

  /** The weights of the predictions for step t, oldest first (for tests and diagnostics). */
  weightsAt(t: number): { start: number; weight: number }[] {
    const starts: number[] = [];
    const newest = this.newestLive(t);
    for (let k = this.firstCounted(newest); k <= newest; k++) if (live(this.chunks[k], t)) starts.push(this.chunks[k].start);
    const raw = starts.map((_, i) => Math.exp(-this.m * i));
    const total = raw.reduce((a, b) => a + b, 0);
    return starts.map((start, i) => ({ start, weight: raw[i] / total }));
  }

  /** The ensembled action for step t, or null if no chunk covers it yet. */
  actionAt(t: number): Action | null {
    const newest = this.newestLive(t);
    if (newest < 0) return null;
    let x = 0, y = 0, z = 0, yaw = 0, gripper = 0, total = 0;
    for (let k = this.firstCounted(newest), i = 0; k <= newest; k++) {
      const c = this.chunks[k];
      if (!live(c, t)) continue;
      const w = Math.exp(-this.m * i++);
      const a = c.actions[t - c.start];
      x += w * a.x;
      y += w * a.y;
      z += w * a.z;
      yaw += w * a.yaw;
      gripper += w * a.gripper;
      total += w;
    }
    this.forgetBefore(t);
    return { x: x / total, y: y / total, z: z / total, yaw: yaw / total, gripper: gripper / total };
  }

  /** The index of the newest chunk that counts at step t, or -1 if none does. */
  private newestLive(t: number): number {
    let k = this.chunks.length - 1;
    while (k >= 0 && !live(this.chunks[k], t)) k--;
    return k;
  }

  /** Where the chunks that count start: every usable one, or the newest alone. */
  private firstCounted(newest: number): number {
    return this.ensemble ? 0 : Math.max(newest, 0);
  }

  /** Drops, in place and in order, the chunks that end before t: they can never count again. */
  private forgetBefore(t: number): void {
    let kept = 0;
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks[k];
      if (c.start + c.actions.length > t) this.chunks[kept++] = c;
    }
    this.chunks.length = kept;
  }
}

/** Does the chunk predict step t, and has it arrived by then? */
function live(c: Chunk, t: number): boolean {
  return c.usableFrom <= t && c.start <= t && t < c.start + c.actions.length;
}
