import type { Action } from '../env/index.js';

/**
 * ACT's temporal ensembling. Every chunk predicted at step s covers steps s .. s + K - 1; the
 * action executed at step t averages every available chunk's prediction for t with weights
 * w_i = exp(-m i), i = 0 for the oldest prediction, so older predictions weigh most (ACT's
 * choice, m = 0.01 by default). With latency, a chunk queried at s becomes usable at s + latency,
 * still indexed from s: its first `latency` actions are already in the past. Without ensembling
 * (Diffusion Policy's receding horizon) the newest usable chunk alone is executed: averaging two
 * samples of a multimodal policy would bring back the very averaging it is there to avoid.
 */
export class TemporalEnsembler {
  private chunks: { start: number; usableFrom: number; actions: Action[] }[] = [];

  constructor(
    readonly m = 0.01,
    readonly ensemble = true,
  ) {}

  reset(): void {
    this.chunks = [];
  }

  /** Records the chunk predicted from the observation of step `start`. */
  add(start: number, actions: Action[], latency = 0): void {
    this.chunks.push({ start, usableFrom: start + latency, actions });
  }

  /** The weights of the predictions for step t, oldest first (for tests and diagnostics). */
  weightsAt(t: number): { start: number; weight: number }[] {
    const live = this.live(t);
    const raw = live.map((_, i) => Math.exp(-this.m * i));
    const total = raw.reduce((a, b) => a + b, 0);
    return live.map((c, i) => ({ start: c.start, weight: raw[i] / total }));
  }

  /** The ensembled action for step t, or null if no chunk covers it yet. */
  actionAt(t: number): Action | null {
    const live = this.live(t);
    if (live.length === 0) return null;
    this.chunks = this.chunks.filter((c) => c.start + c.actions.length > t); // what can never count again goes
    const out: Action = { x: 0, y: 0, z: 0, yaw: 0, gripper: 0 };
    let total = 0;
    live.forEach((c, i) => {
      const w = Math.exp(-this.m * i);
      const a = c.actions[t - c.start];
      out.x += w * a.x;
      out.y += w * a.y;
      out.z += w * a.z;
      out.yaw += w * a.yaw;
      out.gripper += w * a.gripper;
      total += w;
    });
    return { x: out.x / total, y: out.y / total, z: out.z / total, yaw: out.yaw / total, gripper: out.gripper / total };
  }

  /** The predictions for step t that count, oldest first: all usable ones, or the newest alone. */
  private live(t: number) {
    const usable = this.chunks.filter((c) => c.usableFrom <= t && c.start <= t && t < c.start + c.actions.length).sort((a, b) => a.start - b.start);
    return this.ensemble ? usable : usable.slice(-1);
  }
}
