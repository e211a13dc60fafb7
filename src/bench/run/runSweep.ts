import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Tinypool } from 'tinypool';
import { InputError, Progress, projectPackage, writeFileAtomic } from '../../core/index.js';
import { unitId } from '../episode/Cell.js';
import { crashedRow, EPISODE_COLUMNS, type EpisodeRow } from '../episode/EpisodeRow.js';
import { sweepRecord, writeSweepReport, type SweepReport } from '../report/writeSweepReport.js';
import { MotionLog } from '../record/MotionLog.js';
import { EMPTY_RECORD } from '../record/motionCodec.js';
import { AppendOnlyCsv } from './csvFiles.js';
import { prepareOutDir } from './prepareOutDir.js';
import type { ResolvedSweep } from './resolveSweep.js';
import { reusableEpisodes, type DonorSweep } from './reusableEpisodes.js';
import { runUnit, type UnitJob, type UnitResult } from './sweepWorker.js';
import { formatShard, SweepPlan, type Shard, type SweepUnit } from './SweepPlan.js';

export interface SweepOptions {
  sweep: ResolvedSweep;
  outDir: string;
  shard: Shard;
  /** Worker threads; 1 runs in this thread. */
  workers: number;
  /** The command line, recorded in run.json. */
  command: string;
  /** The progress bar's label (default: the sweep's id and shard). */
  label?: string;
  /** Record every episode's motion in motion.bin (default: true; `--no-record`). */
  record?: boolean;
  /** Episodes each worker steps together, their model calls batched (default: DEFAULT_BATCH; `--batch`). */
  batch?: number;
  /** Sweeps run before this one in this process: episodes they ran to the same bytes are taken, not run again. */
  reuse?: readonly DonorSweep[];
}

/**
 * Episodes a worker steps together by default: one. On this 2-core machine 8 together on two
 * workers gained nothing for any policy (`npm run perf`, throughput: from -3 % for `sam2grasp`
 * and `act` to -11 % for `act-condition`): the models are small convolutions whose cost per row
 * hardly falls in a batch, and episodes in flight add copies, garbage and cache misses.
 */
export const DEFAULT_BATCH = 1;

export const defaultWorkers = () => availableParallelism();

/**
 * Runs (or resumes) a sweep into `outDir`. Rows go to `episodes.csv` in the plan's canonical order
 * as soon as every earlier unit is done, so the file is the same bytes whatever the worker count,
 * and a crash leaves a prefix of it that a re-run continues. Derived files are rewritten at the end.
 */
export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const { sweep, outDir, shard } = options;
  const plan = new SweepPlan(sweep.spec, sweep.taskIds, shard);
  const identity = `${JSON.stringify(sweepRecord(sweep, shard), null, 2)}\n`;
  checkOutDir(outDir, identity, shard);
  prepareOutDir(outDir);
  writeFileAtomic(join(outDir, 'sweep.json'), identity);
  const { log, records } = await AppendOnlyCsv.resume(join(outDir, 'episodes.csv'), EPISODE_COLUMNS);
  const done = records as EpisodeRow[];
  checkPrefix(done, plan, outDir);
  const record = options.record ?? true;
  const batch = options.batch ?? DEFAULT_BATCH;
  const motionPath = join(outDir, 'motion.bin');
  const motions = record || existsSync(motionPath) ? MotionLog.resume(motionPath, done.map(unitId)) : undefined;

  const started = Date.now();
  const todo = plan.units.slice(done.length);
  const reusable = await reusableEpisodes(sweep, options.reuse ?? [], record);
  const fresh = todo.flatMap((unit, i) => (reusable.has(plan.unitId(unit)) ? [] : [i]));
  const progress = new Progress(options.label ?? `${sweep.spec.id}${shard.count > 1 ? ` shard ${formatShard(shard)}` : ''}`, todo.length);
  const rows = [...done];
  const milliseconds: Record<string, number[]> = {};
  const pending = new Map<number, { row: EpisodeRow; motion: Uint8Array }>();
  let next = 0;
  const memory = new ResidentMemory();
  const finish = async (i: number, row: EpisodeRow, motion: Uint8Array = EMPTY_RECORD) => {
    pending.set(i, { row, motion });
    for (let r = pending.get(next); r; r = pending.get(next)) {
      pending.delete(next++);
      rows.push(r.row);
      // The record first: a crash between the two leaves one record too many, which resume cuts.
      motions?.append(r.motion);
      await log.append(r.row);
      progress.tick(r.row.success_target === '1');
      memory.sample(next, todo.length);
    }
  };
  try {
    for (const [i, unit] of todo.entries()) {
      const episode = reusable.get(plan.unitId(unit));
      if (episode) await finish(i, episode.row, episode.motion);
    }
    await runUnits(fresh.map((i) => todo[i]), jobFor(sweep, plan, record, batch), options.workers, batch, async (f, result) => {
      const i = fresh[f];
      if (result instanceof Error) {
        console.error(`${plan.unitId(todo[i])}: crashed (${result.message.split('\n')[0]})`);
        await finish(i, crashedRow(todo[i].key, todo[i].policy, plan.occlusionMode));
        return;
      }
      (milliseconds[result.row.policy] ??= []).push(result.milliseconds);
      await finish(i, result.row, result.motion);
    });
  } finally {
    progress.stop();
    log.close();
    motions?.close();
  }
  const wallSeconds = (Date.now() - started) / 1000;
  return writeSweepReport(outDir, sweep.spec, sweep.taskIds, rows, {
    command: options.command,
    tracker: sweep.spec.tracker,
    configHash: sweep.configHash,
    models: sweep.models,
    shard: formatShard(shard),
    workers: options.workers,
    batch,
    recorded: record,
    startedAt: new Date(started).toISOString(),
    wallSeconds,
    episodesRun: fresh.length,
    episodesResumed: done.length,
    // Taken from sweeps run before in the same process (`bench`: Table I's rows for Table III's p = 0).
    episodesReused: todo.length - fresh.length,
    reusedFrom: (options.reuse ?? []).map((d) => d.outDir),
    episodesPerSecond: fresh.length / wallSeconds,
    residentMiB: memory.samples,
    policyMillisecondsPerEpisode: Object.fromEntries(Object.entries(milliseconds).map(([p, ms]) => [p, ms.reduce((a, b) => a + b, 0) / ms.length])),
  });
}

