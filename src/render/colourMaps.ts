import { SEGMENT_IDS } from './segmentIds.js';
import type { Frame } from './Frame.js';

/** An RGB image, H x W x 3 bytes. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

// A short perceptual ramp (viridis, 5 stops) for depth: near is yellow, far is purple.
const RAMP = [
  [253, 231, 37],
  [94, 201, 98],
  [33, 145, 140],
  [59, 82, 139],
  [68, 1, 84],
];

function ramp(t: number, out: Uint8Array, at: number): void {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  for (let c = 0; c < 3; c++) out[at + c] = Math.round(RAMP[i][c] + f * (RAMP[i + 1][c] - RAMP[i][c]));
}

/** Depth as colour over the frame's own finite range; nothing hit is black. */
export function depthToRgb(frame: Frame): RgbImage {
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of frame.depth) {
    if (Number.isFinite(d)) {
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
  }
  const data = new Uint8Array(frame.width * frame.height * 3);
  const span = hi > lo ? hi - lo : 1;
  frame.depth.forEach((d, i) => {
    if (Number.isFinite(d)) ramp((d - lo) / span, data, 3 * i);
  });
  return { width: frame.width, height: frame.height, data };
}

/** A fixed, well-spread colour per segment id: background black, table and bin greys, gripper white, pusher khaki. */
export function segmentColour(id: number): [number, number, number] {
  if (id === SEGMENT_IDS.background) return [0, 0, 0];
  if (id === SEGMENT_IDS.table) return [90, 90, 90];
  if (id === SEGMENT_IDS.bin) return [150, 150, 150];
  if (id === SEGMENT_IDS.gripper) return [255, 255, 255];
  if (id === SEGMENT_IDS.pusher) return [200, 200, 120];
  // Golden-angle hues: neighbouring ids get far-apart colours.
  const hue = ((id - SEGMENT_IDS.objectBase) * 137.508) % 360;
  return hsvToRgb(hue, 0.85, 0.95);
}

function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

export function idsToRgb(frame: Frame): RgbImage {
  const data = new Uint8Array(frame.width * frame.height * 3);
  frame.ids.forEach((id, i) => data.set(segmentColour(id), 3 * i));
  return { width: frame.width, height: frame.height, data };
}

export function rgbOf(frame: Frame): RgbImage {
  return { width: frame.width, height: frame.height, data: frame.rgb };
}

/**
 * Images side by side in a row, rows stacked, each scaled up `scale` times (nearest neighbour, so
 * pixels stay pixels), with a gap of `gap` background pixels.
 */
export function contactSheet(rows: RgbImage[][], scale = 2, gap = 4): RgbImage {
  const cellW = Math.max(...rows.flat().map((i) => i.width)) * scale;
  const cellH = Math.max(...rows.flat().map((i) => i.height)) * scale;
  const cols = Math.max(...rows.map((r) => r.length));
  const width = cols * cellW + (cols - 1) * gap;
  const height = rows.length * cellH + (rows.length - 1) * gap;
  const data = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) =>
    row.forEach((image, c) => {
      const x0 = c * (cellW + gap);
      const y0 = r * (cellH + gap);
      for (let y = 0; y < image.height * scale; y++) {
        for (let x = 0; x < image.width * scale; x++) {
          const src = 3 * (Math.floor(y / scale) * image.width + Math.floor(x / scale));
          const dst = 3 * ((y0 + y) * width + x0 + x);
          data[dst] = image.data[src];
          data[dst + 1] = image.data[src + 1];
          data[dst + 2] = image.data[src + 2];
        }
      }
    }),
  );
  return { width, height, data };
}

/**
 * A copy of the image with a mask tinted in (`alpha` of `tint`) and box outlines drawn (1 px).
 * Boxes are in pixels, right and bottom edges exclusive.
 */
export function overlay(
  image: RgbImage,
  mask: Uint8Array | null,
  tint: readonly [number, number, number],
  boxes: { x0: number; y0: number; x1: number; y1: number; colour: readonly [number, number, number] }[] = [],
  alpha = 0.45,
): RgbImage {
  const data = image.data.slice();
  if (mask) {
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      for (let c = 0; c < 3; c++) data[3 * i + c] = Math.round(data[3 * i + c] * (1 - alpha) + tint[c] * alpha);
    }
  }
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x0)), x1 = Math.min(image.width - 1, Math.ceil(b.x1) - 1);
    const y0 = Math.max(0, Math.floor(b.y0)), y1 = Math.min(image.height - 1, Math.ceil(b.y1) - 1);
    for (let x = x0; x <= x1; x++) for (const y of [y0, y1]) data.set(b.colour, 3 * (y * image.width + x));
    for (let y = y0; y <= y1; y++) for (const x of [x0, x1]) data.set(b.colour, 3 * (y * image.width + x));
  }
  return { width: image.width, height: image.height, data };
}
