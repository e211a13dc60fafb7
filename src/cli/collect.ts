import { taskObjectCount } from '../config/index.js';
import { collectionProgress } from '../core/index.js';
import { loadTask } from '../env/index.js';
import { collectDemos, DEFAULT_SINGLE_SHARE, DEFAULT_START_SPREAD, DemoStore } from '../learn/index.js';
import { fractionFlag, intFlag, objectsFlag, parseFlags, required } from './flags.js';

export const summary = 'record scripted-expert demonstrations (frames, proprio, actions, target, prompt)';

export const usage = `usage: sam2grasp collect --task TASK [--demos N] [--objects K|A-B] [--single SHARE] [--noisy SHARE] [--start-spread M] [--out DIR]

Stores successful expert episodes, each grasping a target drawn among the visible objects, in DIR
(demos.jsonl + frames.bin). A share of demos executes DART-style noisy actions that the expert
corrects. Each demo starts from a random palm pose above the bin (evaluation starts at home), so
the palm's position does not give away where the expert is heading. Resumes where a previous run
stopped.

  --demos    demonstrations to store (default: 300)
  --single   share of demos with a single object, the rest drawing from --objects (default: ${DEFAULT_SINGLE_SHARE})
  --noisy    share of demos with injected action noise, 0 to <1 (default: 0.3)
  --start-spread  half-width of the square above the bin where demos start, metres; 0 starts
                  every demo at home (default: ${DEFAULT_START_SPREAD})
  --out      folder (default: results/demos-<task>)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { task: { type: 'string' }, demos: { type: 'string' }, objects: { type: 'string' }, noisy: { type: 'string' }, single: { type: 'string' }, 'start-spread': { type: 'string' }, out: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const demos = intFlag(values.demos, '--demos', 300, 1, 100_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const noisyShare = fractionFlag(values.noisy, '--noisy', 0.3);
  const singleShare = fractionFlag(values.single, '--single', DEFAULT_SINGLE_SHARE);
  const startSpread = fractionFlag(values['start-spread'], '--start-spread', DEFAULT_START_SPREAD);
  const store = new DemoStore(values.out ?? `results/demos-${task.spec.id}`);
  const progress = collectionProgress(`collect ${task.spec.id}`, store.read().length, demos);
  const result = await collectDemos({ task, objects, demos, singleShare, noisyShare, startSpread, store, onDemo: progress.onDemo });
  progress.stop();
  console.log(`${result.stored} demonstrations in ${store.dir} (${result.tried} episodes tried)`);
  return 0;
}
