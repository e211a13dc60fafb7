import type { OrientedBox } from '../core/index.js';
import { pixelToWorld, type CameraModel, type SensorFrame } from '../render/index.js';
import type { Box } from './Box.js';
import type { FeatureEncoder } from './FeatureEncoder.js';
import { DESCRIPTOR_SIZE, isBlackedOut, writeMaskDescriptor } from './maskDescriptor.js';
import { GEOMETRY_SIZE, writeObjectGeometry } from './objectGeometry.js';
import { withoutOwnHand } from './withoutOwnHand.js';
import type { TrackResult } from './PromptableTracker.js';

/**
 * How a policy is told which object to take (the paper's comparison):
 * - `none`: features of the whole frame (ACT);
 * - `box`: the tracker's box drawn into the frame's RGB every step (ACT-Condition), and the region
 *   inside the drawn box as the object token;
 * - `tracker`: object-aware features from the tracker's mask and memory (SAM2Grasp).
 */
export type Conditioning = 'none' | 'box' | 'tracker';
export const CONDITIONINGS: readonly Conditioning[] = ['none', 'box', 'tracker'];

/**
 * Bumped whenever `conditionedFeatures` computes the same inputs differently, so that `train`
 * caches again instead of training on features no policy sees any more. 2: the robot's own hand
 * taken out of every mask.
 */
export const FEATURES_VERSION = 2;

/** The prompt box's colour in `box` conditioning: pure green, unlike any catalog object. */
const BOX_COLOUR = [0, 255, 0] as const;
const BOX_LINE = 2;

/** A mask token: the grid features pooled under a mask, the mask's descriptor, its geometry in the world. */
export function maskTokenLength(encoder: FeatureEncoder): number {
  return encoder.manifest.grid[0] + DESCRIPTOR_SIZE + GEOMETRY_SIZE;
}

/**
 * Length of a conditioned feature vector: the encoder grid, then two mask tokens. The scene token
 * describes every object in view together (the foreground, as a class-agnostic segmenter gives
 * it): one object is located as precisely as a tracked one, several blur into their centroid,
 * which is all a policy that is not told the target can know. The object token describes the
 * tracked object's mask with `tracker`; with `box`, the whole region inside the drawn box (the
 * object, but also the floor and any neighbour inside the box's corners), and only while the box
 * is drawn, so it vanishes with the frame under occlusion. It stands in for a backbone trained to
 * find the drawn box (ACT's, end to end): the frozen encoder's 8 x 8 grid sees where the box is
 * but not to the centimetre. Zero for `none`. Every conditioning has the same length, so every
 * head has the same architecture.
 */
export function conditionedLength(encoder: FeatureEncoder): number {
  return encoder.length + 2 * maskTokenLength(encoder);
}

/**
 * The policy's input for one frame, from sensors alone. `foreground` is every object in view as a
 * class-agnostic segmenter finds it (the scene token's mask); `camera` is the frame's calibrated
 * camera: with it, a mask and the depth image give the masked objects' geometry in the world
 * (`objectGeometry`). When the frame was taken away, the tracker's memory still places the object:
 * the descriptor's extrapolated centroid at its last depth becomes the world point, without a yaw
 * or width. `hand`, the robot's own hand where proprioception places it, is taken out of every
 * mask before it becomes a token (`withoutOwnHand`).
 */
export async function conditionedFeatures(mode: Conditioning, encoder: FeatureEncoder, frame: SensorFrame, track: TrackResult | null, foreground: Uint8Array, camera?: CameraModel, hand: readonly OrientedBox[] = []): Promise<Float32Array> {
  // A fresh array, never a reused one: callers keep it (the feature cache writes it out, a policy hands it to ONNX).
  const out = new Float32Array(conditionedLength(encoder));
  const tracked = mode === 'tracker' && track ? track : null;
  // A blacked-out frame stays black: the box is drawn into the camera image the policy loses.
  const drawn = mode === 'box' && track?.box && !isBlackedOut(frame) ? track.box : null;
  const mask = tracked?.mask ?? null;
  const grid = drawn ? await encodeWithBox(encoder, frame, drawn, mask) : await encoder.encode(frame, mask);
  out.set(grid);
  const objectAt = encoder.length + maskTokenLength(encoder);
  // Each token is written before the next mask is filtered: the filtered mask's buffer is shared.
  const ownHandOff = (mask: Uint8Array) => (camera ? withoutOwnHand(mask, frame, camera, hand) : mask);
  writeMaskToken(out, encoder.length, grid, encoder, frame, ownHandOff(foreground), camera);
  if (tracked) writeMaskToken(out, objectAt, grid, encoder, frame, ownHandOff(tracked.mask), camera, tracked);
  else if (drawn) writeMaskToken(out, objectAt, grid, encoder, frame, ownHandOff(boxRegion(frame, drawn)), camera);
  return out;
}

/**
 * Writes a mask token into `out` from `at`: the grid pooled under the mask, the mask's descriptor
 * (the tracker's own when `track` is given) and, with a camera, its geometry in the world (for a
 * track, its remembered point when no mask pixel has a depth). `out` is fresh, so what is not
 * written stays zero, as in a token of its own.
 */
