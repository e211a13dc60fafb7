import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec, readJsonFile, SweepSpecSchema } from '../../config/index.js';
import { InputError, writeFileAtomic } from '../../core/index.js';
import { csvText, readCsv } from './csvFiles.js';
import { unitId } from '../episode/Cell.js';
import { EPISODE_COLUMNS, type EpisodeRow } from '../episode/EpisodeRow.js';
import { EMPTY_RECORD, motionRecords } from '../record/motionCodec.js';
import { prepareOutDir } from './prepareOutDir.js';
import { parseShard, SweepPlan, WHOLE } from './SweepPlan.js';
import { writeSweepReport, type SweepRecord, type SweepReport } from '../report/writeSweepReport.js';

/**
 * Combines the folders of a sharded sweep into one, byte-identical to the unsharded run's
 * episodes.csv (and sweep.json and derived files). Refuses shards of different sweeps or
 * configurations, a shard given twice or missing, and a shard that is not complete.
 */
export async function mergeShards(dirs: readonly string[], outDir: string, command: string): Promise<SweepReport> {
  if (dirs.length === 0) throw new InputError('SHARD_DIR', 'name the shard folders to merge');
  const records = dirs.map((dir) => readJsonFile(join(dir, 'sweep.json')) as SweepRecord);
  const first = records[0];
  const count = parseShard(first.shard, `${dirs[0]}/sweep.json: shard`).count;
  const seen = new Map<number, string>();
  records.forEach((record, i) => {
    if (record.configHash !== first.configHash || record.id !== first.id) {
      throw new InputError(dirs[i], `holds sweep "${record.id}" with config ${record.configHash?.slice(0, 12)}, not "${first.id}" with config ${first.configHash?.slice(0, 12)} like ${dirs[0]}`);
    }
    const shard = parseShard(record.shard, `${dirs[i]}/sweep.json: shard`);
    if (shard.count !== count) throw new InputError(dirs[i], `is shard ${record.shard}, but ${dirs[0]} is one of ${count}`);
    if (seen.has(shard.index)) throw new InputError(dirs[i], `is shard ${record.shard} again (also ${seen.get(shard.index)})`);
    seen.set(shard.index, dirs[i]);
  });
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new InputError('SHARD_DIR', `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  if (existsSync(join(outDir, 'episodes.csv'))) throw new InputError('--out', `${outDir} already holds results; merge into a fresh folder`);

  const spec = parseSpec(SweepSpecSchema, first.spec, `${dirs[0]}/sweep.json: spec`);
  const whole = new SweepPlan(spec, first.taskIds, WHOLE);
  const rows: EpisodeRow[] = [];
  const motions = new Map<EpisodeRow, Uint8Array>();
  for (const [i, dir] of dirs.entries()) {
    const plan = new SweepPlan(spec, first.taskIds, parseShard(records[i].shard));
    const { columns, records: shardRows } = await readCsv(join(dir, 'episodes.csv'));
    if (columns.join(',') !== EPISODE_COLUMNS.join(',')) throw new InputError(`${dir}/episodes.csv`, 'has other columns than episodes.csv files have');
    const bad = (shardRows as EpisodeRow[]).findIndex((row, r) => r >= plan.units.length || unitId(row) !== plan.unitId(plan.units[r]));
    if (bad >= 0) throw new InputError(`${dir}/episodes.csv`, `line ${bad + 2} is not shard ${records[i].shard}'s episode there (a duplicated or foreign key)`);
    if (shardRows.length < plan.units.length) throw new InputError(`${dir}/episodes.csv`, `holds ${shardRows.length} of the shard's ${plan.units.length} episodes; finish it first (re-run its command)`);
    rows.push(...(shardRows as EpisodeRow[]));
    shardMotions(dir, shardRows.length).forEach((record, r) => motions.set(shardRows[r] as EpisodeRow, record));
  }
  rows.sort((a, b) => whole.positionOfRow(a) - whole.positionOfRow(b));

  prepareOutDir(outDir);
  if (dirs.some((dir) => existsSync(join(dir, 'motion.bin')))) writeFileAtomic(join(outDir, 'motion.bin'), Buffer.concat(rows.map((row) => motions.get(row)!)));
  writeFileAtomic(join(outDir, 'episodes.csv'), await csvText(EPISODE_COLUMNS, rows));
  writeFileAtomic(join(outDir, 'sweep.json'), `${JSON.stringify({ ...first, shard: '1/1' }, null, 2)}\n`);
  return writeSweepReport(outDir, spec, first.taskIds, rows, { command, configHash: first.configHash, mergedFrom: dirs });
}

/** A shard's motion records, one per row (empty records where it recorded none). */
function shardMotions(dir: string, rows: number): Uint8Array[] {
  const path = join(dir, 'motion.bin');
  const records = existsSync(path) ? motionRecords(readFileSync(path)).slice(0, rows) : [];
  return Array.from({ length: rows }, (_, r) => records[r] ?? EMPTY_RECORD);
}
