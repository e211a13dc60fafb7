import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvText, EPISODE_COLUMNS, formatGate, gate, type EpisodeRow } from '../../../src/bench/index.js';
import { tempDir } from '../../cli/helpers.js';

const dir = tempDir('sam2grasp-gate-');
const blank = () => Object.fromEntries(EPISODE_COLUMNS.map((c) => [c, ''])) as EpisodeRow;
const row = (occlusion: string, index: number, success: boolean): EpisodeRow => ({
  ...blank(),
  task: 'cubes',
  objects: '3-6',
  occlusion,
  occlusion_mode: 'frames',
  index: String(index),
  policy: 'sam2grasp',
  success_target: success ? '1' : '0',
  state_hash: '0123456789abcdef',
});

/** One cell: `lost` keys the reference won and the results lost, `gained` the other way, 2 ties. */
function cell(occlusion: string, lost: number, gained: number) {
  const reference: EpisodeRow[] = [];
  const results: EpisodeRow[] = [];
  const outcomes: [boolean, boolean][] = [...Array(lost).fill([true, false]), ...Array(gained).fill([false, true]), [true, true], [false, false]];
  outcomes.forEach(([before, now], i) => {
    reference.push(row(occlusion, i, before));
    results.push(row(occlusion, i, now));
  });
  return { reference, results };
}

async function runGate(name: string, cells: { reference: EpisodeRow[]; results: EpisodeRow[] }[], alpha: number) {
  const referenceCsv = join(dir, `${name}-reference.csv`);
  const resultsCsv = join(dir, `${name}-results.csv`);
  writeFileSync(referenceCsv, await csvText(EPISODE_COLUMNS, cells.flatMap((c) => c.reference)));
  writeFileSync(resultsCsv, await csvText(EPISODE_COLUMNS, cells.flatMap((c) => c.results)));
  return gate({ referenceCsv, resultsCsv, alpha, checkHashes: true });
}

describe('gate: Holm over its cells', () => {
  it('fails three cells whose adjusted p all stay below alpha (hand-computed)', async () => {
    // Raw one-sided p with no gains: 8 losses 1/256, 6 losses 1/64, 5 losses 1/32.
    // Holm, m = 3: 3/256 = 0.01171875; 2/64 = 0.03125; 1/32 = 0.03125. All < 0.05.
    const rows = await runGate('three', [cell('0', 8, 0), cell('0.2', 6, 0), cell('0.4', 5, 0)], 0.05);
    const expected = [
      [1 / 256, 3 / 256],
      [1 / 64, 1 / 32],
      [1 / 32, 1 / 32],
    ];
    rows.forEach((r, i) => {
      expect(r.p).toBeCloseTo(expected[i][0], 12);
      expect(r.pHolm).toBeCloseTo(expected[i][1], 12);
      expect(r.verdict).toBe('worse');
    });
  });

  it('passes a cell whose raw p is below alpha but whose adjusted p is not', async () => {
    // 5 straight losses: raw p = 1/32 = 0.03125 < 0.05, which alone would fail. Among three cells
    // (the other two unchanged, p = 1): Holm 3/32 = 0.09375 >= 0.05, so the gate passes.
    const rows = await runGate('chance', [cell('0', 5, 0), cell('0.2', 0, 0), cell('0.4', 1, 1)], 0.05);
    expect(rows[0].p).toBeCloseTo(1 / 32, 12);
    expect(rows[0].pHolm).toBeCloseTo(3 / 32, 12);
    expect(rows.map((r) => r.pHolm)).toEqual([rows[0].pHolm, 1, 1]);
    expect(rows.map((r) => r.verdict)).toEqual(['ok', 'ok', 'ok']);
  });

  it('counts only cells that paired a key: a cell the results lack entirely fails as missing and is no test', async () => {
    // Two cells: 5 losses (1/32) and 6 losses (1/64); Holm, m = 2: 1/32, 1/32 < 0.04. Counting the
    // missing cell would make m = 3: 3/64 = 0.047 > 0.04, and both would pass.
    const gone = cell('0.6', 0, 0);
    const rows = await runGate('missing', [cell('0', 5, 0), cell('0.2', 6, 0), { reference: gone.reference, results: [] }], 0.04);
    expect(rows.map((r) => r.pHolm)).toEqual([1 / 32, 1 / 32, 1].map((v) => expect.closeTo(v, 12)));
    expect(rows.map((r) => r.verdict)).toEqual(['worse', 'worse', 'missing']);
  });

  it('prints the raw and the adjusted p', async () => {
    const rows = await runGate('print', [cell('0', 5, 0), cell('0.2', 0, 0), cell('0.4', 1, 1)], 0.05);
    const text = formatGate(rows, 0.05).split('\n');
    expect(text[0]).toMatch(/p \(worse\) +Holm p \(alpha 0\.05\)/);
    // 1/32 and 3/32, to three digits (the last digit of an exact half depends on rounding).
    expect(text[2]).toMatch(/ 5 +0 +0\.031\d +0\.093\d +0 +0 +ok$/);
  });
});
