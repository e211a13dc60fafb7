import { narrowestSpan } from '../core/index.js';
import { pixelToWorld, type CameraModel, type SensorFrame } from '../render/index.js';

/** Length of `objectGeometry`'s output. */
export const GEOMETRY_SIZE = 6;

/** Mask points within this of the highest one belong to the object's top, metres. */
const TOP_BAND = 0.008;
/** The top's height is this quantile of the mask points' heights: dilated mask edges can stray onto a taller neighbour. */
const TOP_QUANTILE = 0.9;
/** Directions tried for the top's narrowest width, over a quarter turn (a cube's symmetry). */
const DIRECTIONS = 18;

// Scratch columns of the mask's world points (x, y, height) and their heights to sort, one entry
// per mask pixel at most: this runs two or three times per control step over up to every pixel,
// and a tuple per pixel was most of the garbage of the step. Module-level because every function
// here is synchronous: no call can start while another is using them.
let xs = new Float64Array(0);
let ys = new Float64Array(0);
let zs = new Float64Array(0);
let heights = new Float64Array(0);
const point: [number, number, number] = [0, 0, 0];

/**
 * Where a tracked object is in the world, from its mask and the depth image: every mask pixel
 * back-projected to a 3-D point, the points of its top kept, and [x, y, z, cos 4φ, sin 4φ, w]
 * returned: the top's centre, its height, the direction φ of its narrowest width in the world's
 * horizontal plane (modulo a quarter turn) and that width. The top is what a camera above the bin
 * sees whole, so its centre is the object's centre without the bias of the sides the camera
 * happens to see. Null when no mask pixel has a depth (a blacked-out frame).
 */
export function objectGeometry(frame: SensorFrame, mask: Uint8Array, camera: CameraModel): Float32Array | null {
  const out = new Float32Array(GEOMETRY_SIZE);
  return writeObjectGeometry(out, 0, frame, mask, camera) ? out : null;
}

/** `objectGeometry` written into `out` from `at`; false, and nothing written, when no mask pixel has a depth. */
export function writeObjectGeometry(out: Float32Array, at: number, frame: SensorFrame, mask: Uint8Array, camera: CameraModel): boolean {
  const n = backProject(frame, mask, camera);
  if (n === 0) return false;
  const top = quantileHeight(n, TOP_QUANTILE);
  const face = keepTop(n, top);
  // Two running sums from 0 in pixel order, as the tuple version's reduce() had them.
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < face; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const { angle, span } = narrowestSpan(xs, ys, face, DIRECTIONS);
  out[at] = sx / face;
  out[at + 1] = sy / face;
  out[at + 2] = top;
  out[at + 3] = Math.cos(4 * angle);
  out[at + 4] = Math.sin(4 * angle);
  out[at + 5] = span;
  return true;
}

/** Back-projects the mask's pixels that have a depth into the scratch columns, in pixel order; returns how many. */
function backProject(frame: SensorFrame, mask: Uint8Array, camera: CameraModel): number {
  if (xs.length < mask.length) {
    xs = new Float64Array(mask.length);
    ys = new Float64Array(mask.length);
    zs = new Float64Array(mask.length);
    heights = new Float64Array(mask.length);
  }
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    const d = frame.depth[i];
    if (!mask[i] || !(d > 0) || !Number.isFinite(d)) continue;
    const u = i % frame.width;
    const v = (i - u) / frame.width;
    pixelToWorld(camera, u, v, d, point);
    xs[n] = point[0];
    ys[n] = point[1];
    zs[n] = point[2];
    heights[n] = zs[n];
    n++;
  }
  return n;
}

/**
 * The q-quantile of the first n heights: the element at floor(q n) of their ascending order.
 * The typed array's own sort orders numbers as the comparator (a, b) => a - b did, except NaN and
 * -0, which heights never are: they are finite (finite positive depths, a finite camera), and each
 * ends by adding the camera's height m[14], a sum that is -0 only if both terms are. Equal heights
 * are the same number, so the order of ties cannot change the value picked.
 */
function quantileHeight(n: number, q: number): number {
  const sorted = heights.subarray(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor(q * n))];
}

/** Keeps, in place and in pixel order, the points within TOP_BAND of the top's height; returns how many. */
function keepTop(n: number, top: number): number {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(zs[i] - top) <= TOP_BAND) {
      xs[kept] = xs[i];
      ys[kept] = ys[i];
      kept++;
    }
  }
  return kept;
}
