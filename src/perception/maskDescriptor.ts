import type { SensorFrame } from '../render/index.js';
import { narrowestSpan } from '../core/index.js';

/** Length of `maskDescriptor`'s output. */
export const DESCRIPTOR_SIZE = 15;

/** Directions tried for the narrowest width, over a quarter turn (the cube's symmetry). */
const DIRECTIONS = 18;

// Scratch columns of the first and last mask pixel of each row, for the mask's narrowest width:
// a tuple per pixel was garbage at every step. Module-level because the functions are
// synchronous: no call can start while another is using them.
let px = new Float64Array(0);
let py = new Float64Array(0);

/**
 * What a mask says about its object, for any tracker: [cx, cy, w, h, area, cos 2θ, sin 2θ,
 * depth, r, g, b, score, fromMemory, cos 4φ, sin 4φ]. Position, size and area as fractions of the
 * image; θ the mask's principal axis (undefined for a square); depth the mean metric depth inside
 * the mask; colour the mean RGB in [0, 1]; φ the direction of the mask's narrowest width, modulo a
 * quarter turn: what tells a parallel gripper how a cube is turned. Zeros for an empty mask.
 */
export function maskDescriptor(frame: SensorFrame, mask: Uint8Array, score: number, fromMemory: boolean): Float32Array {
  const out = new Float32Array(DESCRIPTOR_SIZE);
  writeMaskDescriptor(out, 0, frame, mask, score, fromMemory);
  return out;
}

/** `maskDescriptor` written into `out` from `at`. */
export function writeMaskDescriptor(out: Float32Array, at: number, frame: SensorFrame, mask: Uint8Array, score: number, fromMemory: boolean): void {
  const w = frame.width;
  if (px.length < 2 * frame.height) {
    px = new Float64Array(2 * frame.height);
    py = new Float64Array(2 * frame.height);
  }
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sd = 0, dn = 0, r = 0, g = 0, b = 0;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  let ends = 0;
  for (let y = 0, i = 0; y < frame.height; y++) {
    let first = -1, last = -1;
    for (let x = 0; x < w; x++, i++) {
      if (!mask[i]) continue;
      if (first < 0) first = x;
      last = x;
      n++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
      const d = frame.depth[i];
      if (d > 0 && Number.isFinite(d)) { sd += d; dn++; }
      r += frame.rgb[3 * i]; g += frame.rgb[3 * i + 1]; b += frame.rgb[3 * i + 2];
    }
    if (first < 0) continue;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y < y0) y0 = y;
    y1 = y;
    // Every direction narrowestSpan tries has a positive x component, so a row's extreme
    // projections are its first and last pixels': the span over these is the span over all.
    px[ends] = first;
    py[ends++] = y;
    if (last !== first) {
      px[ends] = last;
      py[ends++] = y;
    }
  }
  if (n === 0) {
    out.fill(0, at, at + DESCRIPTOR_SIZE);
    return;
  }
  const cx = sx / n, cy = sy / n;
  const angle2 = Math.atan2(2 * (sxy / n - cx * cy), sxx / n - cx * cx - (syy / n - cy * cy));
  // The direction (radians, in [0, pi/2)) along which the mask's pixel centres span least.
  const phi = narrowestSpan(px, py, ends, DIRECTIONS).angle;
  out.set([cx / w, cy / frame.height, (x1 - x0 + 1) / w, (y1 - y0 + 1) / frame.height, n / mask.length, Math.cos(angle2), Math.sin(angle2), dn ? sd / dn : 0, r / n / 255, g / n / 255, b / n / 255, score, fromMemory ? 1 : 0, Math.cos(4 * phi), Math.sin(4 * phi)], at);
}

/** A frame the occlusion took away: every depth is zero (a rendered frame never has depth 0). */
export function isBlackedOut(frame: SensorFrame): boolean {
  const d = frame.depth;
  for (let i = 0; i < d.length; i += 97) if (d[i] !== 0) return false;
  return d.every((v) => v === 0);
}
