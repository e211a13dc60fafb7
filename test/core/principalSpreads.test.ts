import { describe, expect, it } from 'vitest';
import { principalSpreads, rotateVec, symmetricEigen3 } from '../../src/core/index.js';

type P = [number, number, number];
const q = { x: 0.2, y: -0.4, z: 0.3, w: 0.843 };
const norm = Math.hypot(q.x, q.y, q.z, q.w);
const turn = { x: q.x / norm, y: q.y / norm, z: q.z / norm, w: q.w / norm };
const rotated = (points: P[]): P[] => points.map(([x, y, z]) => {
  const r = rotateVec(turn, { x, y, z });
  return [r.x + 0.3, r.y - 0.1, r.z + 0.05];
});
const boxCorners = (sx: number, sy: number, sz: number): P[] => [-1, 1].flatMap((a) => [-1, 1].flatMap((b) => [-1, 1].map((c) => [(a * sx) / 2, (b * sy) / 2, (c * sz) / 2] as P)));

describe('principalSpreads', () => {
  it("gives a turned and moved box's sides, thinnest first", () => {
    const spreads = principalSpreads(rotated(boxCorners(0.04, 0.01, 0.02)));
    [0.01, 0.02, 0.04].forEach((side, i) => expect(spreads[i]).toBeCloseTo(side, 12));
  });

  it('finds no thickness in coplanar points, and no width either in collinear ones', () => {
    const plane = principalSpreads(rotated([[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0.03, 0.03, 0], [0.01, 0.02, 0]]));
    expect(plane[0]).toBeLessThan(1e-12);
    expect(plane[1]).toBeGreaterThan(0.02);
    const line = principalSpreads(rotated([[0, 0, 0], [0.01, 0, 0], [0.02, 0, 0], [0.05, 0, 0]]));
    expect(line[0]).toBeLessThan(1e-12);
    expect(line[1]).toBeLessThan(1e-12);
    expect(line[2]).toBeCloseTo(0.05, 12);
    expect(principalSpreads([[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]])).toEqual([0, 0, 0]);
  });

  it('symmetricEigen3 diagonalises: A v = λ v with orthonormal v', () => {
    const a = [
      [4, 1, -2],
      [1, 3, 0.5],
      [-2, 0.5, 1],
    ];
    const { values, vectors } = symmetricEigen3(a);
    vectors.forEach((v, i) => {
      for (let r = 0; r < 3; r++) expect(a[r][0] * v[0] + a[r][1] * v[1] + a[r][2] * v[2]).toBeCloseTo(values[i] * v[r], 12);
      vectors.forEach((w, j) => expect(v[0] * w[0] + v[1] * w[1] + v[2] * w[2]).toBeCloseTo(i === j ? 1 : 0, 12));
    });
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(8, 12); // the trace
  });
});
