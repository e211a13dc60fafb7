import { formatObjectCount, type ObjectCount } from '../../core/index.js';
import { formatOcclusionMode, type OcclusionMode } from '../../env/index.js';
import { formatTrackerChoice, type TrackerChoice } from '../../perception/index.js';
import type { SweepReport } from '../report/writeSweepReport.js';
import { resolveSpec } from './resolveSweep.js';
import { runSweep } from './runSweep.js';
import { WHOLE } from './SweepPlan.js';

export interface EvalOptions {
  /** A task file or a built-in task name, as `--task` gave it. */
  task: string;
  policy: string;
  episodes: number;
  /** The first key's index (`--first-key`; 0 for the tables' keys). */
  firstKey: number;
  objects: ObjectCount;
  /** Share of frames taken from the policy, and how (see OcclusionWrapper). */
  occlusion: number;
  occlusionMode: OcclusionMode;
  outDir: string;
  /** The command line, recorded in run.json. */
  command: string;
  /** Given: the prompted policies' tracker, and a tracking probe runs it beside the policy. */
  tracker?: TrackerChoice;
  workers: number;
  /** Episodes each worker steps together (`--batch`). */
  batch?: number;
  /** Record the episodes' motion in motion.bin (default: true). */
  record?: boolean;
}

/**
 * One policy on one cell's keys (indices firstKey..firstKey+n-1): a sweep of one cell, run by the
 * sweep's runner, so an eval resumes after a kill, records a crashed episode and goes on, refuses a
 * folder that holds another configuration, and writes what a sweep writes (episodes.csv,
 * sweep.json, summary.csv, tables, plot, run.json, motion.bin).
 */
export async function runEval(options: EvalOptions): Promise<SweepReport> {
  const spec = {
    id: 'eval',
    description: `sam2grasp eval --policy ${options.policy} --task ${options.task}`,
    policies: [options.policy],
    tasks: [options.task],
    objects: [options.objects],
    occlusion: [options.occlusion],
    occlusionMode: formatOcclusionMode(options.occlusionMode),
    episodes: options.episodes,
    firstKey: options.firstKey,
    tracker: options.tracker && formatTrackerChoice(options.tracker),
  };
  const sweep = await resolveSpec(spec, process.cwd(), { task: () => '--task', policy: () => '--policy', tracker: '--tracker', occlusionMode: '--occlusion-mode' });
  const label = `${options.policy} on ${options.task} ${formatObjectCount(options.objects)}`;
  return runSweep({ sweep, outDir: options.outDir, shard: WHOLE, workers: options.workers, batch: options.batch, record: options.record, command: options.command, label });
}
