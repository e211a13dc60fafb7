import { cellId, cellOf, type Cell } from '../episode/Cell.js';
import type { EpisodeRow } from '../episode/EpisodeRow.js';
import { mcnemarExact } from './exactTests.js';
import { holmWithin } from './holm.js';

/** Two policies compared on the keys of one cell that both ran. */
export interface PairedRow extends Cell {
  policy_a: string;
  policy_b: string;
  /** Keys both policies ran. */
  n: number;
  successes_a: number;
  successes_b: number;
  /** Discordant keys: only A succeeded, only B succeeded. */
  a_only: number;
  b_only: number;
  /** Exact McNemar p-value, two-sided. */
  p: number;
  /** `p` Holm-adjusted within its family (see `pairedComparisons`); `p` itself when `n` is 0. */
  p_holm: number;
}

export const PAIRED_COLUMNS = ['task', 'objects', 'occlusion', 'occlusion_mode', 'policy_a', 'policy_b', 'n', 'successes_a', 'successes_b', 'a_only', 'b_only', 'p', 'p_holm'] as const;

/**
 * Every pair of policies (in order of first appearance) in every cell, on the keys both ran: the
 * exact McNemar test of the paper's comparisons, which uses that the methods met the same scenes.
 * `familyOf` names the family each comparison is read in (a sweep's: the table section that shows
 * it); `p_holm` is Holm's adjustment over the comparisons of the family that paired any key.
 * `outcome` is what counts as a success: the target lifted (the paper's tables), or any object
 * (what tells a policy that grasps the wrong object from one that grasps none).
 */
export function pairedComparisons(rows: readonly EpisodeRow[], familyOf: (cell: Cell) => string, outcome: 'success_target' | 'success_any' = 'success_target'): PairedRow[] {
  // Keys are paired within a cell: by cell, then policy, then key index.
  const cells = new Map<string, { cell: Cell; byPolicy: Map<string, Map<string, boolean>> }>();
  for (const r of rows) {
    const entry = cells.get(cellId(r)) ?? { cell: cellOf(r), byPolicy: new Map<string, Map<string, boolean>>() };
    cells.set(cellId(r), entry);
    const byKey = entry.byPolicy.get(r.policy) ?? new Map<string, boolean>();
    entry.byPolicy.set(r.policy, byKey);
    byKey.set(r.index, r[outcome] === '1');
  }
  const out: PairedRow[] = [];
  for (const { cell, byPolicy } of cells.values()) {
    const policies = [...byPolicy.keys()];
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const a = byPolicy.get(policies[i])!;
        const b = byPolicy.get(policies[j])!;
        const counts = { n: 0, successes_a: 0, successes_b: 0, a_only: 0, b_only: 0 };
        for (const [index, successA] of a) {
          const successB = b.get(index);
          if (successB === undefined) continue;
          counts.n++;
          counts.successes_a += Number(successA);
          counts.successes_b += Number(successB);
          counts.a_only += Number(successA && !successB);
          counts.b_only += Number(successB && !successA);
        }
        const p = mcnemarExact(counts.a_only, counts.b_only);
        out.push({ ...cell, policy_a: policies[i], policy_b: policies[j], ...counts, p, p_holm: p });
      }
    }
  }
  // A pair with no shared key is no test: it stays out of its family.
  const adjusted = holmWithin(out, (r) => r.p, (r) => (r.n ? familyOf(r) : undefined));
  out.forEach((r, i) => (r.p_holm = adjusted[i]));
  return out;
}

/** A paired row as CSV strings. */
export function pairedRecord(r: PairedRow): Record<(typeof PAIRED_COLUMNS)[number], string> {
  return { ...r, n: String(r.n), successes_a: String(r.successes_a), successes_b: String(r.successes_b), a_only: String(r.a_only), b_only: String(r.b_only), p: formatP(r.p), p_holm: formatP(r.p_holm) };
}

/** p-values to three significant digits, tiny ones in exponent form. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toPrecision(3) : p.toExponential(2);
}
