import { loadTask, renderEpisode } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { intFlag, objectsFlag, parseFlags, required } from './flags.js';

export const summary = 'run one episode and write pictures of what the cameras see (PNG contact sheets, GIF)';

export const usage = `usage: sam2grasp render --task TASK [--seed N] [--policy NAME] [--objects K|A-B] [--step T] [--out DIR]

  --task     a task file or built-in task name
  --seed     episode index (default: 0)
  --policy   policy name (default: expert)
  --objects  object count or range (default: the task's)
  --step     control step of the contact sheet (default: when the gripper starts to close)
  --out      output folder (default: results/render-<task>-<seed>)

Writes sheet-t000.png and sheet-tNNN.png (rows: scene and wrist camera; columns: RGB, depth,
segment ids) and episode.gif (both cameras, every control step).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' },
    seed: { type: 'string' },
    policy: { type: 'string', default: 'expert' },
    objects: { type: 'string' },
    step: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const index = intFlag(values.seed, '--seed', 0, 0, 1_000_000_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const step = values.step === undefined ? undefined : intFlag(values.step, '--step', 0, 0, 100_000);
  const outDir = values.out ?? `results/render-${task.spec.id}-${index}`;
  const key = { task: task.spec.id, objects, occlusion: 0, index };
  const { files, outcome, steps } = await renderEpisode({ task, key, policy: values.policy ?? 'expert', outDir, step });
  const verdict = outcome.successTarget ? 'success' : `failure (${outcome.failureReason})`;
  console.log(`${verdict} after ${steps} steps; wrote\n${files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}
