import { formatSummaryTable, runEval } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { loadTask } from '../env/index.js';
import { intFlag, objectsFlag, OCCLUSION_FLAGS, OCCLUSION_USAGE, occlusionFlags, parseFlags, required, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'run one policy on one task and write episodes.csv, summary.csv and run.json';

export const usage = `usage: sam2grasp eval --task TASK [--policy NAME] [--episodes N] [--objects K|A-B] [--out DIR]

  --task      a task file (scenes/tasks/cubes.json) or a built-in task name (cubes, pile, packed)
  --policy    expert, act, act-cvae, act-condition, sam2grasp or onnx:path/to/manifest.json (default: expert)
  --episodes  number of episodes, 1 to 100000 (default: 100)
  --objects   object count or range per episode, 1 to 30 (default: the task's objects.count)
  --out       output folder (default: results/<policy>-<task>)
${OCCLUSION_USAGE}
${TRACKER_USAGE}; given, a tracking probe also runs it
                    beside the policy (any policy, the expert too) and rows record prompt_iou,
                    track_iou, track_iou_blind and track_switches`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' },
    policy: { type: 'string', default: 'expert' },
    episodes: { type: 'string' },
    objects: { type: 'string' },
    out: { type: 'string' },
    tracker: { type: 'string' },
    ...OCCLUSION_FLAGS,
  });
  if (values.help) return (console.log(usage), 0);
  const task = loadTask(required(values.task, '--task'));
  const policy = values.policy ?? 'expert';
  const episodes = intFlag(values.episodes, '--episodes', 100, 1, 100_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const { occlusion, occlusionMode } = occlusionFlags(values);
  const outDir = values.out ?? `results/${policy}-${task.spec.id}`;
  const tracker = trackerFlag(values.tracker);
  const rows = await runEval({ task, policy, episodes, objects, occlusion, occlusionMode, tracker, probe: tracker !== undefined, outDir, command: ['sam2grasp', 'eval', ...argv].join(' ') });
  console.log(formatSummaryTable(rows));
  console.log(`\nwrote ${outDir}/episodes.csv, summary.csv, run.json`);
  return 0;
}
