import { describe, expect, it } from 'vitest';
import { pairedComparisons, type EpisodeRow } from '../../../src/bench/index.js';
import { pairedRecord } from '../../../src/bench/stats/pairedComparisons.js';
import { markdownTables, sectionFamily, tableSections, terminalTables } from '../../../src/bench/report/sweepTables.js';
import { summarize } from '../../../src/bench/stats/summarize.js';
import type { SweepSpec } from '../../../src/config/index.js';

const row = (task: string, occlusion: string, policy: string, index: number, success: boolean) =>
  ({ task, objects: '3-6', occlusion, occlusion_mode: 'frames', index: String(index), policy, perception: '', success_target: success ? '1' : '0', failure_reason: success ? '' : 'missed', closing_to_nearest_m: '', closing_to_centroid_m: '', success_any: success ? '1' : '0' }) as unknown as EpisodeRow;
/** `a` succeeds on every key, `b` on none: `wins` discordant keys, all for `a`. */
const aBeatsB = (task: string, occlusion: string, wins: number) => [...Array(wins).keys()].flatMap((i) => [row(task, occlusion, 'a', i, true), row(task, occlusion, 'b', i, false)]);

const spec = { id: 't', description: '', policies: ['a', 'b', 'c'], tasks: ['cubes', 'pile'], objects: [{ min: 3, max: 6 }], occlusion: [0, 0.4], occlusionMode: 'frames', episodes: 7 } as SweepSpec;
const rows = [
  ...aBeatsB('cubes', '0', 9), // McNemar p = 2 / 2^9 = 0.00390625
  ...aBeatsB('cubes', '0.4', 5), // p = 2 / 2^5 = 0.0625
  ...aBeatsB('pile', '0', 9), // p = 0.00390625
  row('cubes', '0', 'c', 100, true), // c shares no key with a or b: those pairs are no test
];
const sections = tableSections(spec, ['cubes', 'pile']);
const paired = pairedComparisons(rows, sectionFamily(sections));
const find = (task: string, occlusion: string, a: string, b: string) => paired.find((r) => r.task === task && r.occlusion === occlusion && r.policy_a === a && r.policy_b === b)!;

describe('paired comparisons: Holm within each table section', () => {
  it('adjusts over the comparisons one table shows, and no further', () => {
    // The cubes table holds a vs b at p = 0 and at p = 0.4 (m = 2): 0.00390625 x 2 = 0.0078125,
    // then 0.0625 x 1 = 0.0625. The pile table holds one comparison (m = 1): unchanged.
    const expected: [string, string, number, number][] = [
      ['cubes', '0', 0.00390625, 0.0078125],
      ['cubes', '0.4', 0.0625, 0.0625],
      ['pile', '0', 0.00390625, 0.00390625],
    ];
    for (const [task, occlusion, p, pHolm] of expected) {
      const r = find(task, occlusion, 'a', 'b');
      expect(r.p, `${task} ${occlusion}`).toBeCloseTo(p, 12);
      expect(r.p_holm, `${task} ${occlusion}`).toBeCloseTo(pHolm, 12);
    }
    // Pairs with no shared key are not counted in m, and stay at p = 1.
    expect(find('cubes', '0', 'a', 'c')).toMatchObject({ n: 0, p: 1, p_holm: 1 });
  });

  it('writes p_holm into paired.csv beside p', () => {
    expect(pairedRecord(find('cubes', '0', 'a', 'b'))).toMatchObject({ p: '0.00391', p_holm: '0.00781' });
  });

  it('prints raw and adjusted p side by side in the Markdown and terminal tables', () => {
    const summary = summarize(rows);
    const md = markdownTables(spec, sections, summary, paired);
    expect(md).toContain("Holm: that p adjusted by Holm's method over this table's comparisons");
    expect(md).toContain('| a vs b | +100.0 (p = 0.00391; Holm 0.00781) | +100.0 (p = 0.0625; Holm 0.0625) |');
    expect(md).toContain('| a vs b | +100.0 (p = 0.00391; Holm 0.00391) | – |');
    expect(terminalTables(spec, sections, summary, paired)).toMatch(/a vs b +\+100\.0 \(p = 0\.00391; Holm 0\.00781\) +\+100\.0 \(p = 0\.0625; Holm 0\.0625\)/);
  });
});
