import type { ObjectDesc, PusherSpec, TaskSpec } from '../config/index.js';
import { convexHull2, InputError, orientedRect, polygonCentroid, polygonsOverlap, projectPolygon, type Point2, type Polygon2, type Rng } from '../core/index.js';
import { supportPoints } from './shapeGeometry.js';

/**
 * The pusher's paddle, metres: `thickness` along the push, `width` across it, `height`; its
 * bottom clears the floor by `lift`, so it pushes objects at their base and slides them.
 */
export const PADDLE = { thickness: 0.012, width: 0.04, height: 0.04, lift: 0.003 } as const;
/** Free space between the paddle and the object when the stroke begins, metres. */
export const PUSH_GAP = 0.005;
/** A pushed object ends at least this far inside the bin's walls, metres. */
export const PUSH_WALL_MARGIN = 0.01;
/** Clearance that the paddle's slot and a pushed object's path keep from other objects, metres. */
const CLEARANCE = 0.003;
/** `neighbour`: the neighbour's front is within this of the target's back, metres ... */
const NEIGHBOUR_REACH = 0.05;
/** ... and the two overlap at least this much across the push (or half the narrower one). */
const NEIGHBOUR_OVERLAP = 0.015;
/** Face directions closer than this (radians) are one direction. */
const SAME_DIRECTION = (2 * Math.PI) / 180;

/** What the episode key draws for the pusher: all three, always, so the stream never shifts. */
export interface PushDraw {
  /** How far the target is to move, metres. */
  distance: number;
  /** The control step at which the stroke begins. */
  startStep: number;
  /** Uniform in [0, 1): which of the feasible pushes is made. */
  pick: number;
}

/** Control steps whose start lies in the spec's `start` window, inclusive. */
export function startSteps(spec: PusherSpec, controlHz: number): [number, number] {
  return [Math.ceil(spec.start.min * controlHz - 1e-9), Math.floor(spec.start.max * controlHz + 1e-9)];
}

export function drawPush(spec: PusherSpec, controlHz: number, rng: Rng): PushDraw {
  const distance = rng.uniform(spec.distance.min, spec.distance.max);
  const [first, last] = startSteps(spec, controlHz);
  return { distance, startStep: rng.int(first, last), pick: rng.next() };
}

/** One object as the planner sees it: where it lies at reset. */
export interface PushObject {
  readonly index: number;
  readonly footprint: Polygon2;
  readonly escaped: boolean;
}

/** A push, fixed at reset: which object the paddle meets, which way, from where, how far. */
export interface PushPlan {
  /** The object the paddle touches: the target, or the neighbour that pushes it. */
  readonly pushed: number;
  readonly target: number;
  /** Unit push direction, horizontal, world frame. */
  readonly ux: number;
  readonly uy: number;
  /** What the key drew: how far the target is to move, metres. */
  readonly distance: number;
  /** How far the paddle travels in the stroke: the gap, the neighbour's gap to the target, the distance. */
  readonly stroke: number;
  /** Paddle centre (x, y) where the stroke begins. */
  readonly slot: Point2;
  /** The control step at which the stroke begins. */
  readonly startStep: number;
}

/**
 * Chooses the push. The paddle meets a face of the pushed object squarely (the push runs along
 * one of its footprint's edge normals, so the object slides without turning), and a push is
 * feasible only if the paddle's slot behind the object is inside the bin and free, the pushed
 * object(s) end at least `PUSH_WALL_MARGIN` inside the walls, and their paths and the paddle's
 * are clear of other objects. The key's `pick` chooses among the feasible pushes; null if none is.
 */
export function planPush(draw: PushDraw, objects: readonly PushObject[], target: number, pushes: PusherSpec['pushes'], binInner: readonly [number, number]): PushPlan | null {
  const present = objects.filter((o) => !o.escaped);
  const t = objects[target];
  const feasible: PushPlan[] = [];
  const consider = (pushed: PushObject, ux: number, uy: number, lead: number) => {
    const travel = lead + draw.distance;
    const movers = pushed.index === target ? [pushed] : [pushed, t];
    const others = present.filter((o) => !movers.includes(o));
    const slot = slotBehind(pushed.footprint, ux, uy);
    const yaw = Math.atan2(uy, ux);
    const paddle = orientedRect(slot[0], slot[1], yaw, PADDLE.thickness / 2, PADDLE.width / 2);
    if (!inside(paddle, binInner, 0)) return;
    const paddleSweep = sweep(paddle, ux, uy, PUSH_GAP + travel);
    if (others.some((o) => polygonsOverlap(paddleSweep, o.footprint, CLEARANCE))) return;
    for (const [mover, by] of [[pushed, travel], [t, draw.distance]] as const) {
      if (!inside(shift(mover.footprint, ux * by, uy * by), binInner, PUSH_WALL_MARGIN)) return;
      const path = sweep(mover.footprint, ux, uy, by);
      if (others.some((o) => polygonsOverlap(path, o.footprint, CLEARANCE))) return;
    }
    feasible.push({ pushed: pushed.index, target, ux, uy, distance: draw.distance, stroke: PUSH_GAP + travel, slot, startStep: draw.startStep });
  };
  if (pushes === 'target') {
    for (const [ux, uy] of faceDirections(t.footprint)) consider(t, ux, uy, 0);
  } else {
    for (const n of present) {
      if (n.index === target) continue;
      for (const [ux, uy] of faceDirections(n.footprint)) {
        const lead = leadTo(n.footprint, t.footprint, ux, uy);
        if (lead !== null) consider(n, ux, uy, lead);
      }
    }
  }
  return feasible.length === 0 ? null : feasible[Math.min(feasible.length - 1, Math.floor(draw.pick * feasible.length))];
}

