import { join } from 'node:path';
import { environmentFacts, Progress, sha256Hex, writeFileAtomic, type EpisodeKey, type ObjectCount } from '../../core/index.js';
import { formatOcclusionMode, GraspEnv, OcclusionWrapper, type OcclusionMode } from '../../env/index.js';
import { DEFAULT_TRACKER, formatTrackerChoice, loadPerception, type TrackerChoice } from '../../perception/index.js';
import type { Task } from '../../sim/index.js';
import { EPISODE_COLUMNS, toEpisodeRow, type EpisodeRow } from '../episode/EpisodeRow.js';
import { runEpisode } from '../episode/runEpisode.js';
import { TrackingProbe } from '../episode/TrackingProbe.js';
import { summarize, summaryRecord, SUMMARY_COLUMNS, type SummaryRow } from '../stats/summarize.js';
import { AppendOnlyCsv, writeCsvAtomic } from './csvFiles.js';
import { learnedTrackerManifest, policyFor } from './policyFor.js';
import { prepareOutDir } from './prepareOutDir.js';

export interface EvalOptions {
  task: Task;
  policy: string;
  episodes: number;
  objects: ObjectCount;
  /** Share of frames taken from the policy, and how (see OcclusionWrapper). */
  occlusion: number;
  occlusionMode: OcclusionMode;
  outDir: string;
  /** The command line, recorded in run.json. */
  command: string;
  /** Label of the progress bar. */
  label?: string;
  /** The prompted policies' tracker (default: learned). */
  tracker?: TrackerChoice;
  /** Run the tracker beside the policy and record its tracking quality (prompt_iou, track_iou, track_switches). */
  probe?: boolean;
}

/** The episode keys of an eval: indices 0..n-1 of one cell. */
export function evalKeys(task: Task, objects: ObjectCount, occlusion: number, episodes: number): EpisodeKey[] {
  return Array.from({ length: episodes }, (_, index) => ({ task: task.spec.id, objects, occlusion, index }));
}

/**
 * Runs one policy over the episodes of one cell and writes `episodes.csv` (row by row, as
 * episodes finish), `summary.csv` and `run.json` (atomically, at the end). Returns the summary.
 */
export async function runEval(options: EvalOptions): Promise<SummaryRow[]> {
  const { task, outDir } = options;
  const policy = await policyFor(options.policy, task, options.tracker);
  const keys = evalKeys(task, options.objects, options.occlusion, options.episodes);
  const tracker = options.tracker ?? DEFAULT_TRACKER;
  const perception = options.probe ? await loadPerception(tracker, task.spec, learnedTrackerManifest()) : null;
  prepareOutDir(outDir);
  const started = Date.now();
  const env = new OcclusionWrapper(await GraspEnv.create(task), options.occlusion, options.occlusionMode);
  const log = await AppendOnlyCsv.create(join(outDir, 'episodes.csv'), EPISODE_COLUMNS);
  const rows: EpisodeRow[] = [];
  const progress = new Progress(options.label ?? `${options.policy} on ${task.spec.id}`, keys.length);
  try {
    for (const key of keys) {
      const probe = perception ? new TrackingProbe(env, perception) : null;
      const result = await runEpisode(env, policy, key, probe ?? {});
      if (probe) result.tracking = probe.metrics();
      const row = toEpisodeRow(result, options.occlusionMode);
      rows.push(row);
      await log.append(row);
      progress.tick(row.success_target === '1');
    }
  } finally {
    progress.stop();
    log.close();
    env.close();
  }
  const summary = summarize(rows);
  await writeCsvAtomic(join(outDir, 'summary.csv'), SUMMARY_COLUMNS, summary.map(summaryRecord));
  const wallSeconds = (Date.now() - started) / 1000;
  const manifest = {
    command: options.command,
    task: task.spec,
    taskHash: sha256Hex(JSON.stringify(task.spec)),
    policy: options.policy,
    episodes: options.episodes,
    objects: options.objects,
    occlusion: options.occlusion,
    occlusionMode: formatOcclusionMode(options.occlusionMode),
    tracker: formatTrackerChoice(tracker),
    startedAt: new Date(started).toISOString(),
    wallSeconds,
    episodesPerSecond: options.episodes / wallSeconds,
    ...environmentFacts(),
  };
  writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return summary;
}
