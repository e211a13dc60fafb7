import { loadTask, Progress } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { collectDemos, DemoStore } from '../learn/index.js';
import { fractionFlag, intFlag, objectsFlag, parseFlags, required } from './flags.js';

export const summary = 'record scripted-expert demonstrations (frames, proprio, actions, target, prompt)';

export const usage = `usage: sam2grasp collect --task TASK [--demos N] [--objects K|A-B] [--noisy SHARE] [--out DIR]

Stores successful expert episodes, each grasping a target drawn among the visible objects, in DIR
(demos.jsonl + frames.bin). A share of demos executes DART-style noisy actions that the expert
corrects. Resumes where a previous run stopped.

  --demos    demonstrations to store (default: 250)
  --noisy    share of demos with injected action noise, 0 to <1 (default: 0.3)
  --out      folder (default: results/demos-<task>)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { task: { type: 'string' }, demos: { type: 'string' }, objects: { type: 'string' }, noisy: { type: 'string' }, out: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const demos = intFlag(values.demos, '--demos', 250, 1, 100_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const noisyShare = fractionFlag(values.noisy, '--noisy', 0.3);
  const store = new DemoStore(values.out ?? `results/demos-${task.spec.id}`);
  const progress = new Progress(`collect ${task.spec.id}`, demos);
  let last = store.read().length;
  const result = await collectDemos({ task, objects, demos, noisyShare, store, onDemo: (n) => { while (last < n) { progress.tick(true); last++; } } });
  progress.stop();
  console.log(`${result.stored} demonstrations in ${store.dir} (${result.tried} episodes tried)`);
  return 0;
}
