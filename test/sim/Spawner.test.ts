import { afterEach, describe, expect, it } from 'vitest';
import { TaskSpecSchema } from '../../src/config/index.js';
import { Rng } from '../../src/core/index.js';
import { GraspWorld, initPhysics, objectExtent, planLayout, resolveTask, type Layout } from '../../src/sim/index.js';
import { polygonsOverlap } from '../../src/core/index.js';

await initPhysics();
const worlds: GraspWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.free()));

function scene(layout: Layout, pool: string[], count: number, seed: string) {
  const task = resolveTask(TaskSpecSchema.parse({ id: 't', layout, objects: { count, pool } }), 't.json');
  const rng = new Rng(seed);
  const objects = rng.shuffled(task.pool).slice(0, count);
  const placements = planLayout(layout, objects, task.spec.bin.inner, rng);
  const gw = new GraspWorld(task.spec, objects, placements);
  worlds.push(gw);
  return { task, objects, placements, gw };
}

describe('planLayout', () => {
  it.each([
    ['scattered', ['cubes'], 6],
    ['packed', ['primitives', 'convex'], 8],
  ] as const)('%s: every object starts inside the bin, on the floor, overlapping none', (layout, pool, count) => {
    for (let seed = 0; seed < 20; seed++) {
      const { objects, placements } = scene(layout, [...pool], count, `${layout}-${seed}`);
      const extents = objects.map((o, i) => objectExtent(o.shape, placements[i].position, placements[i].rotation));
      for (const [i, e] of extents.entries()) {
        expect(e.zMin).toBeGreaterThan(0);
        expect(e.zMin).toBeLessThan(0.005);
        for (const [x, y] of e.footprint) {
          expect(Math.abs(x)).toBeLessThanOrEqual(0.15);
          expect(Math.abs(y)).toBeLessThanOrEqual(0.15);
        }
        for (let j = 0; j < i; j++) expect(polygonsOverlap(e.footprint, extents[j].footprint)).toBe(false);
      }
    }
  });

  it('packs objects closer together than it scatters them', () => {
    const spread = (layout: Layout) => {
      const { placements } = scene(layout, ['primitives'], 6, 'spread');
      return Math.max(...placements.map((p) => Math.hypot(p.position.x, p.position.y)));
    };
    expect(spread('packed')).toBeLessThan(spread('scattered'));
  });

  it('pile: starts with nothing interpenetrating, then settles into the bin', () => {
    for (let seed = 0; seed < 5; seed++) {
      const { gw } = scene('pile', ['primitives', 'convex'], 8, `pile-${seed}`);
      const { settled } = gw.settle(2400);
      expect(settled).toBe(true);
      for (const o of gw.objects) {
        expect(gw.isOutsideBin(o.index)).toBe(false);
        expect(o.restZ).toBeGreaterThan(0);
      }
      expect(gw.isUnstable()).toBe(false);
    }
  });
});
