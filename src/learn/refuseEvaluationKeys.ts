import { episodeId, InputError } from '../core/index.js';
import type { Demo } from './DemoStore.js';
import { DEMO_INDEX_BASE } from './collectDemos.js';

/**
 * The held-out rule: evaluation runs keys 0 to 99 999 of a task (eval and sweeps cap episodes at
 * 100 000), demonstrations start at index 1 000 000 and the tracker's training scenes at
 * 2 000 000. A scene is its key, so a head trained on an evaluation key has seen the test. A demo
 * set holding one is refused, naming it.
 */
export function refuseEvaluationKeys(demos: readonly Demo[], source: string): void {
  const leak = demos.find((d) => d.key.index < DEMO_INDEX_BASE);
  if (leak) {
    throw new InputError(source, `demonstration ${episodeId(leak.key)} is an evaluation key (index ${leak.key.index} < ${DEMO_INDEX_BASE}): demonstrations and evaluation must not share scenes`);
  }
}
