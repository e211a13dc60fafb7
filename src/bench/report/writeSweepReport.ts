import { join } from 'node:path';
import type { SweepSpec } from '../../config/index.js';
import { environmentFacts, formatObjectCount, writeFileAtomic } from '../../core/index.js';
import type { EpisodeRow } from '../episode/EpisodeRow.js';
import { writeCsvAtomic } from '../run/csvFiles.js';
import type { ResolvedSweep } from '../run/resolveSweep.js';
import { formatShard, type Shard } from '../run/SweepPlan.js';
import { pairedComparisons, pairedRecord, PAIRED_COLUMNS, type PairedRow } from '../stats/pairedComparisons.js';
import { summarize, summaryRecord, SUMMARY_COLUMNS, type SummaryRow } from '../stats/summarize.js';
import { sweepPlot } from './sweepPlot.js';
import { latexTables, markdownTables, sectionFamily, tableSections, terminalTables } from './sweepTables.js';

/**
 * `sweep.json`: what a results folder holds: the sweep (policies as their rows name them), its
 * configuration hash and the shard. Nothing machine- or time-dependent, so a resumed run, a shard
 * and a merge can be checked against it byte for byte.
 */
export function sweepRecord(sweep: Pick<ResolvedSweep, 'spec' | 'taskIds' | 'configHash' | 'models'>, shard: Shard) {
  // Object counts as the spec file writes them, so the record parses back as a spec.
  const spec = { ...sweep.spec, objects: sweep.spec.objects.map(formatObjectCount) };
  return { id: sweep.spec.id, configHash: sweep.configHash, shard: formatShard(shard), taskIds: sweep.taskIds, models: sweep.models, spec };
}

export type SweepRecord = ReturnType<typeof sweepRecord>;

export interface SweepReport {
  summary: SummaryRow[];
  paired: PairedRow[];
  /** The success tables as plain text, for the terminal. */
  text: string;
}

/** A sweep's statistics from its rows: what the CSV files, the tables, the plot and the HTML report show. */
export function sweepStatistics(spec: SweepSpec, taskIds: readonly string[], rows: readonly EpisodeRow[]) {
  const summary = summarize(rows);
  const sections = tableSections(spec, taskIds);
  const paired = pairedComparisons(rows, sectionFamily(sections));
  const pairedAny = pairedComparisons(rows, sectionFamily(sections), 'success_any');
  return { summary, sections, paired, pairedAny };
}

/**
 * Writes everything derived from a sweep's rows, each file atomically: summary.csv, paired.csv
 * (on success_target), paired-any.csv (the same tests on success_any), table.md, table.tex,
 * plot.svg, and run.json with the given facts about the run.
 */
export async function writeSweepReport(outDir: string, spec: SweepSpec, taskIds: readonly string[], rows: readonly EpisodeRow[], run: Record<string, unknown>): Promise<SweepReport> {
  const { summary, sections, paired, pairedAny } = sweepStatistics(spec, taskIds, rows);
  await writeCsvAtomic(join(outDir, 'summary.csv'), SUMMARY_COLUMNS, summary.map(summaryRecord));
  await writeCsvAtomic(join(outDir, 'paired.csv'), PAIRED_COLUMNS, paired.map(pairedRecord));
  await writeCsvAtomic(join(outDir, 'paired-any.csv'), PAIRED_COLUMNS, pairedAny.map(pairedRecord));
  writeFileAtomic(join(outDir, 'table.md'), markdownTables(spec, sections, summary, paired, pairedAny));
  writeFileAtomic(join(outDir, 'table.tex'), latexTables(spec, sections, summary, paired));
  writeFileAtomic(join(outDir, 'plot.svg'), await sweepPlot(spec, sections, summary));
  writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify({ sweep: spec.id, ...run, ...environmentFacts() }, null, 2)}\n`);
  return { summary, paired, text: terminalTables(spec, sections, summary, paired) };
}
