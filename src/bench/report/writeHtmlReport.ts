import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'vega-lite';
import { projectPackage } from '../../core/index.js';
import { CLOSING_COMMAND } from '../../env/index.js';
import { unitId } from '../episode/Cell.js';
import { EPISODE_COLUMNS } from '../episode/EpisodeRow.js';
import { EMPTY_RECORD } from '../record/motionCodec.js';
import { markdownToHtml } from './markdownToHtml.js';
import { MOTION_CHUNK_ROWS, motionChunkScripts } from './motionChunks.js';
import { readSweepFolder, type SweepFolder } from './readSweepFolder.js';
import { DATA_GLOBAL, motionChunkPath, type ReportData } from './ReportData.js';
import { replayLooks } from './replayLooks.js';
import { sweepPlotSpec } from './sweepPlot.js';
import { markdownTables } from './sweepTables.js';
import { sweepStatistics } from './writeSweepReport.js';

/** The page's own files, built from web/ by `npm run build` (esbuild), copied into every report. */
const PAGE_FILES = ['index.html', 'report.css', 'report.js'];

/** What a report came to. */
export interface HtmlReportFacts {
  /** The report folder: DIR/report. */
  dir: string;
  /** Episode rows shown, and the rows the sweep plans. */
  episodes: number;
  planned: number;
  /** Rows with a motion record to replay. */
  recorded: number;
  /** Bytes of every file written. */
  bytes: number;
}

/**
 * Writes `DIR/report/`: a page that opens from disk with no network (index.html, its bundled
 * script, data.js and the motion chunks), showing the sweep's tables, plot, episodes and 3-D
 * replays. Everything is read and checked before anything is written; the folder is built beside
 * its place and renamed into it, so a failure leaves the previous report (or none), never half.
 * The statistics are computed from episodes.csv by the functions that wrote summary.csv and
 * table.md, so an unfinished sweep's report shows the rows that exist.
 */
export async function writeHtmlReport(dir: string): Promise<HtmlReportFacts> {
  const folder = await readSweepFolder(dir);
  const pageDir = join(projectPackage().root, 'dist', 'web');
  const missing = PAGE_FILES.filter((f) => !existsSync(join(pageDir, f)));
  if (missing.length) throw new Error(`the report page is not built (${missing.join(', ')} missing in ${pageDir}): run npm run build`);
  const data = reportData(folder);
  const records = data.motion ? motionRecordsOfRows(folder) : [];

  const out = join(dir, 'report');
  const building = join(dir, `.report-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  if (records.length) mkdirSync(join(building, 'motion'));
  try {
    for (const f of PAGE_FILES) copyFileSync(join(pageDir, f), join(building, f));
    writeFileSync(join(building, 'data.js'), `window.${DATA_GLOBAL} = ${JSON.stringify(data)};\n`);
    motionChunkScripts(records).forEach((script, chunk) => writeFileSync(join(building, motionChunkPath(chunk)), script));
    replaceFolder(building, out);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  return { dir: out, episodes: folder.rows.length, planned: folder.planned, recorded: records.filter((r) => r.length > EMPTY_RECORD.length).length, bytes: folderBytes(out) };
}

/** The page's data: the rows, the tables and plot computed from them, and the replay geometry. */
function reportData({ dir, record, spec, rows, planned, motion }: SweepFolder): ReportData {
  const { summary, sections, paired, pairedAny } = sweepStatistics(spec, record.taskIds, rows);
  const looks = replayLooks(spec.tasks, record.taskIds, dir);
  return {
    id: spec.id,
    description: spec.description,
    episodes: { done: rows.length, planned },
    // table.md's own title and description are the page's header already.
    tablesHtml: markdownToHtml(markdownTables({ ...spec, description: '' }, sections, summary, paired, pairedAny).replace(/^# [^\n]*\n/, '')),
    plot: compile(sweepPlotSpec(spec, sections, summary, { tooltips: true })).spec,
    columns: [...EPISODE_COLUMNS],
    rows: rows.map((r) => EPISODE_COLUMNS.map((c) => r[c])),
    units: rows.map(unitId),
    tasks: looks.tasks,
    objects: looks.objects,
    closingCommand: CLOSING_COMMAND,
    motion: motion ? { chunkSize: MOTION_CHUNK_ROWS, chunks: Math.ceil(Math.min(motion.length, rows.length) / MOTION_CHUNK_ROWS), records: Math.min(motion.length, rows.length) } : null,
    notes: looks.notes,
  };
}

/** Record r belongs to row r; records past the rows (a run killed between its two writes) are dropped. */
function motionRecordsOfRows(folder: SweepFolder): Uint8Array[] {
  return (folder.motion ?? []).slice(0, folder.rows.length);
}

/** Puts the finished folder in place of `to`, which may hold an older report. */
function replaceFolder(from: string, to: string): void {
  const old = `${to}.old-${process.pid}`;
  if (existsSync(to)) renameSync(to, old);
  renameSync(from, to);
  rmSync(old, { recursive: true, force: true });
}

function folderBytes(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? folderBytes(join(path, e.name)) : statSync(join(path, e.name)).size), 0);
}