/**
 * The process's resident memory (main thread and worker threads) at every twentieth of the run,
 * in MiB: flat when nothing leaks from episode to episode.
 */
class ResidentMemory {
  readonly samples: number[] = [];

  sample(done: number, total: number): void {
    if (done === total || Math.floor((20 * done) / total) > Math.floor((20 * (done - 1)) / total)) this.samples.push(Math.round(process.memoryUsage.rss() / 2 ** 20));
  }
}

/** A folder holding another sweep's (or shard's) results is refused before anything is touched. */
function checkOutDir(outDir: string, identity: string, shard: Shard): void {
  const path = join(outDir, 'sweep.json');
  if (existsSync(path) && readFileSync(path, 'utf8') !== identity) {
    throw new InputError('--out', `${outDir} holds results of another sweep, configuration or shard than this one (${formatShard(shard)}); use a fresh folder`);
  }
  if (!existsSync(path) && existsSync(join(outDir, 'episodes.csv'))) {
    throw new InputError('--out', `${outDir} holds an episodes.csv of no sweep (no sweep.json); use a fresh folder`);
  }
}

/** The rows already written must be the plan's first units, in order. */
function checkPrefix(done: readonly EpisodeRow[], plan: SweepPlan, outDir: string): void {
  const bad = done.findIndex((row, i) => i >= plan.units.length || unitId(row) !== plan.unitId(plan.units[i]));
  if (bad >= 0) throw new InputError('--out', `${outDir}/episodes.csv line ${bad + 2} is not this sweep's next episode; use a fresh folder`);
}

function jobFor(sweep: ResolvedSweep, plan: SweepPlan, record: boolean, batch: number): (unit: SweepUnit) => UnitJob {
  const refs = new Map(sweep.spec.policies.map((label, i) => [label, sweep.policyRefs[i]]));
  const tasks = new Map(sweep.taskIds.map((id, i) => [id, sweep.taskRefs[i]]));
  return (unit) => ({ taskRef: tasks.get(unit.key.task)!, policy: refs.get(unit.policy)!, key: unit.key, occlusionMode: plan.spec.occlusionMode, tracker: plan.spec.tracker, record, batch });
}

/**
 * Runs the units, in this thread (one worker) or on a pool of worker threads, `batch` at a time
 * in each, and reports each result (or the error that ended it) with its index as it completes.
 */
async function runUnits(units: readonly SweepUnit[], job: (u: SweepUnit) => UnitJob, workers: number, batch: number, onResult: (i: number, r: UnitResult | Error) => Promise<void>): Promise<void> {
  const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  if (workers <= 1) {
    let next = 0;
    let chain = Promise.resolve();
    const lane = async () => {
      for (let i = next++; i < units.length; i = next++) {
        const r = await runUnit(job(units[i])).catch(asError);
        // Each result written before the lane takes another unit: a failed write stops the run.
        await (chain = chain.then(() => onResult(i, r)));
      }
    };
    await Promise.all(Array.from({ length: batch }, lane));
    await chain;
    return;
  }
  // The compiled worker: tests run from TypeScript sources, but threads load the build (npm test builds first).
  const filename = pathToFileURL(join(projectPackage().root, 'dist', 'src', 'bench', 'run', 'sweepWorker.js')).href;
  const pool = new Tinypool({ filename, minThreads: workers, maxThreads: workers, concurrentTasksPerWorker: batch, isolateWorkers: false });
  let chain = Promise.resolve();
  try {
    await Promise.all(
      units.map((unit, i) =>
        pool
          .run(job(unit))
          .then((r: UnitResult) => r, asError)
          .then((r) => (chain = chain.then(() => onResult(i, r)))),
      ),
    );
    await chain;
  } finally {
    await pool.destroy();
  }
}
