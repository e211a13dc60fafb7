import { describe, expect, it } from 'vitest';
import { convexHull2, orientedRect, placePolygon, polygonArea, polygonCentroid, polygonsOverlap, projectPolygon } from '../../src/core/index.js';

describe('Polygon2', () => {
  it('finds the hull of a square with interior points, counter-clockwise', () => {
    const hull = convexHull2([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [0.2, 0.7]]);
    expect(hull).toHaveLength(4);
    expect(polygonArea(hull)).toBeCloseTo(1);
  });

  it('tells overlapping from separated rectangles, and respects the margin', () => {
    const a = orientedRect(0, 0, 0, 0.5, 0.5);
    expect(polygonsOverlap(a, orientedRect(0.9, 0, 0, 0.5, 0.5))).toBe(true);
    expect(polygonsOverlap(a, orientedRect(1.1, 0, 0, 0.5, 0.5))).toBe(false);
    expect(polygonsOverlap(a, orientedRect(1.1, 0, 0, 0.5, 0.5), 0.2)).toBe(true);
    // A diamond beside a square: their bounding boxes overlap, the shapes do not.
    expect(polygonsOverlap(a, orientedRect(1.2, 1.2, Math.PI / 4, 0.5, 0.5))).toBe(false);
  });

  it('projects a rotated rectangle onto an axis', () => {
    const [lo, hi] = projectPolygon(orientedRect(0, 0, Math.PI / 2, 2, 1), 1, 0);
    expect(lo).toBeCloseTo(-1);
    expect(hi).toBeCloseTo(1);
  });

  it('finds the area centroid, not the vertex mean', () => {
    const [x, y] = polygonCentroid([[0, 0], [2, 0], [2, 1], [1, 1.0001], [0, 1]]);
    expect(x).toBeCloseTo(1, 3);
    expect(y).toBeCloseTo(0.5, 3);
  });

  it('places a polygon by yaw then offset', () => {
    const [p] = placePolygon([[1, 0]], 2, 3, Math.PI / 2);
    expect(p[0]).toBeCloseTo(2);
    expect(p[1]).toBeCloseTo(4);
  });
});
