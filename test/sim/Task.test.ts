import { describe, expect, it } from 'vitest';
import { TaskSpecSchema } from '../../src/config/index.js';
import { CATALOG, CATALOG_GROUPS, largestExtent, resolveTask } from '../../src/sim/index.js';

const spec = (objects: object, extra: object = {}) => TaskSpecSchema.parse({ id: 't', objects, ...extra });

describe('resolveTask', () => {
  it('expands groups and names into descriptors, without repeats', () => {
    const task = resolveTask(spec({ count: 3, pool: ['cubes', 'cube_red', 'sphere_ball'] }), 't.json');
    expect(task.pool.map((o) => o.name)).toEqual([...CATALOG_GROUPS.cubes.map((o) => o.name), 'sphere_ball']);
  });

  it('names an unknown pool entry', () => {
    expect(() => resolveTask(spec({ count: 3, pool: ['cubes', 'cube_pink'] }), 't.json')).toThrow(/t\.json: objects\.pool\[1\]: unknown object or group "cube_pink"/);
  });

  it('refuses an object that cannot fit the bin', () => {
    const custom = [{ name: 'plank', shape: { kind: 'box', size: [0.4, 0.04, 0.02] }, mass: 0.2, colour: '#123456' }];
    expect(() => resolveTask(spec({ count: 1, pool: ['plank'], custom }), 't.json')).toThrow(/"plank" is 40\.2 cm across and cannot fit the 30\.0 cm bin/);
  });

  it('refuses an object the gripper cannot close on', () => {
    const custom = [{ name: 'slab', shape: { kind: 'box', size: [0.12, 0.12, 0.02] }, mass: 0.2, colour: '#123456' }];
    expect(() => resolveTask(spec({ count: 1, pool: ['slab'], custom }), 't.json')).toThrow(/"slab" is 12\.0 cm wide at its narrowest; the gripper opens 10\.0 cm/);
  });

  it('refuses more objects than the floor can take without overlap', () => {
    expect(() => resolveTask(spec({ count: 30, pool: ['cubes'] }), 't.json')).toThrow(/objects\.count: 30 of the largest objects/);
  });

  it('keeps every catalog object within 3-8 cm and 50-300 g', () => {
    for (const desc of CATALOG.values()) {
      expect(largestExtent(desc.shape)).toBeGreaterThanOrEqual(0.03);
      expect(largestExtent(desc.shape)).toBeLessThanOrEqual(0.08);
      expect(desc.mass).toBeGreaterThanOrEqual(0.05);
      expect(desc.mass).toBeLessThanOrEqual(0.3);
    }
    const task = resolveTask(spec({ count: 1, pool: Object.keys(CATALOG_GROUPS) }), 't.json');
    expect(task.pool).toHaveLength(CATALOG.size);
  });
});
