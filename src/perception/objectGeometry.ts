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

/**
 * Where a tracked object is in the world, from its mask and the depth image: every mask pixel
 * back-projected to a 3-D point, the points of its top kept, and [x, y, z, cos 4φ, sin 4φ, w]
 * returned: the top's centre, its height, the direction φ of its narrowest width in the world's
 * horizontal plane (modulo a quarter turn) and that width. The top is what a camera above the bin
 * sees whole, so its centre is the object's centre without the bias of the sides the camera
 * happens to see. Null when no mask pixel has a depth (a blacked-out frame).
 */
export function objectGeometry(frame: SensorFrame, mask: Uint8Array, camera: CameraModel): Float32Array | null {
  const points: [number, number, number][] = [];
  for (let i = 0; i < mask.length; i++) {
    const d = frame.depth[i];
    if (!mask[i] || !(d > 0) || !Number.isFinite(d)) continue;
    const u = i % frame.width;
    points.push(pixelToWorld(camera, u, (i - u) / frame.width, d));
  }
  if (points.length === 0) return null;
  const heights = points.map((p) => p[2]).sort((a, b) => a - b);
  const top = heights[Math.min(heights.length - 1, Math.floor(TOP_QUANTILE * heights.length))];
  const face = points.filter((p) => Math.abs(p[2] - top) <= TOP_BAND);
  const x = face.reduce((s, p) => s + p[0], 0) / face.length;
  const y = face.reduce((s, p) => s + p[1], 0) / face.length;
  const { angle, span } = narrowestSpan(face.map((p) => [p[0], p[1]] as const), DIRECTIONS);
  return Float32Array.from([x, y, top, Math.cos(4 * angle), Math.sin(4 * angle), span]);
}
