import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec, readJsonFile, SweepSpecSchema, type SweepSpec } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import { EPISODE_COLUMNS, type EpisodeRow } from '../episode/EpisodeRow.js';
import { motionRecords } from '../record/motionCodec.js';
import { readCsv } from '../run/csvFiles.js';
import { parseShard, SweepPlan } from '../run/SweepPlan.js';
import type { SweepRecord } from './writeSweepReport.js';

/** What a sweep folder holds, read and checked: everything a report is made of. */
export interface SweepFolder {
  dir: string;
  record: SweepRecord;
  spec: SweepSpec;
  rows: EpisodeRow[];
  /** Rows the sweep (its shard, for a shard's folder) plans; more than `rows.length` while unfinished. */
  planned: number;
  /** motion.bin's records (record r belongs to row r), or null when the sweep recorded none. */
  motion: Uint8Array[] | null;
}

/**
 * Reads a sweep's results folder. A folder without sweep.json and episodes.csv is not a sweep: one
 * InputError naming it. Rows written by an older version, with fewer columns, get empty values
 * for the columns they lack, as crashed rows have.
 */
export async function readSweepFolder(dir: string): Promise<SweepFolder> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, 'no such folder');
  const missing = ['sweep.json', 'episodes.csv'].filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new InputError(dir, `is not a sweep's results folder (no ${missing.join(' and no ')})`);
  const source = join(dir, 'sweep.json');
  const record = readJsonFile(source) as SweepRecord;
  if (!record || typeof record !== 'object' || !Array.isArray(record.taskIds)) throw new InputError(source, 'is not a sweep record (no taskIds)');
  const spec = parseSpec(SweepSpecSchema, record.spec, `${source}: spec`);
  const shard = parseShard(record.shard ?? '1/1', `${source}: shard`);
  const planned = new SweepPlan(spec, record.taskIds, shard).units.length;
  const { columns, records } = await readCsv(join(dir, 'episodes.csv'));
  const lacking = ['task', 'objects', 'occlusion', 'occlusion_mode', 'index', 'policy', 'success_target'].filter((c) => !columns.includes(c));
  if (lacking.length) throw new InputError(join(dir, 'episodes.csv'), `is not a sweep's episode table (no column ${lacking.join(', ')})`);
  const rows = records.map((r) => Object.fromEntries(EPISODE_COLUMNS.map((c) => [c, r[c] ?? ''])) as EpisodeRow);
  const motionPath = join(dir, 'motion.bin');
  const motion = existsSync(motionPath) ? motionRecords(readFileSync(motionPath)) : null;
  return { dir, record, spec, rows, planned, motion };
}
