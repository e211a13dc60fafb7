import { join } from 'node:path';
import { learnedTrackerManifest, modelsDir } from '../bench/index.js';
import { cacheProgress } from '../core/index.js';
import { loadTask } from '../env/index.js';
import { DEFAULT_TRACKER, loadPerception } from '../perception/index.js';
import { cacheFeatures, DEFAULT_OCCLUDED_SHARE, DemoStore, refuseEvaluationKeys } from '../learn/index.js';
import { fractionFlag, parseFlags, required, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'run the frozen perception once over stored demonstrations and cache their features';

export const usage = `usage: sam2grasp cache --task TASK --demos DIR [--occluded SHARE] [--tracker T] [--out DIR]

Writes features-none.bin, features-box.bin, features-tracker.bin and cache.json (default: DIR/cache).

  --occluded  share of demos cached with frames blacked out, each at its own level up to 0.6, as
              Table III's occlusion does at test time (default: ${DEFAULT_OCCLUDED_SHARE})
${TRACKER_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { task: { type: 'string' }, demos: { type: 'string' }, occluded: { type: 'string' }, out: { type: 'string' }, tracker: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const demosDir = required(values.demos, '--demos');
  const occludedShare = fractionFlag(values.occluded, '--occluded', DEFAULT_OCCLUDED_SHARE);
  const store = new DemoStore(demosDir);
  refuseEvaluationKeys(store.read(), store.dir);
  const perception = await loadPerception(trackerFlag(values.tracker) ?? DEFAULT_TRACKER, task.spec, learnedTrackerManifest());
  const progress = cacheProgress();
  const index = await cacheFeatures(store, task, join(modelsDir(), 'encoder.json'), perception, values.out ?? join(demosDir, 'cache'), occludedShare, progress.onDemo);
  progress.stop();
  console.log(`cached ${index.demos.reduce((n, d) => n + d.rows, 0)} steps of ${index.demos.length} demonstrations`);
  return 0;
}
