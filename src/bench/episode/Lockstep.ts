import type { EpisodeHooks } from './EpisodeHooks.js';

/**
 * A barrier at every control step for the episodes a worker steps together: each waits before
 * its policy acts until every episode in flight has reached that point (or ended), then all go
 * on at once. Their calls to each model then fall in the same turn of the event loop, where a
 * BatchingSession joins them; without it, an episode that starts later (or skips a module on
 * its first frame) stays a module out of phase with the others and their calls never meet.
 * Results do not depend on it: only when each episode waits.
 */
export class Lockstep {
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  /** An episode starts; call the returned function when it ends, however it ends. */
  join(): () => void {
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      this.releaseIfAllWait();
    };
  }

  /** The hook that waits at each step. */
  get hooks(): EpisodeHooks {
    return { beforeAct: () => this.arrive() };
  }

  private arrive(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.releaseIfAllWait();
    });
  }

  private releaseIfAllWait(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.inFlight) return;
    const go = this.waiting;
    this.waiting = [];
    for (const resolve of go) resolve();
  }
}
