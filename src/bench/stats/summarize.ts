import { policyCellId } from '../episode/Cell.js';
import type { EpisodeRow } from '../episode/EpisodeRow.js';
import { textTable } from '../report/textTable.js';
import { wilsonInterval } from './wilson.js';

/** One cell of a results table: a policy on one task, object count and occlusion level. */
export interface SummaryRow {
  policy: string;
  /** The perception of the cell's episodes (`learned`, `oracle`, `sam2:<name>`), empty for the expert. */
  perception: string;
  task: string;
  objects: string;
  occlusion: string;
  occlusion_mode: string;
  n: number;
  successes: number;
  rate: number;
  ci_lo: number;
  ci_hi: number;
  success_any: number;
  rate_any: number;
  /** Failure reasons and their counts, `reason:count;...`, most frequent first. */
  failures: string;
  /** The averaging diagnostic's means over the episodes that closed (metres; NaN if none did). */
  closing_to_nearest: number;
  closing_to_centroid: number;
  /** Mean of 1 / candidates: the success_target of a policy that grasps a random candidate perfectly. */
  chance: number;
}

export const SUMMARY_COLUMNS = ['policy', 'perception', 'task', 'objects', 'occlusion', 'occlusion_mode', 'n', 'successes', 'rate', 'ci_lo', 'ci_hi', 'success_any', 'rate_any', 'failures', 'closing_to_nearest', 'closing_to_centroid', 'chance'] as const;

/** Groups episode rows into cells, in order of first appearance, with Wilson 95 % intervals. */
export function summarize(rows: readonly EpisodeRow[]): SummaryRow[] {
  const cells = new Map<string, EpisodeRow[]>();
  for (const row of rows) {
    const id = policyCellId(row);
    const cell = cells.get(id);
    if (cell) cell.push(row);
    else cells.set(id, [row]);
  }
  return [...cells.values()].map((cell) => {
    const n = cell.length;
    const successes = cell.filter((r) => r.success_target === '1').length;
    const successAny = cell.filter((r) => r.success_any === '1').length;
    const { lo, hi } = wilsonInterval(successes, n);
    return {
      policy: cell[0].policy,
      perception: [...new Set(cell.map((r) => r.perception).filter(Boolean))].join(';'),
      task: cell[0].task,
      objects: cell[0].objects,
      occlusion: cell[0].occlusion,
      occlusion_mode: cell[0].occlusion_mode,
      n,
      successes,
      rate: successes / n,
      ci_lo: lo,
      ci_hi: hi,
      success_any: successAny,
      rate_any: successAny / n,
      failures: countFailures(cell),
      closing_to_nearest: meanOf(cell, 'closing_to_nearest_m'),
      closing_to_centroid: meanOf(cell, 'closing_to_centroid_m'),
      chance: chanceOf(cell),
    };
  });
}

/** The chance line: mean 1 / candidates over the rows that know their candidates (not crashed ones). */
function chanceOf(cell: readonly EpisodeRow[]): number {
  const known = cell.filter((r) => r.candidates !== '').map((r) => 1 / Number(r.candidates));
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : NaN;
}

function meanOf(cell: readonly EpisodeRow[], column: 'closing_to_nearest_m' | 'closing_to_centroid_m'): number {
  const values = cell.filter((r) => r[column] !== '').map((r) => Number(r[column]));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

function countFailures(cell: readonly EpisodeRow[]): string {
  const counts = new Map<string, number>();
  for (const r of cell) if (r.failure_reason) counts.set(r.failure_reason, (counts.get(r.failure_reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${reason}:${count}`)
    .join(';');
}

/** Summary rows as CSV-ready strings, rates to four decimals. */
export function summaryRecord(row: SummaryRow): Record<(typeof SUMMARY_COLUMNS)[number], string> {
  const f = (v: number) => v.toFixed(4);
  return {
    policy: row.policy,
    perception: row.perception,
    task: row.task,
    objects: row.objects,
    occlusion: row.occlusion,
    occlusion_mode: row.occlusion_mode,
    n: String(row.n),
    successes: String(row.successes),
    rate: f(row.rate),
    ci_lo: f(row.ci_lo),
    ci_hi: f(row.ci_hi),
    success_any: String(row.success_any),
    rate_any: f(row.rate_any),
    failures: row.failures,
    closing_to_nearest: Number.isNaN(row.closing_to_nearest) ? '' : row.closing_to_nearest.toFixed(4),
    closing_to_centroid: Number.isNaN(row.closing_to_centroid) ? '' : row.closing_to_centroid.toFixed(4),
    chance: Number.isNaN(row.chance) ? '' : row.chance.toFixed(4),
  };
}

/**
 * What perceived for whom, for a table's caption: `perception: learned (act, sam2grasp); oracle
 * (sam2grasp@oracle)`, or empty when only the expert ran. Results must say when an oracle ran.
 */
export function perceptionCaption(rows: readonly SummaryRow[]): string {
  const byPerception = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!row.perception) continue;
    const set = byPerception.get(row.perception) ?? new Set<string>();
    byPerception.set(row.perception, set.add(row.policy));
  }
  const parts = [...byPerception].map(([perception, policies]) => `${perception} (${[...policies].join(', ')})`);
  return parts.length ? `perception: ${parts.join('; ')}` : '';
}

/** A plain-text table for the terminal. */
export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}`;
  const header = ['policy', 'task', 'objects', 'occl', 'n', 'success_target % [95% CI]', 'success_any %', 'close→nearest cm', 'close→centroid cm', 'failures'];
  const cm = (v: number) => (Number.isNaN(v) ? '-' : (100 * v).toFixed(1));
  const body = rows.map((r) => [
    r.policy,
    r.task,
    r.objects,
    r.occlusion,
    String(r.n),
    `${pct(r.rate)} [${pct(r.ci_lo)}, ${pct(r.ci_hi)}]`,
    pct(r.rate_any),
    cm(r.closing_to_nearest),
    cm(r.closing_to_centroid),
    r.failures || '-',
  ]);
  return textTable(header, body);
}