/**
 * Refuses a pusher that could push an object out of the bin. From the bin's centre an object has
 * the least room in its best direction (from anywhere else, the way towards the centre and beyond
 * is longer), so `distance.max` must fit there for the widest object of the pool, whichever way
 * up it lies; the start window must hold a control step before the horizon.
 */
export function checkPusherFits(pool: readonly ObjectDesc[], spec: TaskSpec, source: string): void {
  const pusher = spec.pusher;
  if (!pusher) return;
  const radius = (desc: ObjectDesc) => Math.max(...supportPoints(desc.shape).map((p) => Math.hypot(p.x, p.y, p.z)));
  const widest = pool.reduce((a, b) => (radius(b) > radius(a) ? b : a));
  const side = Math.min(...spec.bin.inner);
  const room = side / 2 - radius(widest) - PUSH_WALL_MARGIN;
  if (pusher.distance.max > room) {
    throw new InputError(
      source,
      `pusher.distance.max: ${cm(pusher.distance.max)} pushes objects out of the bin: the ${cm(side)} bin leaves "${widest.name}" at most ${cm(Math.max(0, room))} from its centre to ${cm(PUSH_WALL_MARGIN)} inside a wall`,
    );
  }
  const { controlHz, horizon } = spec.control;
  const [first, last] = startSteps(pusher, controlHz);
  if (first > last) throw new InputError(source, `pusher.start: no control step (every ${1 / controlHz} s) lies between ${pusher.start.min} s and ${pusher.start.max} s`);
  if (last >= Math.round(horizon * controlHz)) throw new InputError(source, `pusher.start.max: ${pusher.start.max} s is not before the episode ends (control.horizon: ${horizon} s)`);
}

/** Push directions that meet a face of the footprint squarely: minus its edges' outward normals. */
function faceDirections(footprint: Polygon2): Point2[] {
  const [cx, cy] = polygonCentroid(footprint);
  const out: Point2[] = [];
  for (let i = 0; i < footprint.length; i++) {
    const [ax, ay] = footprint[i];
    const [bx, by] = footprint[(i + 1) % footprint.length];
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 1e-6) continue;
    let [nx, ny] = [(by - ay) / len, -(bx - ax) / len];
    if ((ax + bx) / 2 * nx + (ay + by) / 2 * ny < cx * nx + cy * ny) [nx, ny] = [-nx, -ny];
    if (out.some(([ux, uy]) => -nx * ux - ny * uy > Math.cos(SAME_DIRECTION))) continue;
    out.push([-nx, -ny]);
  }
  return out;
}

/** Paddle centre behind the footprint (against the push), `PUSH_GAP` from it, in line with its centroid. */
function slotBehind(footprint: Polygon2, ux: number, uy: number): Point2 {
  const [cx, cy] = polygonCentroid(footprint);
  const [back] = projectPolygon(footprint, ux, uy);
  const along = back - PUSH_GAP - PADDLE.thickness / 2 - (cx * ux + cy * uy);
  return [cx + along * ux, cy + along * uy];
}

/**
 * `neighbour`: the gap the neighbour closes before it meets the target, pushed along (ux, uy);
 * null unless the target lies ahead, near, and squarely across its path.
 */
function leadTo(neighbour: Polygon2, target: Polygon2, ux: number, uy: number): number | null {
  const [, front] = projectPolygon(neighbour, ux, uy);
  const [back] = projectPolygon(target, ux, uy);
  const gap = back - front;
  if (gap < -0.002 || gap > NEIGHBOUR_REACH) return null;
  const [nLo, nHi] = projectPolygon(neighbour, -uy, ux);
  const [tLo, tHi] = projectPolygon(target, -uy, ux);
  const overlap = Math.min(nHi, tHi) - Math.max(nLo, tLo);
  return overlap >= Math.min(NEIGHBOUR_OVERLAP, (Math.min(nHi - nLo, tHi - tLo)) / 2) ? Math.max(0, gap) : null;
}

function shift(poly: Polygon2, dx: number, dy: number): Polygon2 {
  return poly.map(([x, y]) => [x + dx, y + dy] as const);
}

/** The region a convex polygon sweeps moving `by` along (ux, uy). */
function sweep(poly: Polygon2, ux: number, uy: number, by: number): Polygon2 {
  return convexHull2([...poly, ...shift(poly, ux * by, uy * by)]);
}

/** Every point at least `margin` inside the bin's inner walls. */
function inside(poly: Polygon2, binInner: readonly [number, number], margin: number): boolean {
  return poly.every(([x, y]) => Math.abs(x) <= binInner[0] / 2 - margin && Math.abs(y) <= binInner[1] / 2 - margin);
}

const cm = (metres: number) => `${(metres * 100).toFixed(1)} cm`;
