import { orientedRect, polygonsOverlap, projectPolygon, type Polygon2 } from '../../core/index.js';
import { GRASP_CLEARANCE, GRIPPER_GEOMETRY, palmHalfLength, type ObjectState, type PrivilegedState } from '../../env/index.js';

/** A top-down grasp: TCP position and yaw, and the finger opening to pre-shape to. */
export interface GraspPlan {
  x: number;
  y: number;
  z: number;
  yaw: number;
  /** Object width across the closing direction, metres. */
  width: number;
  /** Pre-shape opening: width plus the clearance. */
  opening: number;
  /** No finger or palm sweep touches a neighbour or the bin. */
  collisionFree: boolean;
}

const G = GRIPPER_GEOMETRY;
/** Yaws tried, every 5 degrees over a half turn (the hand is symmetric). */
const YAW_STEP = Math.PI / 36;
/** Safety margin around swept regions, metres. */
const SWEEP_MARGIN = 0.003;
/** The pads reach this far below the target's top. */
const PAD_DEPTH = 0.025;
/** Widths within this of the narrowest count as equally narrow; the nearest yaw wins then. */
const WIDTH_TIE = 0.0005;
/**
 * Pre-shape clearances tried, widest first. A wide pre-shape forgives a hand that arrives a
 * centimetre off or a few degrees turned (what a learned policy does); the narrowest,
 * GRASP_CLEARANCE, is what the task guarantees every target can be closed on.
 */
const CLEARANCES = [0.035, 0.025, 0.02, GRASP_CLEARANCE];

/**
 * Plans a top-down grasp of the target: among yaws whose finger sweeps (pre-shape to closed) and
 * palm are clear of neighbours and the bin walls, the one with the narrowest closing width. If
 * no yaw is clear, the narrowest one anyway, flagged. At the chosen yaw, the widest pre-shape that is
 * clear. Near-ties go to the yaw nearest
 * `preferredYaw`: a replanning caller passes its previous plan's yaw, so that the choice cannot
 * flip back and forth as the hand turns.
 */
export function planGrasp(state: PrivilegedState, preferredYaw: number): GraspPlan {
  const target = state.objects[state.target];
  const z = Math.max(G.minTcpHeight, target.zMax - PAD_DEPTH);
  let best: GraspPlan | undefined;
  for (let yaw = -Math.PI / 2; yaw < Math.PI / 2 - 1e-9; yaw += YAW_STEP) {
    for (const clearance of CLEARANCES) {
      const plan = graspAtYaw(state, target, yaw, z, clearance);
      if (!best || better(plan, best, preferredYaw)) best = plan;
    }
  }
  return best!;
}

function better(a: GraspPlan, b: GraspPlan, preferredYaw: number): boolean {
  if (a.collisionFree !== b.collisionFree) return a.collisionFree;
  if (Math.abs(a.width - b.width) > WIDTH_TIE) return a.width < b.width;
  const [da, db] = [yawDistance(a.yaw, preferredYaw), yawDistance(b.yaw, preferredYaw)];
  if (Math.abs(da - db) > 1e-9) return da < db;
  return a.opening > b.opening;
}

/** Distance between hand yaws, modulo a half turn (the hand looks the same turned by pi). */
function yawDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % Math.PI) + Math.PI) % Math.PI);
  return Math.min(d, Math.PI - d);
}

function graspAtYaw(state: PrivilegedState, target: ObjectState, yaw: number, z: number, clearance: number): GraspPlan {
  const ux = Math.cos(yaw);
  const uy = Math.sin(yaw);
  const [uLo, uHi] = projectPolygon(target.footprint, ux, uy);
  const [vLo, vHi] = projectPolygon(target.footprint, -uy, ux);
  const cu = (uLo + uHi) / 2;
  const cv = (vLo + vHi) / 2;
  const x = cu * ux - cv * uy;
  const y = cu * uy + cv * ux;
  const width = uHi - uLo;
  const opening = Math.min(width + clearance, state.gripper.maxOpening);
  const sweeps = fingerSweeps(x, y, yaw, width, opening);
  const palm = orientedRect(x, y, yaw, palmHalfLength(state.gripper.maxOpening) + SWEEP_MARGIN, G.fingerWidth + SWEEP_MARGIN);
  const tipZ = z - G.tipBelowTcp;
  const palmZ = z + G.fingerLength - G.tipBelowTcp;
  const clear =
    sweeps.every((s) => insideBin(s, state.bin.inner)) &&
    state.objects.every((o) => {
      if (o.index === target.index || o.escaped) return true;
      if (o.zMax > tipZ && sweeps.some((s) => polygonsOverlap(s, o.footprint, SWEEP_MARGIN))) return false;
      return !(o.zMax > palmZ && polygonsOverlap(palm, o.footprint, SWEEP_MARGIN));
    });
  return { x, y, z, yaw, width, opening, collisionFree: clear };
}

/** The two regions the fingers sweep from the pre-shape opening to the object's faces. */
function fingerSweeps(x: number, y: number, yaw: number, width: number, opening: number): Polygon2[] {
  const inner = width / 2;
  const outer = opening / 2 + G.fingerThickness;
  const half = (outer - inner) / 2 + SWEEP_MARGIN;
  const mid = (outer + inner) / 2;
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return [1, -1].map((side) => orientedRect(x + side * mid * c, y + side * mid * s, yaw, half, G.fingerWidth / 2 + SWEEP_MARGIN));
}

function insideBin(poly: Polygon2, inner: readonly [number, number]): boolean {
  return poly.every(([px, py]) => Math.abs(px) <= inner[0] / 2 && Math.abs(py) <= inner[1] / 2);
}
