import type { ObjectDesc, TaskSpec } from '../config/index.js';
import { placePolygon, polygonArea, polygonsOverlap, quatFromYaw, type Polygon2, type Quat, type Rng, type Vec3 } from '../core/index.js';
import { objectExtent } from './objectExtent.js';
import { footprintRadius, supportPoints } from './shapeGeometry.js';

export type Layout = TaskSpec['layout'];

/** Where an object starts, before settling. */
export interface Placement {
  position: Vec3;
  rotation: Quat;
}

/** Clearance between neighbours in `scattered` (wide) and `packed` (tight) layouts, metres. */
const SCATTER_GAP = 0.012;
const PACK_GAP = 0.004;
/** Clearance the layout keeps between neighbours on the floor (0 for piles, which may touch). */
export function layoutGap(layout: Layout): number {
  return layout === 'scattered' ? SCATTER_GAP : layout === 'packed' ? PACK_GAP : 0;
}

/** Share of the bin floor that `packed` crowds its objects into, at most. */
const PACK_FILL = 0.45;
const MAX_TRIES = 2000;
const GROW_EVERY = 50;

/** Thrown when the objects cannot be laid out; the task check should have ruled this out. */
export class SpawnError extends Error {}

/**
 * Lays the objects out in the bin (floor at z = 0, centred on the origin). Pure: a function of
 * the objects, the bin and the random stream only.
 */
export function planLayout(layout: Layout, objects: readonly ObjectDesc[], binInner: readonly [number, number], rng: Rng): Placement[] {
  switch (layout) {
    case 'scattered':
      return scatter(objects, [binInner[0] / 2, binInner[1] / 2], binInner, SCATTER_GAP, rng);
    case 'packed':
      return scatter(objects, packedHalfSize(objects, binInner), binInner, PACK_GAP, rng);
    case 'pile':
      return pile(objects, binInner, rng);
  }
}

/**
 * Random positions and yaw within a central region, resting on the object's lowest point, no
 * overlap. When an object finds no room, the region grows by 5 % every `GROW_EVERY` tries, up
 * to the whole bin: a packed layout stays as tight as random placement allows.
 */
function scatter(objects: readonly ObjectDesc[], start: readonly [number, number], binInner: readonly [number, number], gap: number, rng: Rng): Placement[] {
  const placed: { x: number; y: number; r: number; footprint: Polygon2 }[] = [];
  const half = [start[0], start[1]];
  return objects.map((desc) => {
    const r = footprintRadius(desc.shape);
    const restFootprint = footprintAtRest(desc);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      if (attempt % GROW_EVERY === 0) {
        half[0] = Math.min(half[0] * 1.05, binInner[0] / 2);
        half[1] = Math.min(half[1] * 1.05, binInner[1] / 2);
      }
      const x = rng.uniform(-(half[0] - r - gap), half[0] - r - gap);
      const y = rng.uniform(-(half[1] - r - gap), half[1] - r - gap);
      const yaw = rng.uniform(-Math.PI, Math.PI);
      const footprint = placePolygon(restFootprint, x, y, yaw);
      // Far-apart discs cannot overlap; only near pairs need the exact polygon test.
      const clear = placed.every((p) => Math.hypot(p.x - x, p.y - y) >= p.r + r + gap || !polygonsOverlap(p.footprint, footprint, gap));
      if (clear) {
        placed.push({ x, y, r, footprint });
        return { position: { x, y, z: restHeight(desc) + 0.001 }, rotation: quatFromYaw(yaw) };
      }
    }
    throw new SpawnError(`no room for ${desc.name} after ${MAX_TRIES} tries`);
  });
}

/** The object's footprint in its catalog rest pose, centred on its body origin. */
export function footprintAtRest(desc: ObjectDesc): Polygon2 {
  return objectExtent(desc.shape, { x: 0, y: 0, z: 0 }, quatFromYaw(0)).footprint;
}

/** Floor area the object claims in a layout: its footprint grown by the layout's gap all round. */
export function claimedArea(desc: ObjectDesc, layout: Layout): number {
  return (Math.sqrt(polygonArea(footprintAtRest(desc))) + layoutGap(layout)) ** 2;
}

/** A central square just large enough to hold the objects at the packing fill ratio. */
function packedHalfSize(objects: readonly ObjectDesc[], binInner: readonly [number, number]): [number, number] {
  const area = objects.reduce((sum, o) => sum + claimedArea(o, 'packed'), 0);
  const side = Math.sqrt(area / PACK_FILL);
  return [Math.min(side, binInner[0]) / 2, Math.min(side, binInner[1]) / 2];
}

/** Height of the body origin above the floor when the object rests in its catalog pose. */
function restHeight(desc: ObjectDesc): number {
  return -Math.min(...supportPoints(desc.shape).map((p) => p.z));
}

/**
 * VGN-style pile: random orientations, dropped in layers over the middle of the bin so that
 * they land on one another. Objects within a layer do not overlap; layers are stacked with
 * clearance, so nothing starts interpenetrating.
 */
function pile(objects: readonly ObjectDesc[], binInner: readonly [number, number], rng: Rng): Placement[] {
  const half = [binInner[0] * 0.3, binInner[1] * 0.3];
  const out: Placement[] = [];
  let layer: { x: number; y: number; r: number }[] = [];
  let layerZ = 0;
  let layerTop = 0;
  for (const desc of objects) {
    const r = Math.max(...supportPoints(desc.shape).map((p) => Math.hypot(p.x, p.y, p.z)));
    let spot: { x: number; y: number } | undefined;
    for (let attempt = 0; attempt < 50 && !spot; attempt++) {
      const x = rng.uniform(-half[0], half[0]);
      const y = rng.uniform(-half[1], half[1]);
      if (layer.every((p) => Math.hypot(p.x - x, p.y - y) >= p.r + r + 0.005)) spot = { x, y };
    }
    if (!spot) {
      layer = [];
      layerZ = layerTop + 0.005;
      spot = { x: rng.uniform(-half[0], half[0]), y: rng.uniform(-half[1], half[1]) };
    }
    if (layer.length === 0) layerZ = Math.max(layerZ, 0.01);
    layer.push({ ...spot, r });
    const z = layerZ + r;
    layerTop = Math.max(layerTop, z + r);
    out.push({ position: { x: spot.x, y: spot.y, z }, rotation: uniformRotation(rng) });
  }
  return out;
}

/** A rotation drawn uniformly from SO(3) (Shoemake's method). */
function uniformRotation(rng: Rng): Quat {
  const u1 = rng.next();
  const u2 = rng.next() * 2 * Math.PI;
  const u3 = rng.next() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1);
  const b = Math.sqrt(u1);
  return { x: a * Math.sin(u2), y: a * Math.cos(u2), z: b * Math.sin(u3), w: b * Math.cos(u3) };
}
