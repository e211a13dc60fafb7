/**
 * Convex polygons in the horizontal plane: object footprints and finger sweeps for the grasp
 * planner, and overlap tests for the spawner. Points are counter-clockwise `[x, y]` pairs.
 */
export type Point2 = readonly [number, number];
export type Polygon2 = readonly Point2[];

/** Convex hull (Andrew's monotone chain), counter-clockwise, no repeated points. */
export function convexHull2(points: readonly Point2[]): Polygon2 {
  const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point2, a: Point2, b: Point2) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point2[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point2[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** [min, max] of the polygon's projection onto the direction (ux, uy). */
export function projectPolygon(poly: Polygon2, ux: number, uy: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [x, y] of poly) {
    const d = x * ux + y * uy;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return [lo, hi];
}

/**
 * The direction (an angle in [0, pi/2), of `directions` evenly spaced) across which n points,
 * given as coordinate columns (the first n of xs and ys), are narrowest, and that width. Modulo a
 * quarter turn: how a square (a cube seen from above) is turned. The first of equal spans wins.
 * Columns, not a tuple per point: it runs over every pixel of a mask at every control step.
 */
export function narrowestSpan(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, directions: number): { angle: number; span: number } {
  let bestAngle = 0;
  let bestSpan = Infinity;
  for (let k = 0; k < directions; k++) {
    const angle = (k * Math.PI) / 2 / directions;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = xs[i] * ux + ys[i] * uy;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    if (hi - lo < bestSpan - 1e-9) {
      bestAngle = angle;
      bestSpan = hi - lo;
    }
  }
  return { angle: bestAngle, span: bestSpan };
}

/**
 * Do two convex polygons overlap by more than `margin`? Separating-axis test over both polygons'
 * edge normals; a positive margin makes near-touching shapes count as overlapping.
 */
export function polygonsOverlap(a: Polygon2, b: Polygon2, margin = 0): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const [x1, y1] = poly[i];
      const [x2, y2] = poly[(i + 1) % poly.length];
      const len = Math.hypot(x2 - x1, y2 - y1);
      if (len === 0) continue;
      const nx = (y1 - y2) / len;
      const ny = (x2 - x1) / len;
      const [aLo, aHi] = projectPolygon(a, nx, ny);
      const [bLo, bHi] = projectPolygon(b, nx, ny);
      if (aHi + margin <= bLo || bHi + margin <= aLo) return false;
    }
  }
  return true;
}

/**
 * A rectangle centred at (cx, cy), `halfU` along the direction at angle `yaw` and `halfV` across
 * it, counter-clockwise.
 */
export function orientedRect(cx: number, cy: number, yaw: number, halfU: number, halfV: number): Polygon2 {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const corner = (u: number, v: number): Point2 => [cx + u * c - v * s, cy + u * s + v * c];
  return [corner(-halfU, -halfV), corner(halfU, -halfV), corner(halfU, halfV), corner(-halfU, halfV)];
}

/** Area of a simple polygon (shoelace formula), positive for counter-clockwise order. */
export function polygonArea(poly: Polygon2): number {
  let twice = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    twice += x1 * y2 - x2 * y1;
  }
  return twice / 2;
}

/** The polygon moved by (dx, dy) and turned by `yaw` about the origin first. */
export function placePolygon(poly: Polygon2, dx: number, dy: number, yaw: number): Polygon2 {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return poly.map(([x, y]) => [dx + x * c - y * s, dy + x * s + y * c] as const);
}

/** Area centroid of a simple polygon: the middle of what a camera above would see. */
export function polygonCentroid(poly: Polygon2): Point2 {
  let cx = 0;
  let cy = 0;
  let twice = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    const cross = x1 * y2 - x2 * y1;
    twice += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  return twice === 0 ? poly[0] : [cx / (3 * twice), cy / (3 * twice)];
}
