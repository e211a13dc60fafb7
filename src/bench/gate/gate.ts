import { existsSync } from 'node:fs';
import { InputError } from '../../core/index.js';
import { cellLabel, policyCellId, unitId } from '../episode/Cell.js';
import { EPISODE_COLUMNS, type EpisodeRow } from '../episode/EpisodeRow.js';
import { textTable } from '../report/textTable.js';
import { readCsv } from '../run/csvFiles.js';
import { pairedWorseP } from '../stats/exactTests.js';
import { holmWithin } from '../stats/holm.js';
import { formatP } from '../stats/pairedComparisons.js';

export interface GateOptions {
  resultsCsv: string;
  referenceCsv: string;
  /** Family-wise significance level over the gate's cells (Holm). */
  alpha: number;
  /** Compare state hashes (off when a policy changed on purpose and only its success matters). */
  checkHashes: boolean;
}

export type Verdict = 'ok' | 'worse' | 'hash' | 'missing';

/** One policy in one cell, read against the reference on the keys both ran. */
export interface GateRow {
  policy: string;
  cell: string;
  /** Reference keys both files hold, and those the results lack. */
  paired: number;
  missing: number;
  referenceSuccesses: number;
  successes: number;
  /** Keys the reference succeeded on and the results failed, and the other way round. */
  lost: number;
  gained: number;
  /** One-sided exact p that the results are no worse than the reference. */
  p: number;
  /** `p` Holm-adjusted over the gate's cells that paired any key: the verdict compares it with alpha. */
  pHolm: number;
  hashMismatches: number;
  verdict: Verdict;
}

async function readEpisodes(path: string): Promise<EpisodeRow[]> {
  if (!existsSync(path)) throw new InputError(path, 'no such file');
  const { columns, records } = await readCsv(path);
  if (columns.join(',') !== EPISODE_COLUMNS.join(',')) {
    const missing = EPISODE_COLUMNS.filter((c) => !columns.includes(c));
    const extra = columns.filter((c) => !(EPISODE_COLUMNS as readonly string[]).includes(c));
    const what = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has unknown ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
    throw new InputError(path, `is not an episodes.csv of this version (${what || 'columns in another order'})`);
  }
  return records as EpisodeRow[];
}

/**
 * The statistical CI gate: for every policy and cell of the reference, pair its episodes with the
 * results' by key, and fail the cell when the results are significantly worse (one-sided exact
 * binomial test on the discordant keys), when a state hash differs for the same key (determinism
 * broke), or when the results lack reference keys. "Significantly" holds over all the cells at
 * once: the p-values of the cells that paired any key are one family, Holm-adjusted, and a cell is
 * worse when its adjusted p < alpha. So a harmless change fails some cell with a chance of at most
 * alpha, however many cells there are (tested alone at alpha each, 10 cells failed up to ~10 %).
 */
export async function gate(options: GateOptions): Promise<GateRow[]> {
  const reference = await readEpisodes(options.referenceCsv);
  const results = new Map((await readEpisodes(options.resultsCsv)).map((r) => [unitId(r), r]));
  const cells = new Map<string, EpisodeRow[]>();
  for (const r of reference) {
    const id = policyCellId(r);
    cells.set(id, [...(cells.get(id) ?? []), r]);
  }
  const rows = [...cells.values()].map((refRows) => {
    const row: GateRow = { policy: refRows[0].policy, cell: cellLabel(refRows[0]), paired: 0, missing: 0, referenceSuccesses: 0, successes: 0, lost: 0, gained: 0, p: 1, pHolm: 1, hashMismatches: 0, verdict: 'ok' };
    for (const ref of refRows) {
      const now = results.get(unitId(ref));
      if (!now) {
        row.missing++;
        continue;
      }
      const [a, b] = [ref.success_target === '1', now.success_target === '1'];
      row.paired++;
      row.referenceSuccesses += Number(a);
      row.successes += Number(b);
      row.lost += Number(a && !b);
      row.gained += Number(b && !a);
      row.hashMismatches += Number(ref.state_hash !== now.state_hash);
    }
    row.p = pairedWorseP(row.lost, row.gained);
    return row;
  });
  // A cell with no paired key is no test (it fails as missing); the others are one family.
  const adjusted = holmWithin(rows, (r) => r.p, (r) => (r.paired ? 'gate' : undefined));
  rows.forEach((row, i) => {
    row.pHolm = adjusted[i];
    row.verdict = row.missing ? 'missing' : row.pHolm < options.alpha ? 'worse' : options.checkHashes && row.hashMismatches ? 'hash' : 'ok';
  });
  return rows;
}

/** The gate's verdicts as a plain-text table. */
export function formatGate(rows: readonly GateRow[], alpha: number): string {
  const pct = (k: number, n: number) => (n ? ((100 * k) / n).toFixed(1) : '-');
  const header = ['policy', 'cell', 'paired', 'reference %', 'now %', 'lost', 'gained', 'p (worse)', `Holm p (alpha ${alpha})`, 'hashes differ', 'missing', 'verdict'];
  const body = rows.map((r) => [r.policy, r.cell, String(r.paired), pct(r.referenceSuccesses, r.paired), pct(r.successes, r.paired), String(r.lost), String(r.gained), formatP(r.p), formatP(r.pHolm), String(r.hashMismatches), String(r.missing), r.verdict === 'ok' ? 'ok' : `FAIL (${r.verdict})`]);
  return textTable(header, body);
}
