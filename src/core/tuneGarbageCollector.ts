import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection left alive before
 * it starts marking again: 300 % (a limit of four times the live heap), where V8's own factor
 * gives about 1.7 for our heap.
 *
 * Why: an episode keeps about 35 MB alive (models, three.js scene, Rapier's handles) and frees
 * its frames and tensors at once, so with V8's factor the old generation's limit sat a new space
 * above the live heap and a full concurrent marking ran every 100-300 ms (about 100 in a
 * 200-episode ci-smoke on one worker). That marking runs on V8's platform threads, i.e. on the other core,
 * where a second worker needs it. At 300 %: 4 full collections instead, 12 % less CPU, two
 * workers 14 % faster (18.7 against 21.8 s), and on 1 000 episodes two workers x1.90 over one
 * (x1.72 without), for 60-100 MB more resident memory per process (docs/commands.md).
 *
 * V8 reads this flag each time it sets the limit, so setting it at run time takes effect on the
 * running isolate and on every worker thread started after it. No result depends on it: garbage
 * collection never reaches an episode's arithmetic.
 */
const HEAP_GROWING_PERCENT = 300;

/** Sets V8's heap growth for long runs of episodes: for entry points to call first. */
export function tuneGarbageCollector(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
