import { defaultWorkers, runEval } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { loadTask } from '../env/index.js';
import { BATCH_FLAG, BATCH_USAGE, batchFlag, intFlag, objectsFlag, OCCLUSION_FLAGS, OCCLUSION_USAGE, occlusionFlags, parseFlags, required, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'run one policy on one task: a sweep of one cell, resumable, into episodes.csv, summary.csv, tables and run.json';

export const usage = `usage: sam2grasp eval --task TASK [--policy NAME] [--episodes N] [--first-key K] [--objects K|A-B] [--out DIR] [--workers N] [--batch B] [--no-record]

Runs one policy on N keys of one cell (indices 0..N-1, or K..K+N-1 with --first-key): a sweep
of one cell, with what a sweep does.
Running the same command again resumes an interrupted run to the same bytes; a folder that holds
another configuration is refused. Writes, in DIR: episodes.csv, sweep.json, summary.csv,
paired.csv, table.md, table.tex, plot.svg, run.json and motion.bin (sam2grasp report DIR shows them).

  --task      a task file (scenes/tasks/cubes.json) or a built-in task name (cubes, lookalike,
              lookalike2, nudge, pile, packed, unseen)
  --policy    expert, act, act-cvae, act-condition, sam2grasp, dp, dp-prompted or
              onnx:path/to/manifest.json (default: expert)
  --episodes  number of episodes, 1 to 100000 (default: 100)
  --first-key the first key's index, 0 to 1000000000 (default: 0, the tables' keys); keys from
              3000000 are for choosing a setting: no table and no training set uses them
  --objects   object count or range per episode, 1 to 30 (default: the task's objects.count)
  --out       output folder (default: results/<policy>-<task>)
  --workers   worker threads, 1 to 64 (default: the machine's ${defaultWorkers()} cores); the results do not
              depend on it
${BATCH_USAGE}
  --no-record do not record the episodes' motion (motion.bin)
${OCCLUSION_USAGE}
${TRACKER_USAGE}; given, a tracking probe also runs it
                    beside the policy (any policy, the expert too) and rows record prompt_iou,
                    track_iou, track_iou_blind and track_switches`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' },
    policy: { type: 'string', default: 'expert' },
    episodes: { type: 'string' },
    'first-key': { type: 'string' },
    objects: { type: 'string' },
    out: { type: 'string' },
    tracker: { type: 'string' },
    workers: { type: 'string' },
    ...BATCH_FLAG,
    'no-record': { type: 'boolean' },
    ...OCCLUSION_FLAGS,
  });
  if (values.help) return (console.log(usage), 0);
  const taskRef = required(values.task, '--task');
  const task = loadTask(taskRef);
  const policy = values.policy ?? 'expert';
  const episodes = intFlag(values.episodes, '--episodes', 100, 1, 100_000);
  const firstKey = intFlag(values['first-key'], '--first-key', 0, 0, 1_000_000_000);
  const objects = objectsFlag(values.objects, taskObjectCount(task.spec));
  const { occlusion, occlusionMode } = occlusionFlags(values);
  const outDir = values.out ?? `results/${policy}-${task.spec.id}`;
  const tracker = trackerFlag(values.tracker);
  const workers = intFlag(values.workers, '--workers', defaultWorkers(), 1, 64);
  const command = ['sam2grasp', 'eval', ...argv].join(' ');
  const report = await runEval({ task: taskRef, policy, episodes, firstKey, objects, occlusion, occlusionMode, tracker, outDir, workers, batch: batchFlag(values.batch), record: !values['no-record'], command });
  console.log(report.text);
  console.log(`\nwrote ${outDir}/episodes.csv, summary.csv, paired.csv, paired-any.csv, table.md, table.tex, plot.svg, run.json${values['no-record'] ? '' : ', motion.bin'}`);
  return 0;
}
