import { pixelToWorld, type CameraModel, type SensorFrame } from '../render/index.js';
import type { Box } from './Box.js';
import type { FeatureEncoder } from './FeatureEncoder.js';
import { DESCRIPTOR_SIZE, isBlackedOut, maskDescriptor } from './maskDescriptor.js';
import { GEOMETRY_SIZE, objectGeometry } from './objectGeometry.js';
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
 * or width.
 */
export async function conditionedFeatures(mode: Conditioning, encoder: FeatureEncoder, frame: SensorFrame, track: TrackResult | null, foreground: Uint8Array, camera?: CameraModel): Promise<Float32Array> {
  const out = new Float32Array(conditionedLength(encoder));
  const tracked = mode === 'tracker' && track ? track : null;
  // A blacked-out frame stays black: the box is drawn into the camera image the policy loses.
  const drawn = mode === 'box' && track?.box && !isBlackedOut(frame) ? track.box : null;
  const seen = drawn ? withBox(frame, drawn) : frame;
  const grid = await encoder.encode(seen, tracked?.mask ?? null);
  out.set(grid);
  const sceneGeometry = camera ? objectGeometry(frame, foreground, camera) : null;
  out.set(maskToken(grid, encoder, frame, foreground, maskDescriptor(frame, foreground, 1, false), sceneGeometry), encoder.length);
  if (tracked) {
    const geometry = camera ? objectGeometry(frame, tracked.mask, camera) ?? rememberedPoint(frame, tracked, camera) : null;
    out.set(maskToken(grid, encoder, frame, tracked.mask, tracked.descriptor, geometry), encoder.length + maskTokenLength(encoder));
  } else if (drawn) {
    const region = boxRegion(frame, drawn);
    const geometry = camera ? objectGeometry(frame, region, camera) : null;
    out.set(maskToken(grid, encoder, frame, region, maskDescriptor(frame, region, 1, false), geometry), encoder.length + maskTokenLength(encoder));
  }
  return out;
}

function maskToken(grid: Float32Array, encoder: FeatureEncoder, frame: SensorFrame, mask: Uint8Array, descriptor: Float32Array, geometry: Float32Array | null): Float32Array {
  const token = new Float32Array(maskTokenLength(encoder));
  const channels = encoder.manifest.grid[0];
  token.set(maskedPool(grid, encoder.manifest.grid, mask, frame.width, frame.height));
  token.set(descriptor, channels);
  if (geometry) token.set(geometry, channels + DESCRIPTOR_SIZE);
  return token;
}

/** The tracker's remembered object as a world point: its extrapolated centroid at its last depth. */
function rememberedPoint(frame: SensorFrame, track: TrackResult, camera: CameraModel): Float32Array {
  const point = new Float32Array(GEOMETRY_SIZE);
  const [cx, cy, , , area, , , depth] = track.descriptor;
  if (area > 0 && depth > 0) point.set(pixelToWorld(camera, cx * frame.width - 0.5, cy * frame.height - 0.5, depth));
  return point;
}

/** A box's pixel columns [x0, x1) and rows [y0, y1), clipped to the frame. */
function pixelBounds(frame: SensorFrame, box: Box): [number, number, number, number] {
  return [Math.max(0, Math.floor(box.x0)), Math.min(frame.width, Math.ceil(box.x1)), Math.max(0, Math.floor(box.y0)), Math.min(frame.height, Math.ceil(box.y1))];
}

/** The pixels inside a box, as a mask. */
function boxRegion(frame: SensorFrame, box: Box): Uint8Array {
  const mask = new Uint8Array(frame.width * frame.height);
  const [x0, x1, y0, y1] = pixelBounds(frame, box);
  for (let y = y0; y < y1; y++) mask.fill(1, y * frame.width + x0, y * frame.width + x1);
  return mask;
}

/** A copy of the frame with a box outline drawn into its RGB. */
export function withBox(frame: SensorFrame, box: Box): SensorFrame {
  const rgb = frame.rgb.slice();
  const [x0, x1, y0, y1] = pixelBounds(frame, box);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const edge = x < x0 + BOX_LINE || x >= x1 - BOX_LINE || y < y0 + BOX_LINE || y >= y1 - BOX_LINE;
      if (edge) rgb.set(BOX_COLOUR, 3 * (y * frame.width + x));
    }
  }
  return { ...frame, rgb };
}

/** The grid's feature vectors averaged with weights = the mask's coverage of each cell. */
function maskedPool(grid: Float32Array, [channels, rows, cols]: readonly [number, number, number], mask: Uint8Array, width: number, height: number): Float32Array {
  const cover = new Float64Array(rows * cols);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    cover[Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width)]++;
  }
  const total = cover.reduce((a, b) => a + b, 0);
  const out = new Float32Array(channels);
  if (total === 0) return out;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let k = 0; k < rows * cols; k++) s += cover[k] * grid[c * rows * cols + k];
    out[c] = s / total;
  }
  return out;
}
