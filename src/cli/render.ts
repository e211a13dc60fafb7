import { renderEpisode } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { loadTask } from '../env/index.js';
import { DEFAULT_TRACKER } from '../perception/index.js';
import { intFlag, objectsFlag, OCCLUSION_FLAGS, OCCLUSION_USAGE, occlusionFlags, parseFlags, required, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'run one episode and write pictures of what the cameras see (PNG contact sheets, GIF)';

export const usage = `usage: sam2grasp render --task TASK [--seed N] [--policy NAME] [--objects K|A-B] [--step T] [--out DIR]

  --task     a task file or built-in task name
  --seed     episode index (default: 0)
  --policy   policy name (default: expert)
  --objects  object count or range (default: the task's)
  --step     control step of the contact sheet (default: when the gripper starts to close)
  --out      output folder (default: results/render-<task>-<seed>)
${OCCLUSION_USAGE}
${TRACKER_USAGE}

Writes sheet-t000.png and sheet-tNNN.png (rows: scene and wrist camera; columns: RGB as the policy
sees it, the same with the tracked mask (cyan when seen, orange when carried from memory) and the
prompt box (green), depth, segment ids) and episode.gif (scene with overlay, wrist; every step).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' },
    seed: { type: 'string' },
    policy: { type: 'string', default: 'expert' },
    objects: { type: 'string' },
    step: { type: 'string' },
    out: { type: 'string' },
    tracker: { type: 'string' },
    ...OCCLUSION_FLAGS,
  });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const index = intFlag(values.seed, '--seed', 0, 0, 1_000_000_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const step = values.step === undefined ? undefined : intFlag(values.step, '--step', 0, 0, 100_000);
  const outDir = values.out ?? `results/render-${task.spec.id}-${index}`;
  const { occlusion, occlusionMode } = occlusionFlags(values);
  const tracker = trackerFlag(values.tracker) ?? DEFAULT_TRACKER;
  const key = { task: task.spec.id, objects, occlusion, index };
  const { files, outcome, steps, tracking } = await renderEpisode({ task, key, policy: values.policy ?? 'expert', outDir, step, occlusionMode, tracker });
  const verdict = outcome.successTarget ? 'success' : `failure (${outcome.failureReason})`;
  const iou = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  console.log(`${verdict} after ${steps} steps; prompt IoU ${iou(tracking.promptIou)}, tracking IoU ${iou(tracking.trackIou)} (blacked-out steps ${iou(tracking.trackIouBlind)})`);
  console.log(`wrote\n${files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}
