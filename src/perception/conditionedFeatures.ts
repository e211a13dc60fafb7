import { pixelToWorld, type CameraModel, type Frame } from '../render/index.js';
import type { Box } from './Box.js';
import type { FeatureEncoder } from './FeatureEncoder.js';
import { DESCRIPTOR_SIZE, isBlackedOut } from './maskDescriptor.js';
import type { TrackResult } from './PromptableTracker.js';

/**
 * How a policy is told which object to take (the paper's comparison):
 * - `none`: features of the whole frame (ACT);
 * - `box`: the tracker's box drawn into the frame's RGB every step (ACT-Condition);
 * - `tracker`: object-aware features from the tracker's mask and memory (SAM2Grasp).
 */
export type Conditioning = 'none' | 'box' | 'tracker';
export const CONDITIONINGS: readonly Conditioning[] = ['none', 'box', 'tracker'];

/** The prompt box's colour in `box` conditioning: pure green, unlike any catalog object. */
const BOX_COLOUR = [0, 255, 0] as const;
const BOX_LINE = 2;

/** The object's 3-D centroid (world frame, metres) closes the object token. */
const WORLD_POINT = 3;

/**
 * Length of a conditioned feature vector: the encoder grid, then an object token (the grid
 * features pooled under the mask, the mask descriptor, and the mask's centroid in the world).
 * Every conditioning has the same length, so every head has the same architecture; the token is
 * zero without a tracker.
 */
export function conditionedLength(encoder: FeatureEncoder): number {
  return encoder.length + encoder.manifest.grid[0] + DESCRIPTOR_SIZE + WORLD_POINT;
}

/**
 * The policy's input for one frame. `camera` is the frame's calibrated camera: with it, the
 * tracker's mask centroid at its mean depth becomes a world point (from memory too, when the
 * frame was taken away: the descriptor then carries the last depth and the extrapolated centroid).
 */
export async function conditionedFeatures(mode: Conditioning, encoder: FeatureEncoder, frame: Frame, track: TrackResult | null, camera?: CameraModel): Promise<Float32Array> {
  const out = new Float32Array(conditionedLength(encoder));
  if (mode === 'none' || !track) {
    out.set(await encoder.encode(frame));
    return out;
  }
  if (mode === 'box') {
    // A blacked-out frame stays black: the box is drawn into the camera image the policy loses.
    out.set(await encoder.encode(track.box && !isBlackedOut(frame) ? withBox(frame, track.box) : frame));
    return out;
  }
  const grid = await encoder.encode(frame, track.mask);
  out.set(grid);
  out.set(maskedPool(grid, encoder.manifest.grid, track.mask, frame.width, frame.height), encoder.length);
  out.set(track.descriptor, encoder.length + encoder.manifest.grid[0]);
  const [cx, cy, , , area, , , depth] = track.descriptor;
  if (camera && area > 0 && depth > 0) {
    out.set(pixelToWorld(camera, cx * frame.width - 0.5, cy * frame.height - 0.5, depth), encoder.length + encoder.manifest.grid[0] + DESCRIPTOR_SIZE);
  }
  return out;
}

/** A copy of the frame with a box outline drawn into its RGB. */
export function withBox(frame: Frame, box: Box): Frame {
  const rgb = frame.rgb.slice();
  const x0 = Math.max(0, Math.floor(box.x0)), x1 = Math.min(frame.width, Math.ceil(box.x1));
  const y0 = Math.max(0, Math.floor(box.y0)), y1 = Math.min(frame.height, Math.ceil(box.y1));
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
