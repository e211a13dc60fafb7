import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { convexVolumeProblem, ShapeDescSchema } from '../../src/config/ObjectDesc.js';
import { excerpt, parseSpec } from '../../src/config/parseSpec.js';
import { InputError } from '../../src/core/index.js';
import { supportPoints } from '../../src/sim/index.js';
import { CATALOG } from '../../src/sim/ObjectCatalog.js';

type P = [number, number, number];
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('expected an InputError');
};
const convex = (points: P[]) => ({ kind: 'convex', points });

describe('convex shapes must span a solid', () => {
  it.each([
    ['coplanar', [[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0.03, 0.03, 0]], /^coplanar \(no volume: 0\.0 mm off their plane, at least 1\.0 mm needed in every direction\)$/],
    ['coplanar, tilted', [[0, 0, 0], [0.03, 0, 0.03], [0, 0.03, 0], [0.03, 0.03, 0.03], [0.01, 0.02, 0.01]], /^coplanar/],
    ['collinear', [[0, 0, 0], [0.01, 0.01, 0.01], [0.02, 0.02, 0.02], [0.04, 0.04, 0.04]], /^collinear \(no volume: 0\.0 mm off their line/],
    ['one point', [[0.01, 0.01, 0.01], [0.01, 0.01, 0.01], [0.01, 0.01, 0.01], [0.01, 0.01, 0.01]], /^all at one point \(no volume/],
    ['half a millimetre thick', [[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0.03, 0.03, 0.0005]], /^coplanar \(no volume: 0\.\d mm off their plane/],
  ] as [string, P[], RegExp][])('refuses %s points', (_, points, expected) => {
    expect(convexVolumeProblem(points)).toMatch(expected);
  });

  it('accepts a 2 mm thick plate and a tetrahedron', () => {
    expect(convexVolumeProblem([[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0.03, 0.03, 0], [0, 0, 0.002], [0.03, 0.03, 0.002]])).toBeUndefined();
    expect(convexVolumeProblem([[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0, 0, 0.03]])).toBeUndefined();
  });

  it('passes every catalog object, whatever its kind', () => {
    for (const desc of CATALOG.values()) {
      const points = supportPoints(desc.shape).map((p) => [p.x, p.y, p.z] as P);
      expect(convexVolumeProblem(points), desc.name).toBeUndefined();
      expect(ShapeDescSchema.safeParse(desc.shape).success, desc.name).toBe(true);
    }
  });

  it('names the field as a spec writes it, and quotes the points briefly', () => {
    const schema = z.strictObject({ shapes: z.array(ShapeDescSchema) });
    const line = [[0, 0, 0], [0.01, 0, 0], [0.02, 0, 0], [0.03, 0, 0]] as P[];
    expect(message(() => parseSpec(schema, { shapes: [convex(line)] }, 't.json'))).toBe(
      't.json: shapes[0].points: collinear (no volume: 0.0 mm off their line, at least 1.0 mm needed in every direction) (got [[0,0,0],[0.01,0,0],[0.02,0,0],[0.03,0,0]])',
    );
    const many = Array.from({ length: 200_000 }, (_, i) => [Math.cos(i), Math.sin(i), (i % 7) / 100] as P);
    const text = message(() => parseSpec(schema, { shapes: [convex(line), convex(many)] }, 't.json'));
    expect(text).toMatch(/^t\.json: shapes\[0\]\.points: collinear .* \(and 1 more problem\)$/);
    const tooMany = message(() => parseSpec(schema, { shapes: [convex(many)] }, 't.json'));
    expect(tooMany).toMatch(/^t\.json: shapes\[0\]\.points: Too big: expected array to have <=256 items \(got \[\[1,0,0\],.*… \(200000 items\)\)$/);
    expect(tooMany.length).toBeLessThan(200);
  });
});

describe('an error quotes a short excerpt of the bad value', () => {
  it('cuts a long array to 80 characters, an ellipsis and its length', () => {
    const points = Array.from({ length: 200_000 }, (_, i) => [i / 1e6, 0.01, 0.02]);
    const text = excerpt(points);
    expect(text).toBe(`${JSON.stringify(points.slice(0, 20)).slice(0, 80)}… (200000 items)`);
    expect(text.length).toBeLessThan(100);
  });

  it('quotes short values whole, and cuts long strings and objects', () => {
    expect(excerpt([1, 2, 3])).toBe('[1,2,3]');
    expect(excerpt([])).toBe('[]');
    expect(excerpt('cubez')).toBe('"cubez"');
    expect(excerpt(31)).toBe('31');
    expect(excerpt('x'.repeat(500))).toBe(`"${'x'.repeat(79)}…`);
    expect(excerpt({ a: 'y'.repeat(200) })).toHaveLength(81);
  });
});
