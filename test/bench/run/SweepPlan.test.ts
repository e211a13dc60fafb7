import { describe, expect, it } from 'vitest';
import { parseShard, SweepPlan } from '../../../src/bench/index.js';
import { SweepSpecSchema } from '../../../src/config/index.js';

const raw = { id: 's', policies: ['expert', 'act'], tasks: ['cubes'], objects: ['3-6', 2], occlusion: [0, 0.5], episodes: 5, columns: 'occlusion' };
const spec = SweepSpecSchema.parse(raw);

describe('SweepPlan', () => {
  it('enumerates cells, keys and policies in a fixed order; every policy meets the same keys', () => {
    const plan = new SweepPlan(spec, ['cubes']);
    expect(plan.units).toHaveLength(2 * 2 * 5 * 2);
    expect(plan.units.slice(0, 3).map((u) => plan.unitId(u))).toEqual(['cubes|3-6|0|frames|0|expert', 'cubes|3-6|0|frames|0|act', 'cubes|3-6|0|frames|1|expert']);
    expect(plan.unitId(plan.units.at(-1)!)).toBe('cubes|2|0.5|frames|4|act');
  });

  it('runs the keys from firstKey on, in the same order, when a sweep asks for keys no table uses', () => {
    const held = new SweepPlan(SweepSpecSchema.parse({ ...raw, firstKey: 3_000_000 }), ['cubes']);
    expect(spec.firstKey).toBe(0);
    expect(held.units).toHaveLength(2 * 2 * 5 * 2);
    expect(held.units.map((u) => u.key.index).filter((i, n, all) => all.indexOf(i) === n)).toEqual([3_000_000, 3_000_001, 3_000_002, 3_000_003, 3_000_004]);
    expect(held.unitId(held.units[2])).toBe('cubes|3-6|0|frames|3000001|expert');
  });

  it("splits into shards that keep a key's policies together and cover every unit once", () => {
    const whole = new SweepPlan(spec, ['cubes']);
    const shards = [1, 2, 3].map((index) => new SweepPlan(spec, ['cubes'], { index, count: 3 }));
    const ids = shards.flatMap((s) => s.units.map((u) => whole.unitId(u)));
    expect(new Set(ids).size).toBe(whole.units.length);
    expect(ids.sort()).toEqual(whole.units.map((u) => whole.unitId(u)).sort());
    for (const s of shards) for (let i = 0; i < s.units.length; i += 2) expect(s.units[i].key).toEqual(s.units[i + 1].key);
  });

  it('parses i/N shard specs and refuses the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['3/2', '0/0', '0/3', '1/0', '1', 'a/b', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard: expected i\/N/);
  });
});
