import type { ShapeDesc } from '../config/index.js';
import { convexHull2, projectPolygon, rotateVec, type Polygon2, type Quat, type Vec3 } from '../core/index.js';
import { supportPoints } from './shapeGeometry.js';

/** An object's space in the world: its footprint on the floor plane and its vertical span. */
export interface ObjectExtent {
  readonly footprint: Polygon2;
  readonly zMin: number;
  readonly zMax: number;
}

/** The extent of a shape at a pose, from its support points. */
export function objectExtent(shape: ShapeDesc, position: Vec3, rotation: Quat): ObjectExtent {
  let zMin = Infinity;
  let zMax = -Infinity;
  const xy: [number, number][] = [];
  for (const p of supportPoints(shape)) {
    const w = rotateVec(rotation, p);
    xy.push([w.x + position.x, w.y + position.y]);
    zMin = Math.min(zMin, w.z + position.z);
    zMax = Math.max(zMax, w.z + position.z);
  }
  return { footprint: convexHull2(xy), zMin, zMax };
}

/** Width of the footprint across the closing direction at `yaw`, metres. */
export function widthAtYaw(footprint: Polygon2, yaw: number): number {
  const [lo, hi] = projectPolygon(footprint, Math.cos(yaw), Math.sin(yaw));
  return hi - lo;
}

/** Narrowest width over yaws sampled every `stepDeg` degrees across a half turn. */
export function narrowestWidth(footprint: Polygon2, stepDeg = 5): number {
  let best = Infinity;
  for (let deg = -90; deg < 90; deg += stepDeg) best = Math.min(best, widthAtYaw(footprint, (deg * Math.PI) / 180));
  return best;
}