function writeMaskToken(out: Float32Array, at: number, grid: Float32Array, encoder: FeatureEncoder, frame: SensorFrame, mask: Uint8Array, camera: CameraModel | undefined, track?: TrackResult): void {
  const channels = encoder.manifest.grid[0];
  writeMaskedPool(out, at, grid, encoder.manifest.grid, mask, frame.width, frame.height);
  if (track) out.set(track.descriptor, at + channels);
  else writeMaskDescriptor(out, at + channels, frame, mask, 1, false);
  if (!camera) return;
  const geometryAt = at + channels + DESCRIPTOR_SIZE;
  if (!writeObjectGeometry(out, geometryAt, frame, mask, camera) && track) writeRememberedPoint(out, geometryAt, frame, track, camera);
}

/** The tracker's remembered object as a world point: its extrapolated centroid at its last depth (yaw and width stay zero). */
function writeRememberedPoint(out: Float32Array, at: number, frame: SensorFrame, track: TrackResult, camera: CameraModel): void {
  const [cx, cy, , , area, , , depth] = track.descriptor;
  if (area > 0 && depth > 0) out.set(pixelToWorld(camera, cx * frame.width - 0.5, cy * frame.height - 0.5, depth), at);
}

/** A box's pixel columns [x0, x1) and rows [y0, y1), clipped to the frame. */
function pixelBounds(frame: SensorFrame, box: Box): [number, number, number, number] {
  return [Math.max(0, Math.floor(box.x0)), Math.min(frame.width, Math.ceil(box.x1)), Math.max(0, Math.floor(box.y0)), Math.min(frame.height, Math.ceil(box.y1))];
}

// Buffers kept between steps, each the size of a frame: the `box` conditioning's region mask and
// drawn RGB were two new frames' worth of bytes at every step.
/** The box's region: used and done with synchronously, so one buffer serves every call. */
let region = new Uint8Array(0);
/** The RGB with the box drawn: read by the encoder across an await, so taken while in use (an overlapping call draws into its own). */
let spareRgb: Uint8Array | null = null;

/** The pixels inside a box, as a mask: valid until the next call. */
function boxRegion(frame: SensorFrame, box: Box): Uint8Array {
  if (region.length !== frame.width * frame.height) region = new Uint8Array(frame.width * frame.height);
  region.fill(0);
  const [x0, x1, y0, y1] = pixelBounds(frame, box);
  for (let y = y0; y < y1; y++) region.fill(1, y * frame.width + x0, y * frame.width + x1);
  return region;
}

/** The frame's encoding with a box outline drawn into its RGB; the encoder keeps nothing of the frame once it resolves. */
async function encodeWithBox(encoder: FeatureEncoder, frame: SensorFrame, box: Box, mask: Uint8Array | null): Promise<Float32Array> {
  const rgb = spareRgb?.length === frame.rgb.length ? spareRgb : new Uint8Array(frame.rgb.length);
  spareRgb = null;
  try {
    rgb.set(frame.rgb);
    return await encoder.encode({ ...frame, rgb: drawBox(frame, box, rgb) }, mask);
  } finally {
    spareRgb = rgb;
  }
}

/** A copy of the frame with a box outline drawn into its RGB. */
export function withBox(frame: SensorFrame, box: Box): SensorFrame {
  return { ...frame, rgb: drawBox(frame, box, frame.rgb.slice()) };
}

/** Draws a box outline into `rgb`, a copy of the frame's RGB; returns it. */
function drawBox(frame: SensorFrame, box: Box, rgb: Uint8Array): Uint8Array {
  const [x0, x1, y0, y1] = pixelBounds(frame, box);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const edge = x < x0 + BOX_LINE || x >= x1 - BOX_LINE || y < y0 + BOX_LINE || y >= y1 - BOX_LINE;
      if (edge) rgb.set(BOX_COLOUR, 3 * (y * frame.width + x));
    }
  }
  return rgb;
}

/** Per-cell mask coverage, writeMaskedPool's scratch: it is synchronous, so one buffer serves every call. */
let cover = new Float64Array(0);
/** The grid cell of every pixel, for the last frame and grid sizes met: the same at every step. */
let cells = { id: '', of: new Int32Array(0) };

function cellOfPixels(width: number, height: number, rows: number, cols: number): Int32Array {
  const id = `${width}x${height}/${rows}x${cols}`;
  if (cells.id === id) return cells.of;
  const of = new Int32Array(width * height);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) of[i] = Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width);
  }
  cells = { id, of };
  return of;
}

/** Writes into `out` from `at` the grid's feature vectors averaged with weights = the mask's coverage of each cell (nothing for an empty mask). */
function writeMaskedPool(out: Float32Array, at: number, grid: Float32Array, [channels, rows, cols]: readonly [number, number, number], mask: Uint8Array, width: number, height: number): void {
  const cellCount = rows * cols;
  if (cover.length < cellCount) cover = new Float64Array(cellCount);
  cover.fill(0, 0, cellCount);
  const cellOf = cellOfPixels(width, height, rows, cols);
  for (let i = 0; i < mask.length; i++) if (mask[i]) cover[cellOf[i]]++;
  let total = 0;
  for (let k = 0; k < cellCount; k++) total += cover[k];
  if (total === 0) return;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let k = 0; k < cellCount; k++) s += cover[k] * grid[c * cellCount + k];
    out[at + c] = s / total;
  }
}
