import type { ShapeDesc } from '../config/index.js';
import type { Vec3 } from '../core/index.js';
import { RAPIER } from './physicsSettings.js';

/** Facets around a round shape: enough to look and roll round, few enough to rest. */
const ROUND_SEGMENTS = 16;

/**
 * A cloud of points on the shape's surface, in the body frame, whose convex hull approximates
 * the shape. Footprints, heights and bounding radii are all read off it, so every shape kind is
 * handled by one code path.
 */
export function supportPoints(shape: ShapeDesc): Vec3[] {
  switch (shape.kind) {
    case 'box': {
      const [hx, hy, hz] = shape.size.map((s) => s / 2);
      const out: Vec3[] = [];
      for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) out.push({ x: sx * hx, y: sy * hy, z: sz * hz });
      return out;
    }
    case 'cylinder':
      return [...ring(shape.radius, -shape.height / 2), ...ring(shape.radius, shape.height / 2)];
    case 'sphere':
      return sphereCloud(shape.radius, { x: 0, y: 0, z: 0 });
    case 'capsule': {
      const half = shape.length / 2 - shape.radius;
      return [...sphereCloud(shape.radius, { x: -half, y: 0, z: 0 }), ...sphereCloud(shape.radius, { x: half, y: 0, z: 0 })];
    }
    case 'convex':
      return shape.points.map(([x, y, z]) => ({ x, y, z }));
  }
}

function ring(radius: number, z: number): Vec3[] {
  const out: Vec3[] = [];
  for (let i = 0; i < ROUND_SEGMENTS; i++) {
    const a = (2 * Math.PI * i) / ROUND_SEGMENTS;
    out.push({ x: radius * Math.cos(a), y: radius * Math.sin(a), z });
  }
  return out;
}

function sphereCloud(radius: number, centre: Vec3): Vec3[] {
  const out: Vec3[] = [{ x: centre.x, y: centre.y, z: centre.z - radius }, { x: centre.x, y: centre.y, z: centre.z + radius }];
  for (const polar of [-Math.PI / 3, -Math.PI / 6, 0, Math.PI / 6, Math.PI / 3]) {
    for (const p of ring(radius * Math.cos(polar), centre.z + radius * Math.sin(polar))) {
      out.push({ x: p.x + centre.x, y: p.y + centre.y, z: p.z });
    }
  }
  return out;
}

/** Radius of the shape's footprint around its body origin: the spawner keeps these apart. */
export function footprintRadius(shape: ShapeDesc): number {
  let r = 0;
  for (const p of supportPoints(shape)) r = Math.max(r, Math.hypot(p.x, p.y));
  return r;
}

/** Largest dimension along the body axes, metres: what must fit in the bin. */
export function largestExtent(shape: ShapeDesc): number {
  const points = supportPoints(shape);
  const span = (axis: 'x' | 'y' | 'z') => Math.max(...points.map((p) => p[axis])) - Math.min(...points.map((p) => p[axis]));
  return Math.max(span('x'), span('y'), span('z'));
}

/**
 * A Rapier collider descriptor for the shape, in the body frame. Round shapes (cylinder, sphere,
 * capsule) become convex hulls of their support points: Rapier's exactly-round shapes touch the
 * floor at one point, have no rolling resistance, and rolled for ever (a third of 8-object piles
 * never came to rest; rapier issue #372). Faceted ones come to rest as real objects do, and the
 * physics then matches the footprints and heights read off the same points.
 */
export function colliderFor(shape: ShapeDesc): RAPIER.ColliderDesc {
  if (shape.kind === 'box') return RAPIER.ColliderDesc.cuboid(shape.size[0] / 2, shape.size[1] / 2, shape.size[2] / 2);
  const points = new Float32Array(supportPoints(shape).flatMap((p) => [p.x, p.y, p.z]));
  const desc = RAPIER.ColliderDesc.convexHull(points);
  if (!desc) throw new Error(`${shape.kind}: degenerate convex hull`);
  return desc;
}
