import { InputError, lazyProgress } from '../core/index.js';
import { loadTask } from '../env/index.js';
import { DemoStore, exportLeRobot, LEROBOT_CODEBASE_VERSION } from '../learn/index.js';
import { parseFlags, required } from './flags.js';

export const summary = 'write stored demonstrations as a LeRobot dataset (v2.1: Parquet with PNG images, jsonl metadata)';

export const usage = `usage: sam2grasp export --demos DIR --out DIR [--task TASK]

Writes the demonstrations that sam2grasp collect stored in --demos as a LeRobot dataset, codebase
${LEROBOT_CODEBASE_VERSION}: meta/info.json, meta/episodes.jsonl, meta/tasks.jsonl, meta/episodes_stats.jsonl and
data/chunk-000/episode_NNNNNN.parquet, one file per episode. Per frame: scene and wrist RGB (PNG),
scene and wrist depth (16-bit PNG, millimetres, 0 = nothing hit), the target's true mask in the
scene camera (PNG, 255 inside), observation.state [7], action [5], the t = 0 prompt box [4], the
cameras' intrinsics [4] and camera-to-world extrinsics [4, 4]. --out must not exist yet; it is
written whole or not at all.

  --demos  a folder written by sam2grasp collect (demos.jsonl + frames.bin)
  --out    the dataset's folder
  --task   the task the demos were collected on (default: the one their collect.json names)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { demos: { type: 'string' }, out: { type: 'string' }, task: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const store = new DemoStore(required(values.demos, '--demos'));
  const outDir = required(values.out, '--out');
  store.requireDemoSet();
  const taskName = values.task ?? store.settings()?.task;
  if (typeof taskName !== 'string') throw new InputError(store.dir, 'its collect.json names no task: give --task');
  const task = loadTask(taskName);
  const progress = lazyProgress('export', 'episodes');
  const info = exportLeRobot({ store, task, outDir, onEpisode: (done, total) => progress.step(total, `episode ${done}`) });
  progress.stop();
  console.log(`${info.total_episodes} episodes, ${info.total_frames} frames at ${info.fps} fps written to ${outDir} (LeRobot ${info.codebase_version})`);
  return 0;
}
